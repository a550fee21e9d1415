// Getting images in and labeling them: a drop of two class folders of real
// PNG and JPEG files, relabeling by drag and by keyboard in both modes, and
// bad files reported one by one while the good ones are kept.
import path from 'node:path';
import { FIXTURES, dropCatsAndDogs, dropFolders, expect, fixtureFiles, screenshot, test, waitForReports } from './helpers.js';

const bucket = (page, name) => page.locator('.bucket', { has: page.locator('.bucket-name', { hasText: name }) });

async function expectCounts(page, counts, mislabeled) {
  for (const [name, n] of Object.entries(counts)) {
    await expect(bucket(page, name)).toHaveAttribute('data-count', String(n));
  }
  await expect(page.locator('#bucket-summary')).toContainText(`${mislabeled} mislabeled`);
  const ds = await page.evaluate(() => window.__smoothlab.state.dataset);
  for (const [name, n] of Object.entries(counts)) expect(ds.counts[ds.classes.indexOf(name)]).toBe(n);
  expect(ds.mislabeled + ds.mislabeledHeldOut).toBe(mislabeled); // training and held out
}

/** A tile of the grid whose image currently has the given class (by name). */
async function tileOf(page, className, { mislabeled = false } = {}) {
  const id = await page.evaluate(({ className, mislabeled }) => {
    const ds = window.__smoothlab.state.dataset;
    const c = ds.classes.indexOf(className);
    return ds.images.find((img) => img.given === c && img.mislabeled === mislabeled).id;
  }, { className, mislabeled });
  return page.locator(`.tile[data-id="${id}"]`);
}

test('dropping two folders makes two classes; drag and keyboard relabel in both modes', async ({ page }) => {
  await dropCatsAndDogs(page);
  await expect(page.locator('.bucket-name')).toHaveText(['cats', 'dogs']);
  await expectCounts(page, { cats: 6, dogs: 6 }, 0);
  await expect(page.locator('#grid .tile')).toHaveCount(12);
  await expect(page.locator('#grid img.is-pending')).toHaveCount(0); // every thumbnail drawn
  const formats = await page.evaluate(() => window.__smoothlab.state.dataset.images.map((i) => i.name.split('.').pop()));
  expect(new Set(formats)).toEqual(new Set(['png', 'jpg']));
  // A new project does not train by itself.
  expect(await page.evaluate(() => window.__smoothlab.state.playing)).toBe(false);

  // Drag in "fix label" mode: the image really is a dog now.
  await expect(page.locator('button[data-move-mode="fix"]')).toHaveAttribute('aria-pressed', 'true');
  await (await tileOf(page, 'cats')).dragTo(bucket(page, 'dogs'));
  await expectCounts(page, { cats: 5, dogs: 7 }, 0);

  // Drag in "mislabel on purpose" mode: given dogs, truly a cat.
  await page.click('button[data-move-mode="mislabel"]');
  const cat = await tileOf(page, 'cats');
  const catId = await cat.getAttribute('data-id');
  await cat.dragTo(bucket(page, 'dogs'));
  await expectCounts(page, { cats: 4, dogs: 8 }, 1);
  const marked = page.locator(`.tile[data-id="${catId}"]`);
  await expect(marked).toHaveClass(/is-mislabeled/);
  await expect(marked.locator('.tile-caption')).toHaveText('given dogs true cats');
  await expect(bucket(page, 'dogs')).toContainText('1 mislabeled');

  // Keyboard: M switches back to "fix"; Space selects; 1 moves to class 1.
  const dog = await tileOf(page, 'dogs');
  await dog.focus();
  await page.keyboard.press('m');
  await expect(page.locator('button[data-move-mode="fix"]')).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('Space');
  await expect(dog).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('#selection-count')).toHaveText('1 selected');
  await page.keyboard.press('1');
  await expectCounts(page, { cats: 5, dogs: 7 }, 1);

  // Shift+number makes the other kind of move: mislabel a dog as a cat.
  await page.keyboard.press('Escape');
  const dog2 = await tileOf(page, 'dogs');
  await dog2.focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('Shift+Digit1');
  await expectCounts(page, { cats: 6, dogs: 6 }, 2);

  // "Move to…" is the single-pointer way: click to select, pick a class.
  await page.keyboard.press('Escape');
  const wrong = await tileOf(page, 'dogs', { mislabeled: true });
  await wrong.click();
  await page.selectOption('#move-to', { label: '1  cats' });
  await expectCounts(page, { cats: 7, dogs: 5 }, 1); // fixed: "cats" is its truth now
  await screenshot(page, 'own-images');
});

test('a bad file in a drop gets its own message and the good ones are kept', async ({ page }) => {
  await page.goto('/');
  await waitForReports(page, 1);
  const files = fixtureFiles('images', ['blue.jpg', 'photo.heic', 'red.png', 'text.jpg', 'truncated.jpg', 'green.bmp']);
  await dropFolders(page, 'body', [{ name: 'colors', files }]);
  await expect(page.locator('.toast', { hasText: 'Added 3 images; 3 files could not be read' })).toBeVisible();
  await expect(page.locator('.toast-error', { hasText: 'photo.heic: HEIC is not supported' })).toBeVisible();
  await expect(page.locator('.toast-error', { hasText: /^text\.jpg: / })).toBeVisible();
  await expect(page.locator('.toast-error', { hasText: /^truncated\.jpg: / })).toBeVisible();
  await expectCounts(page, { colors: 3 }, 0);
  const names = await page.evaluate(() => window.__smoothlab.state.dataset.images.map((i) => i.name));
  expect(names.sort()).toEqual(['blue.jpg', 'green.bmp', 'red.png']);

  // The file picker takes the same path; loose files join the chosen class.
  await page.setInputFiles('#file-picker', ['empty.png', 'yellow.webp'].map((n) => path.join(FIXTURES, 'images', n)));
  await expect(page.locator('.toast-error', { hasText: 'empty.png: the file is empty (0 bytes)' })).toBeVisible();
  await expectCounts(page, { colors: 4 }, 0);
  await expect(page.locator('#banner')).toBeHidden();

  // One class cannot be trained: training stops with a message, nothing breaks.
  await page.click('#play');
  await expect(page.locator('#banner')).toBeVisible();
  await expect(page.locator('#banner')).toContainText('Training stopped:');
  await expect(page.locator('#play')).toHaveAttribute('aria-pressed', 'false');
  await page.click('#banner .banner-close');
  await expect(page.locator('#banner')).toBeHidden();
});

test('the folder picker reads a dataset folder with one subfolder per class', async ({ page }) => {
  await page.goto('/');
  await waitForReports(page, 1);
  await page.setInputFiles('#folder-picker', path.join(FIXTURES, 'folders'));
  await expect(page.locator('.toast', { hasText: 'Added 12 images' })).toBeVisible();
  await expectCounts(page, { cats: 6, dogs: 6 }, 0);

  // The two classes train: the pair of models reports epochs.
  await page.click('#play');
  await waitForReports(page, 3);
  const last = await page.evaluate(() => window.__smoothlab.state.reports.at(-1));
  expect(last.baseline.nClean + last.baseline.nTest).toBe(12);
  await page.click('#play');

  // Another image size re-reads the kept files, labels and all.
  const before = await page.evaluate(() => window.__smoothlab.state.dataset.images.map((i) => [i.name, i.given]));
  await page.fill('#set-size', '16');
  await page.press('#set-size', 'Enter');
  await page.waitForFunction(() => window.__smoothlab.state.dataset.side === 16);
  expect(page.url()).toContain('size=16');
  const after = await page.evaluate(() => window.__smoothlab.state.dataset.images.map((i) => [i.name, i.given]));
  expect(after).toEqual(before);
  await expect(page.locator('#grid img.is-pending')).toHaveCount(0);
  const side = await page.evaluate(() => [...window.__smoothlab.state.thumbs.values()][0].width);
  expect(side).toBe(16);
});

test('classes can be added, renamed and removed', async ({ page }) => {
  await dropCatsAndDogs(page);
  await page.fill('#new-class', 'birds');
  await page.press('#new-class', 'Enter');
  await expect(page.locator('.bucket-name')).toHaveText(['cats', 'dogs', 'birds']);

  // Files dropped onto a bucket join that class, whatever folder they came in.
  await dropFolders(page, '.bucket[data-index="2"]', [], fixtureFiles('images', ['red.png', 'blue.jpg']));
  await expectCounts(page, { cats: 6, dogs: 6, birds: 2 }, 0);
  await page.click('[aria-label="Remove class “birds” and its images"]');
  await page.click('text=Yes, remove');
  await page.fill('#new-class', 'birds');
  await page.press('#new-class', 'Enter');

  await page.click('[aria-label="Rename class “dogs”"]');
  await page.fill('.bucket-rename', 'puppies');
  await page.press('.bucket-rename', 'Enter');
  await expect(page.locator('.bucket-name')).toHaveText(['cats', 'puppies', 'birds']);
  await expectCounts(page, { cats: 6, puppies: 6, birds: 0 }, 0);

  // A duplicate name is refused with a message.
  await page.fill('#new-class', 'cats');
  await page.press('#new-class', 'Enter');
  await expect(page.locator('.toast-error')).toBeVisible();
  await expect(page.locator('.bucket-name')).toHaveText(['cats', 'puppies', 'birds']);

  // Removing a class takes its images along, after a confirmation.
  await page.click('[aria-label="Remove class “cats” and its images"]');
  await expect(page.locator('.bucket-confirm')).toHaveText('Remove with its 6 images?');
  await page.click('text=Yes, remove');
  await expect(page.locator('.bucket-name')).toHaveText(['puppies', 'birds']);
  await expect(page.locator('#grid .tile')).toHaveCount(6);
});
