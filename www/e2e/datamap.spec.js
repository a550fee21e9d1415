// The data map: after a few epochs on the noisy digits every training image
// is a point; a click shows the image with its given and true labels; a
// rectangle dragged over the low-confidence corner selects images there,
// and "Move to…" moves them like a selection in the grid.
import { expect, pause, screenshot, test, waitForReports } from './helpers.js';

const EPOCHS = 4;

const training = (page) => page.evaluate(() => window.__smoothlab.state.dataset.images.filter((i) => !i.holdout).length);
const drawn = (page) => page.locator('#datamap-canvas').getAttribute('data-points').then(Number);

test('the data map shows every training image, one image on click, and moves a dragged selection', async ({ page }) => {
  await page.goto('/#seed=3');
  await waitForReports(page, 1);
  await pause(page);
  // 30% flipped labels instead of the sample's 20%, then a fresh run.
  await page.click('#noise-clear');
  await page.fill('#noise-rate', '30');
  await page.press('#noise-rate', 'Enter');
  await page.click('#noise-apply');
  await expect.poll(() => page.evaluate(() => window.__smoothlab.state.dataset.mislabeled)).toBe(Math.round(0.3 * await training(page)));
  await page.click('#reset');
  await page.waitForFunction(() => window.__smoothlab.state.reports.length === 0);
  await expect(page.locator('#datamap-empty')).toBeVisible();
  await page.click('#play');
  await page.waitForFunction((n) => window.__smoothlab.state.dataMap?.epoch >= n, EPOCHS, { timeout: 60_000 });
  await pause(page);

  const canvas = page.locator('#datamap-canvas');
  await canvas.scrollIntoViewIfNeeded();
  await expect.poll(() => drawn(page)).toBe(await training(page));
  await expect(page.locator('#datamap-empty')).toBeHidden();
  const mislabeled = await page.evaluate(() => window.__smoothlab.state.dataset.mislabeled);
  await expect(canvas).toHaveAttribute('data-mislabeled', String(mislabeled));
  await expect(canvas).toHaveAttribute('aria-label', new RegExp(`${await training(page)} points; ${mislabeled} mislabeled, \\d+ of them in the low-confidence half`));
  // Most mislabeled images sit below 50% confidence: the model has not learnt their wrong labels.
  const low = Number((await canvas.getAttribute('aria-label')).match(/, (\d+) of them/)[1]);
  expect(low).toBeGreaterThan(0.8 * mislabeled);

  // The same in words, for screen readers: every point in one of four confidence bands.
  const words = await page.locator('#datamap-text').textContent();
  const inBands = [...words.matchAll(/: (\d+) images?, (\d+) mislabeled/g)];
  expect(inBands.map((m) => Number(m[1])).reduce((a, b) => a + b, 0)).toBe(await training(page));
  expect(inBands.map((m) => Number(m[2])).reduce((a, b) => a + b, 0)).toBe(mislabeled);

  // A click on a mislabeled point shows that image and its two labels: one
  // drawn at least 5 px from any other, so that the nearest point is it.
  const { target, at } = await page.evaluate(() => {
    const { images } = window.__smoothlab.state.dataset;
    const placed = images.filter((i) => !i.holdout).map((i) => ({ img: i, at: window.__smoothlab.dataMapAt(i.id) }));
    const alone = placed.find((p) => p.img.mislabeled
      && placed.every((q) => q === p || Math.hypot(q.at.x - p.at.x, q.at.y - p.at.y) >= 5));
    return { target: alone.img, at: alone.at };
  });
  const box = await canvas.boundingBox();
  await page.mouse.click(box.x + at.x, box.y + at.y);
  const detail = page.locator('#datamap-detail');
  await expect(detail).toBeVisible();
  expect(Number(await detail.getAttribute('data-id'))).toBe(target.id);
  const classes = await page.evaluate(() => window.__smoothlab.state.dataset.classes);
  await expect(detail.locator('img.thumb')).toHaveAttribute('src', /^data:image\/png/);
  await expect(detail).toContainText(target.name);
  await expect(detail).toContainText(`mislabeled: given ${classes[target.given]}, true ${classes[target.truth]}`);
  await expect(detail).toContainText(/confidence \d+% · variability 0\.\d{3}/);
  const epochs = await page.evaluate(() => window.__smoothlab.state.dataMap.epoch);
  await expect(detail).toContainText(`over ${epochs} epochs`);

  // From the keyboard: the arrows walk from the point shown to a neighbour
  // in that direction, Space selects it and takes it out again.
  await canvas.focus();
  await page.keyboard.press('ArrowUp');
  await expect(detail).not.toHaveAttribute('data-id', String(target.id));
  const upId = Number(await detail.getAttribute('data-id'));
  const up = await page.evaluate((id) => window.__smoothlab.dataMapAt(id), upId);
  expect(up.y).toBeLessThan(at.y); // higher on the map: more confident
  // The image shown is redrawn in the next frame: read it after that.
  const nextFrame = () => page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done())));
  await page.keyboard.press('ArrowRight');
  await nextFrame();
  const rightId = Number(await detail.getAttribute('data-id'));
  if (rightId !== upId) { // nothing to the right leaves the point as it was
    expect((await page.evaluate((id) => window.__smoothlab.dataMapAt(id), rightId)).x).toBeGreaterThan(up.x);
  }
  await page.keyboard.press('ArrowLeft');
  await nextFrame();
  const leftId = Number(await detail.getAttribute('data-id'));
  await page.keyboard.press('Space');
  expect(await page.evaluate(() => [...window.__smoothlab.state.selection])).toEqual([leftId]);
  await page.keyboard.press('Space');
  expect(await page.evaluate(() => window.__smoothlab.state.selection.size)).toBe(0);

  // A rectangle over the low-confidence corner selects the points in it.
  await page.mouse.move(box.x + 58, box.y + box.height * 0.62);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.45, box.y + box.height - 50, { steps: 6 });
  await expect(page.locator('#datamap-band')).toBeVisible();
  await page.mouse.up();
  await expect(page.locator('#datamap-band')).toBeHidden();
  const selected = await page.evaluate(() => [...window.__smoothlab.state.selection]);
  expect(selected.length).toBeGreaterThan(10);
  await expect(page.locator('#datamap-selection')).toHaveText(`${selected.length} selected`);
  await expect(page.locator('#selection-count')).toHaveText(`${selected.length} selected`); // the grid's too
  await screenshot(page, 'datamap-selected');

  // "Move to…" class 0 fixes their labels: the class counts change.
  const before = await page.evaluate(() => window.__smoothlab.state.dataset.counts);
  const givenBefore = await page.evaluate((ids) => ids.map((id) => window.__smoothlab.state.dataset.images.find((i) => i.id === id).given), selected);
  const moved = givenBefore.filter((g) => g !== 0).length;
  expect(moved).toBeGreaterThan(0);
  const pointsBefore = await drawn(page);
  await page.selectOption('#datamap-move-to', '0');
  await expect.poll(() => page.evaluate(() => window.__smoothlab.state.dataset.counts[0])).toBe(before[0] + moved);
  const after = await page.evaluate(() => window.__smoothlab.state.dataset.counts);
  expect(after.reduce((a, b) => a + b, 0)).toBe(before.reduce((a, b) => a + b, 0));
  for (let c = 1; c < before.length; c += 1) expect(after[c]).toBeLessThanOrEqual(before[c]);
  // Their p(given) series start over: relabelled images leave the map until the next epoch end.
  await expect.poll(() => drawn(page)).toBeLessThan(pointsBefore);

  // The smoothed model's map is there too.
  await page.check('input[name="datamap-model"][value="smoothed"]');
  await expect(canvas).toHaveAttribute('data-model', 'smoothed');
  await expect.poll(() => drawn(page)).toBeGreaterThan(0);
});
