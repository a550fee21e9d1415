// Photos learn: a person's photos are read once by the pretrained backbone
// (EfficientNet-Lite0, in the page's wasm), the two models train on its
// features with the page's defaults, and so held-out accuracy is far above
// what raw pixels give and the mislabeled images' loss stays at least twice
// the correct ones' for a stretch a person can see. A reload reads the
// features back instead of running the backbone.
import { dropFolders, expect, fixtureFiles, openPaused, pause, screenshot, test } from './helpers.js';

const state = (page, pick) => page.evaluate(pick);
const EPOCHS = 30;

async function trainFor(page, epochs) {
  await page.click('#play');
  await page.waitForFunction((n) => {
    const { reports } = window.__smoothlab.state;
    return reports.length > 0 && reports[0].epoch < 1 && reports.at(-1).epoch >= n;
  }, epochs, { timeout: 240_000 });
  await pause(page);
  return page.evaluate((n) => window.__smoothlab.state.reports
    .filter((r) => r.epoch <= n).map((r) => ({ epoch: r.epoch, ...r.baseline })), epochs);
}

const best = (run) => Math.max(...run.map((r) => r.testAcc));
// Held-out accuracy from epoch 5 on: the median, steadier than the best
// point on 80 held-out photos.
const typical = (run) => {
  const accs = run.filter((r) => r.epoch >= 5).map((r) => r.testAcc).sort((a, b) => a - b);
  return accs[Math.floor(accs.length / 2)];
};

// Seed 3: the seed sets the held-out split, and on 80 held-out photos a split
// moves accuracy by several points. Natively, with the page's defaults
// (`smoothlab train --data tests/fixtures/photos --noise 0.2 --hidden 128
// --epochs 30 --seed N`, with and without `--features effnet`, whose head is
// linear), the median held-out accuracy from epoch 5 on is, features vs
// pixels: seed 1 68.8% vs 62.5%, seed 2 70.0% vs 55.0%, seed 3 70.0% vs
// 56.2%, seed 4 77.5% vs 57.5%, seed 5 62.5% vs 53.8%. Seed 3 has the median
// gap of the five (13.8 points).
test('photos train on pretrained features, far above raw pixels, with the mislabeled curve twice the correct one', async ({ page }) => {
  test.setTimeout(480_000);
  await openPaused(page, '/#seed=3');
  await dropFolders(page, '#grid', [
    { name: 'cat', files: fixtureFiles('photos/cat') },
    { name: 'dog', files: fixtureFiles('photos/dog') },
  ]);
  await expect(page.locator('.toast', { hasText: 'Added 400 images' })).toBeVisible({ timeout: 60_000 });
  await page.waitForFunction(() => window.__smoothlab.state.dataset.input === 'features', null, { timeout: 180_000 });
  const embedded = await state(page, () => window.__smoothlab.state.embedding);
  expect(embedded).toMatchObject({ done: 400, total: 400 });
  await expect(page.locator('#embed-status')).toBeHidden();

  await page.click('#noise-apply'); // 20% of the training labels flipped
  await page.waitForFunction(() => window.__smoothlab.state.dataset.mislabeled > 0);
  const onFeatures = await trainFor(page, EPOCHS);
  await screenshot(page, 'photos-on-features');
  const apart = onFeatures.filter((r) => r.noisyLoss >= 2 * r.cleanLoss);
  const ratios = onFeatures.map((r) => (r.noisyLoss / r.cleanLoss).toFixed(1)).join(' ');
  console.log(`features: ${apart.length} of ${onFeatures.length} points with mislabeled ≥ 2× correct; best held-out ${best(onFeatures).toFixed(3)}; ratios ${ratios}`);
  expect(onFeatures.length).toBe(4 * EPOCHS); // the default: four points per epoch
  expect(apart.length).toBeGreaterThanOrEqual(10);
  expect(best(onFeatures)).toBeGreaterThanOrEqual(0.7);

  // A reload reads the features back: the backbone does not run again.
  await page.reload();
  await expect(page.locator('.toast', { hasText: 'Restored your saved project: 400 images' })).toBeVisible({ timeout: 60_000 });
  await page.waitForFunction(() => window.__smoothlab.state.dataset.input === 'features', null, { timeout: 60_000 });
  expect(await state(page, () => window.__smoothlab.state.embedding)).toBeNull();

  // The same photos, labels and seed on raw pixels.
  await page.selectOption('#set-input', 'pixels');
  await page.waitForFunction(() => window.__smoothlab.state.dataset.input === 'pixels');
  const onPixels = await trainFor(page, EPOCHS);
  console.log(`held-out accuracy, median from epoch 5: features ${typical(onFeatures).toFixed(3)}, pixels ${typical(onPixels).toFixed(3)} (best ${best(onPixels).toFixed(3)})`);
  expect(typical(onFeatures)).toBeGreaterThanOrEqual(typical(onPixels) + 0.1);
  expect(page.url()).toContain('see=pixels');
});
