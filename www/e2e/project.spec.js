// Nothing lost: the project is saved in the browser as it changes and comes
// back after a reload or in a new tab; "New project" asks first; the project
// goes out as a .zip and comes back in identical; bad zips are refused with a
// message and leave the project as it was; a full storage is said plainly.
import fs from 'node:fs';
import path from 'node:path';
import { FIXTURES, dropCatsAndDogs, dropFolders, expect, openPaused, pause, screenshot, test, waitForReports } from './helpers.js';
import { readZip } from './zip.js';

const dataset = (page) => page.evaluate(() => {
  const ds = window.__smoothlab.state.dataset;
  return {
    classes: ds.classes,
    side: ds.side,
    images: ds.images.map(({ id, name, given, truth, holdout, mislabeled }) => ({ id, name, given, truth, holdout, mislabeled })),
  };
});
const settings = (page) => page.evaluate(() => ({ ...window.__smoothlab.state.settings }));
const toast = (page, text) => page.locator('.toast', { hasText: text });

/** The saved project record, read from IndexedDB the way the worker wrote it. */
const savedRecord = (page) => page.evaluate(() => new Promise((resolve) => {
  const open = indexedDB.open('smoothlab');
  open.onsuccess = () => {
    const db = open.result;
    if (!db.objectStoreNames.contains('project')) { resolve(null); return; }
    const get = db.transaction('project').objectStore('project').get('current');
    get.onsuccess = () => { resolve(get.result ?? null); db.close(); };
  };
  open.onerror = () => resolve(null);
}));

async function ownProject(page) {
  await dropCatsAndDogs(page);
  // Mislabel one cat on purpose: given "dogs", truly "cats".
  const catId = await page.evaluate(() => window.__smoothlab.state.dataset.images[0].id);
  await page.click('button[data-move-mode="mislabel"]');
  await page.locator(`.tile[data-id="${catId}"]`).dragTo(page.locator('.bucket[data-index="1"]'));
  await page.waitForFunction(() => window.__smoothlab.state.dataset.mislabeled === 1);
}

async function download(page, click) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(click)]);
  return { name: file.suggestedFilename(), bytes: fs.readFileSync(await file.path()) };
}

test('a reload, or the page opened anew, brings back the same images, labels and settings', async ({ page, context }) => {
  await ownProject(page);
  await page.fill('#set-lr', '0.005');
  await page.press('#set-lr', 'Enter');
  await page.locator('#epsilon').fill('0.35');
  await page.click('[aria-label="Rename class “dogs”"]');
  await page.fill('.bucket-rename', 'puppies');
  await page.press('.bucket-rename', 'Enter');
  await expect(page.locator('#save-status')).toHaveText('Saved in this browser');
  // Saved as it happens: the stored record follows the last change.
  await expect.poll(async () => {
    const r = await savedRecord(page);
    return r && [r.classes.join(), r.settings.learningRate, r.settings.smoothing, r.images.length];
  }).toEqual(['cats,puppies', 0.005, 0.35, 12]);
  const before = await dataset(page);
  const beforeSettings = await settings(page);
  expect(before.images.filter((i) => i.mislabeled)).toHaveLength(1);

  await page.reload();
  await expect(toast(page, 'Restored your saved project: 12 images.')).toBeVisible();
  expect(await dataset(page)).toEqual(before);
  expect(await settings(page)).toEqual(beforeSettings);
  await expect(page.locator('#grid img.is-pending')).toHaveCount(0);
  await page.close();

  // Closing the tab and opening the bare address: the settings come from storage.
  const again = await context.newPage();
  const errors = [];
  again.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await again.goto('/');
  await expect(toast(again, 'Restored your saved project: 12 images.')).toBeVisible();
  expect(await dataset(again)).toEqual(before);
  expect(await settings(again)).toEqual(beforeSettings);
  expect(again.url()).toContain('lr=0.005');
  await expect(again.locator('.bucket-name')).toHaveText(['cats', 'puppies']);
  expect(errors).toEqual([]);
});

test('the sample digits come back after a reload with the same noisy labels, and train', async ({ page }) => {
  await page.goto('/');
  await waitForReports(page, 1);
  await expect(page.locator('#save-status')).toHaveText('Saved in this browser');
  const before = await dataset(page);
  expect(before.images.filter((i) => i.mislabeled).length).toBeGreaterThan(200);
  await page.reload();
  await expect(toast(page, 'Restored your saved project: 1797 images.')).toBeVisible();
  expect(await dataset(page)).toEqual(before);
  expect(await page.evaluate(() => window.__smoothlab.state.isSample)).toBe(true);
  await waitForReports(page, 2); // it trains on arrival, as on a first visit
});

test('a project saved by an earlier version of the lab still comes back', async ({ page }) => {
  await openPaused(page);
  await expect(page.locator('#save-status')).toHaveText('Saved in this browser');
  const cat = [...fs.readFileSync(path.join(FIXTURES, 'folders/cats/cat_0.png'))];
  const dog = [...fs.readFileSync(path.join(FIXTURES, 'folders/dogs/dog_1.jpg'))];
  // The record as the lab wrote it before it stored the core's manifest:
  // labels as class indices, the image size as `side`.
  await page.evaluate(([catBytes, dogBytes]) => new Promise((resolve, reject) => {
    const open = indexedDB.open('smoothlab');
    open.onsuccess = () => {
      const tx = open.result.transaction(['project', 'files'], 'readwrite');
      tx.objectStore('files').clear();
      tx.objectStore('files').put({ bytes: new Uint8Array(catBytes), generated: false }, 5);
      tx.objectStore('files').put({ bytes: new Uint8Array(dogBytes), generated: false }, 9);
      tx.objectStore('project').put({
        format: 'smoothlab-autosave', version: 1, isSample: false, side: 16, color: 'rgb',
        settings: { smoothing: 0.3, learningRate: 0.002, hidden: [64], batchSize: 16, optimizer: 'adam', momentum: 0.9, weightDecay: 0, seed: 4 },
        classes: ['cats', 'dogs'],
        images: [{ id: 5, name: 'cat_0.png', given: 0, truth: 0 }, { id: 9, name: 'dog_1.jpg', given: 0, truth: 1 }],
      }, 'current');
      tx.oncomplete = () => { open.result.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
  }), [cat, dog]);
  await page.goto('/');
  await expect(toast(page, 'Restored your saved project: 2 images.')).toBeVisible();
  const back = await dataset(page);
  expect(back.side).toBe(16);
  expect(back.classes).toEqual(['cats', 'dogs']);
  expect(back.images.map(({ id, name, given, truth, mislabeled }) => ({ id, name, given, truth, mislabeled }))).toEqual([
    { id: 5, name: 'cat_0.png', given: 0, truth: 0, mislabeled: false },
    { id: 9, name: 'dog_1.jpg', given: 0, truth: 1, mislabeled: true },
  ]);
  expect(await settings(page)).toMatchObject({ epsilon: 0.3, learningRate: 0.002, hidden: '64', seed: 4 });
  // Saved again, now as the core's manifest.
  await page.click('[aria-label="Rename class “dogs”"]');
  await page.fill('.bucket-rename', 'puppies');
  await page.press('.bucket-rename', 'Enter');
  // Saves may also follow the restore itself (the photos' features): wait
  // for the one after the rename.
  const saved = async () => {
    const record = await savedRecord(page);
    return [record?.format, record?.images.map((i) => [i.id, i.name, i.given, i.true])];
  };
  await expect.poll(saved).toEqual(['smoothlab-project', [
    [5, 'cat_0.png', 'cats', 'cats'], [9, 'dog_1.jpg', 'cats', 'puppies']]]);
  // The settings the models run with are the ones the page shows: the old
  // record had no head on features nor points per epoch, which the core
  // reads as a linear head and one point per epoch.
  expect(await settings(page)).toMatchObject({ featuresHidden: '0', pointsPerEpoch: 1 });
});

test('"New project" asks first, then starts empty, and stays empty after a reload', async ({ page }) => {
  await ownProject(page);
  await page.click('#new-project');
  await expect(page.locator('#confirm')).toBeVisible();
  await expect(page.locator('#confirm-text')).toContainText('export a .zip first');
  await page.click('#confirm button[value="cancel"]');
  expect((await dataset(page)).images).toHaveLength(12);

  await page.click('#new-project');
  await page.click('#confirm-ok');
  await page.waitForFunction(() => window.__smoothlab.state.dataset.images.length === 0);
  await expect.poll(async () => (await savedRecord(page))?.images.length).toBe(0);
  await page.reload();
  await page.waitForFunction(() => window.__smoothlab.state.dataset !== null);
  await expect(page.locator('.tile')).toHaveCount(0);
  expect(await page.evaluate(() => window.__smoothlab.state.isSample)).toBe(false);
});

test('export then import gives an identical manifest, the original bytes and the curves', async ({ page }) => {
  await ownProject(page);
  await page.click('#play');
  await waitForReports(page, 2);
  await pause(page);
  const first = await download(page, '#export-project');
  expect(first.name).toMatch(/^smoothlab-project-\d{4}-\d\d-\d\d-\d{4}\.zip$/);
  const zip = readZip(first.bytes);
  const manifest = JSON.parse(zip.get('manifest.json'));
  expect(manifest).toMatchObject({ format: 'smoothlab-project', version: 1, classes: ['cats', 'dogs'], imageSize: 32, color: 'rgb', seed: 1 });
  expect(manifest.settings.learningRate).toBe(0.001);
  expect(manifest.images).toHaveLength(12);
  const wrong = manifest.images.filter((i) => i.mislabeled);
  expect(wrong).toEqual([{ file: 'dogs/cat_0.png', given: 'dogs', true: 'cats', mislabeled: true }]);
  // The images are the dropped files, byte for byte.
  expect(zip.get('dogs/cat_0.png').equals(fs.readFileSync(path.join(FIXTURES, 'folders/cats/cat_0.png')))).toBe(true);
  expect(zip.get('dogs/dog_1.jpg').equals(fs.readFileSync(path.join(FIXTURES, 'folders/dogs/dog_1.jpg')))).toBe(true);
  const curves = zip.get('curves.csv').toString().trim().split('\n');
  expect(curves[0]).toBe('epoch,model,epsilon,objective,clean_loss,noisy_loss,noisy_true_loss,train_acc,memorized,corrected,test_acc,test_loss,test_ece');
  expect(curves.length).toBeGreaterThanOrEqual(1 + 2 * 2);

  // Import it back (it replaces the project, so the page asks first).
  const before = await dataset(page);
  await page.setInputFiles('#zip-picker', { name: 'mine.zip', mimeType: 'application/zip', buffer: first.bytes });
  await page.click('#confirm-ok');
  await expect(toast(page, 'Imported mine.zip: 12 images.')).toBeVisible();
  const after = await dataset(page);
  const labels = (ds) => ds.images.map((i) => [i.name, ds.classes[i.given], ds.classes[i.truth]]);
  expect(labels(after)).toEqual(labels(before));
  const second = readZip((await download(page, '#export-project')).bytes);
  expect(JSON.parse(second.get('manifest.json'))).toEqual(manifest);
  await screenshot(page, 'imported-project');
});

test('a plain ImageFolder zip imports; bad zips are refused and the project stays', async ({ page }) => {
  await openPaused(page);
  const zipFile = (name) => ({ name, mimeType: 'application/zip', buffer: fs.readFileSync(path.join(FIXTURES, 'projects', name)) });

  await page.setInputFiles('#zip-picker', zipFile('traversal.zip'));
  await expect(page.locator('.toast-error', { hasText: 'traversal.zip: project: unsafe file name "../evil.png"' })).toBeVisible();
  await page.setInputFiles('#zip-picker', zipFile('mismatch.zip'));
  await expect(page.locator('.toast-error', { hasText: 'mismatch.zip: project: manifest lists "cats/missing.png" but the zip does not hold it' })).toBeVisible();
  expect(await page.evaluate(() => [window.__smoothlab.state.isSample, window.__smoothlab.state.dataset.images.length])).toEqual([true, 1797]);

  // Dropped on the page, a zip on its own is imported too.
  await dropFolders(page, 'body', [], [{ name: 'imagefolder.zip', base64: zipFile('imagefolder.zip').buffer.toString('base64') }]);
  await expect(toast(page, 'Imported imagefolder.zip: 12 images.')).toBeVisible();
  const ds = await dataset(page);
  expect(ds.classes).toEqual(['cats', 'dogs']);
  expect(ds.images.every((i) => !i.mislabeled)).toBe(true);
});

test('a full storage is said plainly and the lab keeps working in memory', async ({ page, context, baseURL }) => {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(baseURL).origin, quotaSize: 1024 });
  await page.goto('/');
  await expect(page.locator('.toast-error', { hasText: 'storage for this page is full: your work stays in this tab but is not saved' })).toBeVisible();
  await expect(page.locator('#save-status')).toHaveText('Not saved');
  await waitForReports(page, 2); // training goes on
  await expect(page.locator('.toast-error')).toHaveCount(1); // said once, not on every change
});

test('the plot saves as a PNG and the per-image losses as CSV', async ({ page }) => {
  await page.goto('/');
  await waitForReports(page, 2);
  await pause(page);
  const png = await download(page, '#save-plot');
  expect(png.name).toMatch(/^smoothlab-plot-.*\.png$/);
  expect(png.bytes.subarray(1, 4).toString()).toBe('PNG');
  const [width, height] = [png.bytes.readUInt32BE(16), png.bytes.readUInt32BE(20)];
  expect(width).toBeGreaterThan(600);
  expect(height).toBeGreaterThan(400);
  fs.writeFileSync('test-results/exported-plot.png', png.bytes);

  const csv = await download(page, '#save-losses');
  const lines = csv.bytes.toString().trim().split('\n');
  expect(lines[0]).toBe('id,file,given,true,mislabeled,held_out,loss_baseline,loss_smoothed,predicted_baseline,predicted_smoothed');
  expect(lines).toHaveLength(1 + 1797);
  const rows = lines.slice(1).map((l) => l.split(','));
  const ds = await page.evaluate(() => window.__smoothlab.state.dataset);
  expect(rows.filter((r) => r[4] === '1')).toHaveLength(ds.mislabeled);
  expect(rows.every((r) => Number(r[6]) >= 0 && Number(r[7]) >= 0)).toBe(true);
});
