// The photo samples: real photos with the labels people gave them
// (CIFAR-10N), fetched from the page's own origin when picked. With the
// worst-of-three labels the lab knows exactly which training photos people
// got wrong (the oracle: labels.csv read here, independently of the core),
// and the mislabeled photos' loss stays apart from the correct ones'. The
// same count of random flips can be put beside them. A copy of the lab
// without the samples says so and works as before.
import fs from 'node:fs';
import path from 'node:path';
import { dropFolders, expect, fixtureFiles, openPaused, pause, screenshot, test, waitForReports } from './helpers.js';

const SAMPLES = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../data/cifar10n');
const state = (page, pick, arg) => page.evaluate(pick, arg);

/** file name → {true, worse, …} from labels.csv. */
function humanLabels(set) {
  const [header, ...rows] = fs.readFileSync(path.join(SAMPLES, set, 'labels.csv'), 'utf8').trim().split('\n');
  const cols = header.split(',');
  return new Map(rows.map((line) => {
    const cells = line.split(',');
    return [cells[0], Object.fromEntries(cols.map((c, i) => [c, cells[i]]))];
  }));
}

async function loadSample(page, set, labels) {
  await page.click('#open-samples');
  await expect(page.locator('#samples-dialog')).toBeVisible();
  await page.check(`input[name="sample-set"][value="${set}"]`);
  await page.selectOption('#sample-labels', labels);
  await page.click('#samples-load');
}

test.skip(!fs.existsSync(SAMPLES), 'the CIFAR-10N samples are not in this copy');

test('the cat/dog photos with the worst-of-three human labels: the truth is kept and the curves separate', async ({ page }) => {
  test.setTimeout(420_000);
  await openPaused(page, '/#seed=1');
  await loadSample(page, 'cifar10n-catdog', 'worse');
  await expect(page.locator('#sample-about')).toBeVisible();
  await expect(page.locator('.toast', { hasText: 'Loaded Cats and dogs, labelled by people (CIFAR-10N): 2000 images' }))
    .toBeVisible({ timeout: 60_000 });

  // Every photo is in with its worse label as given and its CIFAR-10 label
  // as truth; the training split's mislabeled count is the oracle's.
  const oracle = humanLabels('cifar10n-catdog');
  const ds = await state(page, () => window.__smoothlab.state.dataset);
  expect(ds.classes).toEqual(['cat', 'dog']);
  expect(ds.images.length).toBe(2000);
  const named = (img) => ({ given: ds.classes[img.given], truth: ds.classes[img.truth] });
  for (const img of ds.images) {
    expect(named(img)).toEqual({ given: oracle.get(img.name).worse, truth: oracle.get(img.name).true });
  }
  const training = ds.images.filter((img) => !img.holdout);
  const wrongInTraining = training.filter((img) => oracle.get(img.name).worse !== oracle.get(img.name).true).length;
  expect(wrongInTraining).toBeGreaterThan(300);
  expect(ds.mislabeled).toBe(wrongInTraining);
  await expect(page.locator('#sample-about-labels')).toContainText(`${wrongInTraining} of ${training.length.toLocaleString('en-US')} training photos carry a wrong label`);
  await expect(page.locator('#noise-status')).toContainText(`${wrongInTraining} of ${training.length} training images mislabeled`);

  // It opens in features mode and trains once the backbone has read the photos.
  await page.waitForFunction(() => window.__smoothlab.state.dataset.input === 'features', null, { timeout: 240_000 });
  await page.waitForFunction(() => window.__smoothlab.state.reports.at(-1)?.epoch >= 10, null, { timeout: 180_000 });
  await pause(page);
  const run = await state(page, () => window.__smoothlab.state.reports.map((r) => ({ epoch: r.epoch, ...r.baseline })));
  const apart = run.filter((r) => r.epoch >= 1 && r.noisyLoss >= 2 * r.cleanLoss);
  const fromEpoch1 = run.filter((r) => r.epoch >= 1);
  console.log(`worse labels: ${apart.length} of ${fromEpoch1.length} points from epoch 1 with mislabeled ≥ 2× correct; `
    + `best held-out ${Math.max(...run.map((r) => r.testAcc)).toFixed(3)}`);
  expect(apart.length).toBeGreaterThanOrEqual(0.75 * fromEpoch1.length);
  expect(Math.max(...run.map((r) => r.testAcc))).toBeGreaterThanOrEqual(0.65);
  await screenshot(page, 'sample-catdog-worse');

  // The same photos with as many random flips of the true labels: the same
  // count in the training split, on other photos.
  await loadSample(page, 'cifar10n-catdog', 'flip-worse');
  await page.waitForFunction(() => {
    const { origin, dataset } = window.__smoothlab.state;
    return origin?.flipped && dataset.images.length === 2000 && dataset.mislabeledHeldOut === 0;
  }, null, { timeout: 60_000 });
  const flipped = await state(page, () => window.__smoothlab.state.dataset);
  expect(flipped.mislabeled).toBe(wrongInTraining);
  const humanWrong = new Set(training.filter((img) => img.mislabeled).map((img) => img.name));
  const both = flipped.images.filter((img) => img.mislabeled && humanWrong.has(img.name)).length;
  expect(both).toBeLessThan(wrongInTraining / 2); // picked at random, not where people erred
  for (const img of flipped.images) expect(flipped.classes[img.truth]).toBe(oracle.get(img.name).true);
  await expect(page.locator('#sample-about-look')).toContainText('random, not human');
});

test('the ten-class photos with the majority labels train well above chance; a photo of one\'s own makes the sample the person\'s', async ({ page }) => {
  test.setTimeout(480_000);
  await openPaused(page, '/#seed=1');
  await loadSample(page, 'cifar10n-small', 'aggre');
  await expect(page.locator('.toast', { hasText: 'Loaded Ten classes, labelled by people (CIFAR-10N): 3000 images' }))
    .toBeVisible({ timeout: 90_000 });
  const oracle = humanLabels('cifar10n-small');
  const ds = await state(page, () => window.__smoothlab.state.dataset);
  expect(ds.classes).toEqual(['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck']);
  expect(ds.images.length).toBe(3000);
  const training = ds.images.filter((img) => !img.holdout);
  const wrong = (img) => oracle.get(img.name).aggre !== oracle.get(img.name).true;
  expect(ds.mislabeled).toBe(training.filter(wrong).length);
  expect(ds.mislabeledHeldOut).toBe(ds.images.filter((img) => img.holdout && wrong(img)).length);

  // Ten classes: chance is 10%; the backbone's features take a linear head
  // far beyond it within two epochs, and the wrong labels stay apart.
  await page.waitForFunction(() => window.__smoothlab.state.dataset.input === 'features', null, { timeout: 300_000 });
  await page.waitForFunction(() => window.__smoothlab.state.reports.at(-1)?.epoch >= 2, null, { timeout: 120_000 });
  await pause(page);
  const last = await state(page, () => window.__smoothlab.state.reports.at(-1).baseline);
  console.log(`ten classes, aggre labels: held-out ${last.testAcc.toFixed(3)}, mislabeled ${last.noisyLoss.toFixed(2)} vs correct ${last.cleanLoss.toFixed(2)} nats`);
  expect(last.testAcc).toBeGreaterThanOrEqual(0.5);
  expect(last.noisyLoss).toBeGreaterThanOrEqual(2 * last.cleanLoss);
  await screenshot(page, 'sample-small-aggre');

  // Until the person adds a photo the sample can simply be loaded again;
  // after it, replacing the project asks first.
  await dropFolders(page, '#grid', [{ name: 'cat', files: fixtureFiles('folders/cats', ['cat_1.jpg']) }]);
  await expect(page.locator('.toast', { hasText: 'Added 1 image' })).toBeVisible({ timeout: 30_000 });
  await page.click('#load-sample');
  await expect(page.locator('#confirm')).toBeVisible();
  await page.click('#confirm button[value="cancel"]');
  expect(await state(page, () => window.__smoothlab.state.dataset.images.length)).toBe(3001);
  expect(await state(page, () => window.__smoothlab.state.origin.set)).toBe('cifar10n-small');
});

test('a lone annotator\'s labels outside cat and dog leave those photos out, and say so', async ({ page }) => {
  test.setTimeout(120_000);
  await openPaused(page);
  await loadSample(page, 'cifar10n-catdog', 'random1');
  await expect(page.locator('.toast', { hasText: '29 photos were left out' })).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('.toast', { hasText: ': 1971 images' })).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('#sample-about-labels')).toContainText('29 photos were left out');
});

// A build without data/cifar10n writes an index with no sets (samples-plugin.js).
test('without the samples the page says so, and the digits and the rest work', async ({ page }) => {
  await page.route('**/samples/index.json', (route) => route.fulfill({ json: { sets: [], licence: null } }));
  await page.goto('/');
  await waitForReports(page, 1);
  await page.click('#open-samples');
  await expect(page.locator('#samples-missing')).toBeVisible();
  await expect(page.locator('#samples-load')).toBeDisabled();
  await page.keyboard.press('Escape');
  await expect(page.locator('#samples-dialog')).toBeHidden();
  const before = await state(page, () => window.__smoothlab.state.reports.length);
  await page.waitForFunction((n) => window.__smoothlab.state.reports.length > n, before);
  expect(await state(page, () => window.__smoothlab.state.isSample)).toBe(true);
});

test('a sample listed but gone from the server keeps the project and says why', async ({ page }) => {
  await page.route('**/samples/cifar10n-catdog/**', (route) => route.fulfill({ status: 404, body: 'gone' }));
  await page.goto('/');
  await waitForReports(page, 1);
  await loadSample(page, 'cifar10n-catdog', 'aggre');
  await expect(page.locator('.toast, #banner', { hasText: 'is not part of this copy of smoothlab' }).first()).toBeVisible();
  expect(await state(page, () => window.__smoothlab.state.isSample)).toBe(true);
  expect(await state(page, () => window.__smoothlab.state.dataset.images.length)).toBe(1797);
});
