// Bad input, each answered and nothing lost: every fixture in one mixed drop
// (each bad file its own message, each good one kept, EXIF upright), a
// 100-megapixel JPEG, class names that look like markup, training faults
// (a diverging learning rate, ε at the top, one class, an empty class), and
// a drop of 5,000 images.
import fs from 'node:fs';
import path from 'node:path';
import { FIXTURES, dropFolders, expect, fixtureFiles, openPaused, pause, test, waitForReports } from './helpers.js';
import { makePng } from './png.js';

const toast = (page, text) => page.locator('.toast', { hasText: text });
const errorToasts = (page) => page.locator('.toast-error').allTextContents();

// What the lab says about each bad fixture (the start of its message).
const BAD = {
  'empty.png': 'empty.png: the file is empty (0 bytes)',
  'truncated.jpg': 'truncated.jpg: the file is damaged or truncated (the JPEG data stops before its end)',
  'bad_crc.png': 'bad_crc.png: the file is damaged or truncated (Format error decoding Png: CRC error',
  'text.jpg': 'text.jpg: not an image (or a format smoothlab does not read); use PNG, JPEG, GIF, BMP or WebP',
  'drawing.svg': 'drawing.svg: SVG is a vector format; export it as PNG',
  'photo.heic': 'photo.heic: HEIC is not supported; convert to JPEG or PNG',
  'huge_claim.png': 'huge_claim.png: the image is too large to decode',
};
const GOOD = ['animated.gif', 'blue.jpg', 'cmyk.jpg', 'exif_rotated.jpg', 'gray_alpha.png', 'green.bmp',
  'red.png', 'sixteen_bit.png', 'yellow.webp'];

async function userProject(page) {
  await openPaused(page);
}

test('a mixed drop: each bad file gets its own message, every good one is kept', async ({ page }) => {
  await userProject(page);
  const files = fixtureFiles('images');
  expect(files.map((f) => f.name).sort()).toEqual([...Object.keys(BAD), ...GOOD].sort());
  await dropFolders(page, 'body', [{ name: 'mixed', files }]);
  await expect(toast(page, `Added ${GOOD.length} images; ${Object.keys(BAD).length} files could not be read.`)).toBeVisible();
  await page.click('.toast-more'); // the older messages are kept behind this button
  const errors = await errorToasts(page);
  console.log(`messages:\n  ${errors.join('\n  ')}`);
  for (const [name, start] of Object.entries(BAD)) {
    expect(errors.filter((e) => e.startsWith(start)), name).toHaveLength(1);
  }
  const names = await page.evaluate(() => window.__smoothlab.state.dataset.images.map((i) => i.name));
  expect(names.sort()).toEqual(GOOD);

  // The EXIF-rotated photo comes out upright: white on top, black below.
  const [top, bottom] = await page.evaluate(() => {
    const { state } = window.__smoothlab;
    const img = state.dataset.images.find((i) => i.name === 'exif_rotated.jpg');
    const thumb = state.thumbs.get(img.id);
    const at = (y) => thumb.data[4 * (y * thumb.width + thumb.width / 2)];
    return [at(2), at(thumb.height - 3)];
  });
  expect(top).toBeGreaterThan(200);
  expect(bottom).toBeLessThan(50);
});

test('a 100-megapixel JPEG is taken in without crashing the tab, and the heap size is reported', async ({ page }) => {
  await userProject(page);
  const big = fs.readFileSync(path.join(FIXTURES, 'large/photo_100mp.jpg')).toString('base64');
  const started = Date.now();
  await dropFolders(page, 'body', [{ name: 'large', files: [{ name: 'photo_100mp.jpg', base64: big }] }]);
  await expect(page.locator('.toast', { hasText: /photo_100mp\.jpg|Added 1 image/ }).first()).toBeVisible({ timeout: 60_000 });
  const taken = await page.evaluate(() => window.__smoothlab.state.dataset.images.map((i) => i.name));
  const heap = await page.evaluate(() => window.__smoothlab.state.heapBytes);
  console.log(`100-MP JPEG: ${taken.includes('photo_100mp.jpg') ? 'accepted' : 'refused'} in ${Date.now() - started} ms; wasm heap ${(heap / 2 ** 20).toFixed(0)} MiB`);
  // Decoded by the browser (cropped and resized in its decoder) to the same
  // flat gray 128 the file holds.
  const gray = await page.evaluate(() => {
    const { state } = window.__smoothlab;
    const img = state.dataset.images.find((i) => i.name === 'photo_100mp.jpg');
    const { data } = state.thumbs.get(img.id);
    return [data[0], data[Math.floor(data.length / 8) * 4 + 1], data[data.length - 2]];
  });
  for (const v of gray) expect(Math.abs(v - 128)).toBeLessThanOrEqual(2);
  // The page still answers: a class can be added and shows up.
  await page.fill('#new-class', 'after');
  await page.press('#new-class', 'Enter');
  await expect(page.locator('.bucket-name', { hasText: 'after' })).toBeVisible();
});

test('class names with markup in them are shown as text, never run', async ({ page }) => {
  await userProject(page);
  const evil = '<img src=x onerror="window.__ran=1">';
  const tags = '<b>bold <svg onload="window.__ran=2">'; // a folder name has no "/"
  await dropFolders(page, 'body', [
    { name: evil, files: fixtureFiles('folders/cats').slice(0, 3) },
    { name: tags, files: fixtureFiles('folders/dogs').slice(0, 3) },
  ]);
  await expect(toast(page, 'Added 6 images')).toBeVisible();
  await expect(page.locator('.bucket-name')).toHaveText([evil, tags]);
  const id = await page.evaluate(() => window.__smoothlab.state.dataset.images[0].id);
  await page.click('button[data-move-mode="mislabel"]');
  await page.locator(`.tile[data-id="${id}"]`).dragTo(page.locator('.bucket[data-index="1"]'));
  await expect(page.locator(`.tile[data-id="${id}"] .tile-caption`)).toContainText(tags);
  expect(await page.evaluate(() => ({
    ran: window.__ran ?? null,
    images: document.querySelectorAll('img[src="x"]').length,
    bold: document.querySelectorAll('.bucket b, .tile b, #images b').length,
  }))).toEqual({ ran: null, images: 0, bold: 0 });
});

test('training faults: a diverging learning rate pauses with the last finite curves; ε at the top trains', async ({ page }) => {
  await page.goto('/#lr=1000000&opt=sgd&batch=64');
  await expect(page.locator('#banner')).toContainText('Training stopped: training diverged', { timeout: 60_000 });
  await page.waitForFunction(() => !window.__smoothlab.state.playing);
  const finite = await page.evaluate(() => window.__smoothlab.state.reports.every((r) => [r.baseline, r.smoothed]
    .every((m) => Number.isFinite(m.objective) && [m.cleanLoss, m.noisyLoss].every((v) => v === null || Number.isFinite(v)))));
  expect(finite).toBe(true);

  // Lower the rate: training goes on from the last finite weights.
  await page.fill('#set-lr', '0.001');
  await page.press('#set-lr', 'Enter');
  await page.selectOption('#set-optimizer', 'adam');
  await page.locator('#epsilon').fill('0.99');
  await page.click('#play');
  await waitForReports(page, 3);
  await pause(page);
  const last = await page.evaluate(() => window.__smoothlab.state.reports.at(-1).smoothed);
  expect(Number.isFinite(last.objective)).toBe(true);
  await expect(page.locator('#banner')).toBeHidden();
});

test('one class, or a class without images, is explained instead of trained', async ({ page }) => {
  await userProject(page);
  await dropFolders(page, 'body', [{ name: 'cats', files: fixtureFiles('folders/cats') }]);
  await expect(toast(page, 'Added 6 images')).toBeVisible();
  await page.click('#play');
  await expect(page.locator('#banner, .toast-error').first()).toContainText('add at least two classes to train a classifier');
  await page.waitForFunction(() => !window.__smoothlab.state.playing);

  await page.fill('#new-class', 'birds');
  await page.press('#new-class', 'Enter');
  await page.click('#play');
  await expect(page.locator('#banner, .toast-error').filter({ hasText: 'class "birds" has no training images' }).first()).toBeVisible();
  await page.waitForFunction(() => !window.__smoothlab.state.playing);
});

test('5,000 images in one drop: batched, the page keeps drawing, memory stays bounded', async ({ page }) => {
  test.setTimeout(300_000);
  await userProject(page);
  const folder = (name, hue) => ({
    name,
    files: Array.from({ length: 2500 }, (_, i) => ({
      name: `${name}_${String(i).padStart(4, '0')}.png`,
      base64: makePng(32, (x, y) => [(x * 8 + i) % 256, (y * 8 + hue) % 256, (i * 7) % 256]).toString('base64'),
    })),
  });
  const folders = [folder('left', 0), folder('right', 128)];
  await dropFolders(page, 'body', folders); // builds the files in the page: not timed
  const started = Date.now();
  // A frame heartbeat runs while the page reads, sends and shows the files.
  await page.evaluate(() => {
    window.__beat = { worst: 0, frames: 0, last: performance.now(), on: true };
    const beat = (now) => {
      const b = window.__beat;
      b.worst = Math.max(b.worst, now - b.last);
      b.last = now;
      b.frames += 1;
      if (b.on) requestAnimationFrame(beat);
    };
    requestAnimationFrame(beat);
  });
  await expect(toast(page, 'Added 5000 images')).toBeVisible({ timeout: 240_000 });
  const seconds = (Date.now() - started) / 1000;
  const result = await page.evaluate(() => {
    window.__beat.on = false;
    const { state } = window.__smoothlab;
    return { beat: window.__beat, heap: state.heapBytes, count: state.dataset.images.length,
      tiles: document.querySelectorAll('#grid .tile').length };
  });
  console.log(`5,000 images: ${seconds.toFixed(1)} s to add, worst frame gap ${result.beat.worst.toFixed(0)} ms over ${result.beat.frames} frames, wasm heap ${(result.heap / 2 ** 20).toFixed(0)} MiB`);
  expect(result.count).toBe(5000);
  expect(result.tiles).toBeLessThanOrEqual(64); // the grid pages its tiles
  expect(result.beat.frames).toBeGreaterThan(seconds * 5); // the page kept drawing
  expect(result.heap).toBeLessThan(256 * 2 ** 20); // 5,000 × 32×32×3 is 15 MiB of pixels
  await expect(page.locator('#save-status')).toHaveText('Saved in this browser');
});
