// The pair on two cores: the smoothed model trains in a pool worker, in
// lockstep with the baseline in the session worker (worker/pair.js), and
// the result may not depend on it. On 1, 2 and 3 cores the same seed, noise
// and ε give the very same reports, number for number; and what a person
// does while it trains (clear or flip noise, move ε, remove images) reaches
// the lent model at the same point as the baseline.
import { expect, openPaused, pause, test } from './helpers.js';

const EPOCHS = 6;
const last = (page) => page.evaluate(() => window.__smoothlab.state.reports.at(-1));
const pooledSlices = (page) => page.evaluate(() => window.__smoothlab.state.pooledSlices);

function watchErrors(page) {
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  return errors;
}

/** Noise flipped and both models restarted, so that the run starts from a known place. */
async function freshNoisyRun(page) {
  await page.click('#noise-apply');
  await page.waitForFunction(() => window.__smoothlab.state.dataset.mislabeled > 0);
  await page.click('#restart-both');
  await page.waitForFunction(() => window.__smoothlab.state.reports.length === 0);
}

async function trainOn(browser, cores) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  try {
    await openPaused(page, `/#seed=2&eps=0.3&cores=${cores}`);
    await freshNoisyRun(page);
    const before = await pooledSlices(page);
    await page.click('#play');
    await page.waitForFunction((n) => window.__smoothlab.state.reports.at(-1)?.epoch >= n, EPOCHS, { timeout: 120_000 });
    await pause(page);
    const reports = await page.evaluate((n) => window.__smoothlab.state.reports.filter((r) => r.epoch <= n), EPOCHS);
    return { cores, reports, pooled: (await pooledSlices(page)) - before, errors };
  } finally {
    await context.close();
  }
}

test('the pair trained on 1, 2 or 3 cores gives the very same reports', async ({ browser }) => {
  test.setTimeout(240_000);
  const runs = [];
  for (const cores of [1, 2, 3]) runs.push(await trainOn(browser, cores));
  for (const { cores, reports, pooled, errors } of runs) {
    expect(errors, `console errors on ${cores} cores`).toEqual([]);
    expect(reports.length).toBe(4 * EPOCHS); // four points per epoch
    if (cores === 1) expect(pooled).toBe(0);
    else expect(pooled, `slices on two cores with ${cores} cores`).toBeGreaterThan(20);
  }
  console.log(`slices trained on two cores: ${runs.map((r) => `${r.cores} cores ${r.pooled}`).join(', ')}`);
  expect(runs[0].reports.at(-1).smoothed.epsilon).toBeCloseTo(0.3, 6);
  expect(runs[1].reports).toEqual(runs[0].reports);
  expect(runs[2].reports).toEqual(runs[0].reports);
});

// What a point waited for shows (the page may not run code it is sent as text).
const WANTED = {
  noNoise: (r) => r.baseline.nNoisy === 0,
  noisy: (r) => r.baseline.nNoisy > 0,
  epsilon: (r, v) => Math.abs(r.smoothed.epsilon - v) < 1e-6,
  fewerThan: (r, v) => r.baseline.nClean + r.baseline.nNoisy + r.baseline.nTest < v,
};

/** The first point measured after the first `since` that shows `what`. */
async function pointAfter(page, since, what, value) {
  const find = (reports) => reports.find((r) => WANTED[what](r, value));
  await expect.poll(async () => find(await page.evaluate((n) => window.__smoothlab.state.reports.slice(n), since)) !== undefined,
    { timeout: 60_000 }).toBe(true);
  return find(await page.evaluate((n) => window.__smoothlab.state.reports.slice(n), since));
}

const count = (page) => page.evaluate(() => window.__smoothlab.state.reports.length);
const images = (m) => m.nClean + m.nNoisy + m.nTest;

test('changes made while the pair trains on two cores reach both models at once', async ({ page }) => {
  test.setTimeout(180_000);
  const errors = watchErrors(page);
  await openPaused(page, '/#seed=5&eps=0.2&cores=2');
  await freshNoisyRun(page);
  await page.click('#play');
  await page.waitForFunction(() => window.__smoothlab.state.pooledSlices > 5 && window.__smoothlab.state.reports.length > 3);
  const noisy = (await last(page)).baseline.nNoisy;
  expect(noisy).toBeGreaterThan(100);

  // Clearing the noise: the very next points count no mislabeled image for either model.
  let since = await count(page);
  await page.click('#noise-clear');
  let r = await pointAfter(page, since, 'noNoise');
  expect(r.smoothed.nNoisy).toBe(0);
  expect(r.smoothed.nClean).toBe(r.baseline.nClean);

  // Flipping again: both see the same new mislabeled images.
  since = await count(page);
  await page.click('#noise-apply');
  r = await pointAfter(page, since, 'noisy');
  expect(r.smoothed.nNoisy).toBe(r.baseline.nNoisy);

  // ε moved live: the lent model reports it, in the same run (no restart).
  since = await count(page);
  await page.locator('#epsilon').fill('0.45');
  r = await pointAfter(page, since, 'epsilon', 0.45);
  const run = await page.evaluate(() => window.__smoothlab.state.reports);
  const at = run.findIndex((x) => Math.abs(x.smoothed.epsilon - 0.45) < 1e-6);
  expect(at).toBeGreaterThan(0);
  expect(run[at - 1].smoothed.epsilon).toBeCloseTo(0.2, 6);
  expect(run[at].epoch).toBeGreaterThan(run[at - 1].epoch);

  // Images removed (a new revision: the worker's copy of the data is made
  // anew): both models are measured on one image fewer.
  since = await count(page);
  const total = images(r.baseline);
  await page.locator('#grid .tile').first().click();
  await page.keyboard.press('Delete');
  r = await pointAfter(page, since, 'fewerThan', total);
  expect(images(r.smoothed)).toBe(images(r.baseline));
  expect(images(r.baseline)).toBe(total - 1);

  await pause(page);
  expect(await page.locator('#speed').textContent()).toBe('paused');
  // Every point recorded both models at once, and training ran on two cores.
  const reports = await page.evaluate(() => window.__smoothlab.state.reports);
  for (const p of reports) expect(p.smoothed.nNoisy).toBe(p.baseline.nNoisy);
  expect(await pooledSlices(page)).toBeGreaterThan(20);
  expect(errors).toEqual([]);
});

test('pause, play and a change of cores while the pair trains lose nothing', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  await openPaused(page, '/#seed=6&cores=2');
  await page.click('#play');
  await page.waitForFunction(() => window.__smoothlab.state.pooledSlices > 5);
  // Pause takes the model back, play lends it again.
  await pause(page);
  const before = await pooledSlices(page);
  await page.click('#play');
  await page.waitForFunction((n) => window.__smoothlab.state.pooledSlices > n + 5, before);
  // One core: the model comes back before the pool stops, training goes on here.
  await page.fill('#set-cores', '1');
  await page.dispatchEvent('#set-cores', 'change');
  await page.waitForFunction(() => window.__smoothlab.state.trainingLanes === 1);
  const onOne = await count(page);
  await page.waitForFunction((n) => window.__smoothlab.state.reports.length > n + 8, onOne);
  const stuck = await pooledSlices(page);
  // Two again: the pool restarts and the smoothed model is lent again.
  await page.fill('#set-cores', '2');
  await page.dispatchEvent('#set-cores', 'change');
  await page.waitForFunction((n) => window.__smoothlab.state.pooledSlices > n + 5, stuck);
  await pause(page);
  const reports = await page.evaluate(() => window.__smoothlab.state.reports);
  for (let i = 1; i < reports.length; i += 1) expect(reports[i].epoch).toBeGreaterThan(reports[i - 1].epoch);
  expect(reports.every((r) => Number.isFinite(r.smoothed.cleanLoss) && Number.isFinite(r.baseline.cleanLoss))).toBe(true);
  expect(await page.evaluate(() => window.__smoothlab.state.playing)).toBe(false);
  expect(errors).toEqual([]);
});
