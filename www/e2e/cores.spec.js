// Every core, the same bits: the photos' backbone features are read on a
// pool of wasm workers besides the session worker (worker/pool.js), and the
// result may not depend on how many there are. The same 400 photos, seed and
// noise on 1, 2 and 3 cores (the `cores` setting) give the very same
// reports, number for number, and the pool really did read photos when it
// had workers. The search for mislabeled images spreads its folds the same
// way, and finds the same images with the same scores.
import { dropFolders, expect, fixtureFiles, openPaused, pause, test } from './helpers.js';

const EPOCHS = 2;

async function runOn(browser, cores, photos) {
  const context = await browser.newContext(); // nothing saved from another run
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  try {
    await openPaused(page, `/#seed=3&cores=${cores}`);
    await dropFolders(page, '#grid', photos);
    await expect(page.locator('.toast', { hasText: 'Added 400 images' })).toBeVisible({ timeout: 60_000 });
    await page.waitForFunction(() => window.__smoothlab.state.dataset.input === 'features', null, { timeout: 180_000 });
    const embedding = await page.evaluate(() => window.__smoothlab.state.embedding);
    await page.click('#noise-apply');
    await page.waitForFunction(() => window.__smoothlab.state.dataset.mislabeled > 0);
    await page.click('#play');
    await page.waitForFunction((n) => window.__smoothlab.state.reports.at(-1)?.epoch >= n, EPOCHS, { timeout: 120_000 });
    await pause(page);
    const reports = await page.evaluate((n) => window.__smoothlab.state.reports.filter((r) => r.epoch <= n), EPOCHS);
    return { cores, embedding, reports, errors };
  } finally {
    await context.close();
  }
}

test('photos read on 1, 2 or 3 cores give the very same reports', async ({ browser }) => {
  test.setTimeout(420_000);
  const photos = [
    { name: 'cat', files: fixtureFiles('photos/cat') },
    { name: 'dog', files: fixtureFiles('photos/dog') },
  ];
  const runs = [];
  for (const cores of [1, 2, 3]) runs.push(await runOn(browser, cores, photos));

  for (const { cores, embedding, reports, errors } of runs) {
    expect(errors, `console errors on ${cores} cores`).toEqual([]);
    expect(embedding.done).toBe(400);
    expect(embedding.lanes).toBe(cores);
    // The session worker reads a share too; the pool the rest.
    if (cores === 1) expect(embedding.pooled).toBe(0);
    else expect(embedding.pooled).toBeGreaterThan(50);
    expect(reports.length).toBe(4 * EPOCHS); // four points per epoch
  }
  console.log(`photos read by the pool: ${runs.map((r) => `${r.cores} cores ${r.embedding.pooled}`).join(', ')}`);
  expect(runs[1].reports).toEqual(runs[0].reports);
  expect(runs[2].reports).toEqual(runs[0].reports);
});

async function findOn(browser, cores) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  try {
    await openPaused(page, `/#seed=2&cores=${cores}`); // the digits, 20% of their labels flipped
    await page.fill('#find-folds', '5');
    await page.fill('#find-epochs', '6');
    await page.click('#find-run');
    await expect(page.locator('#find-status')).toHaveText('Done: 5 folds × 6 epochs', { timeout: 120_000 });
    const findings = await page.evaluate(() => window.__smoothlab.state.finder.findings);
    return { cores, findings, errors };
  } finally {
    await context.close();
  }
}

test('the search for mislabeled images on 1 or 3 cores finds the same images with the same scores', async ({ browser }) => {
  test.setTimeout(300_000);
  const [one, three] = [await findOn(browser, 1), await findOn(browser, 3)];
  for (const run of [one, three]) expect(run.errors, `console errors on ${run.cores} cores`).toEqual([]);
  expect(one.findings.pooledFolds).toBe(0);
  expect(three.findings.pooledFolds).toBeGreaterThanOrEqual(2); // two pool workers, a fold each at least
  const flagged = one.findings.byFilter.prune_by_noise_rate.outOfSample.issues;
  expect(flagged.length).toBeGreaterThan(100);
  // Out of sample: the folds' models alone. (The in-sample ranking is the
  // trained baseline's, which trained for as long as each run happened to
  // before its pause.)
  for (const filter of Object.keys(one.findings.byFilter)) {
    expect(three.findings.byFilter[filter].outOfSample, filter).toEqual(one.findings.byFilter[filter].outOfSample);
  }
});
