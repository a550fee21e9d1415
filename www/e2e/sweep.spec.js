// "Compare ε" in the page: the sweep runs in the background and draws its
// plot; its numbers do not depend on how many cores trained it (each model
// is the same bits wherever it ran), and it can be stopped.
import { expect, openPaused, screenshot, test } from './helpers.js';

const sweepState = (page) => page.evaluate(() => window.__smoothlab.state.sweep);

async function runSweep(page, { eps, seeds, epochs }) {
  await page.fill('#sweep-eps', eps);
  await page.fill('#sweep-seeds', String(seeds));
  await page.fill('#sweep-epochs', String(epochs));
  await page.click('#sweep-run');
  await page.waitForFunction(() => window.__smoothlab.state.sweep.progress?.finished === true, null, { timeout: 120_000 });
  return (await sweepState(page)).result;
}

test('Compare ε trains every ε for every seed and plots them with their spread', async ({ page }) => {
  await openPaused(page, '/#seed=4&noise=40');
  const result = await runSweep(page, { eps: '0, 0.1, 0.3', seeds: 2, epochs: 4 });

  expect(result.epsilons).toEqual([0, 0.1, 0.3]);
  expect(result.seedList).toEqual([4, 5]);
  expect(result.rows.map((r) => r.epsilon)).toEqual([0, 0.1, 0.3]);
  for (const row of result.rows) {
    for (const key of ['peakAcc', 'finalAcc', 'ece', 'memorized']) {
      const s = row[key];
      expect(s.n).toBe(2);
      expect(s.min).toBeLessThanOrEqual(s.mean);
      expect(s.mean).toBeLessThanOrEqual(s.max);
    }
    expect(row.peakAcc.max).toBeGreaterThanOrEqual(row.finalAcc.max);
  }
  // The summary is the seeds' own numbers put together.
  result.rows.forEach((row, i) => {
    const finals = result.perSeed.map((seed) => seed[i].finalAcc);
    expect(row.finalAcc.mean).toBeCloseTo((finals[0] + finals[1]) / 2, 12);
    expect(row.finalAcc.min).toBe(Math.min(...finals));
  });
  // Different seeds are different runs.
  expect(result.perSeed[0][0].finalAcc).not.toBe(result.perSeed[1][0].finalAcc);

  await expect(page.locator('#sweep-status')).toHaveText('Done: 2 seeds × 3 models × 4 epochs');
  await expect(page.locator('#sweep-plots figure')).toHaveCount(4);
  await expect(page.locator('#sweep-plots .sweep-point')).toHaveCount(12);
  await expect(page.locator('#sweep-plots figure[data-measure="finalAcc"] .sweep-point[data-epsilon="0.3"] title'))
    .toContainText('over 2 seeds');
  await expect(page.locator('#sweep-verdicts li').first()).toContainText(/final held-out accuracy: best at ε = 0\.[13]/);
  await expect(page.locator('.sweep-table tbody tr')).toHaveCount(3);
  await screenshot(page, 'sweep-page');
  await page.locator('#sweep').screenshot({ path: 'test-results/sweep.png' });

  // The same sweep on one core (no pool: every model trains in the session
  // worker) gives the very same numbers.
  await openPaused(page, '/#seed=4&noise=40&cores=1');
  const serial = await runSweep(page, { eps: '0, 0.1, 0.3', seeds: 2, epochs: 4 });
  expect(serial.rows).toEqual(result.rows);
  expect(serial.perSeed).toEqual(result.perSeed);
});

test('a sweep can be stopped, and bad input is explained', async ({ page }) => {
  await openPaused(page, '/#seed=4');
  await page.fill('#sweep-eps', '0, 1.5');
  await page.click('#sweep-run');
  await expect(page.locator('.toast-error', { hasText: 'Compare ε:' })).toBeVisible();
  expect((await sweepState(page)).progress).toBeNull();

  await page.fill('#sweep-eps', '0, 0.05, 0.1, 0.2, 0.3, 0.5');
  await page.fill('#sweep-seeds', '10');
  await page.fill('#sweep-epochs', '200');
  await page.click('#sweep-run');
  await page.waitForFunction(() => window.__smoothlab.state.sweep.progress?.running === true);
  await expect(page.locator('#sweep-stop')).toBeVisible();
  await page.click('#sweep-stop');
  await page.waitForFunction(() => window.__smoothlab.state.sweep.progress?.running === false);
  await expect(page.locator('#sweep-status')).toHaveText('Stopped');
  await expect(page.locator('#sweep-run')).toBeEnabled();
  expect((await sweepState(page)).result).toBeNull();

  // Straight away a small one, while the stopped sweep's last jobs may still
  // be training on the pool: its result is its own, nothing of the other.
  const small = await runSweep(page, { eps: '0, 0.3', seeds: 2, epochs: 3 });
  expect(small.epsilons).toEqual([0, 0.3]);
  expect(small.epochs).toBe(3);
  expect(small.perSeed).toHaveLength(2);
  for (const seed of small.perSeed) expect(seed.map((m) => m.epsilon)).toEqual([0, 0.3]);
  for (const row of small.rows) expect(row.finalAcc.n).toBe(2);
  await expect(page.locator('#sweep-status')).toHaveText('Done: 2 seeds × 2 models × 3 epochs');
});

test('replacing the project stops a sweep under way', async ({ page }) => {
  await openPaused(page, '/#seed=4');
  await page.fill('#sweep-seeds', '10');
  await page.fill('#sweep-epochs', '300');
  await page.click('#sweep-run');
  await page.waitForFunction(() => window.__smoothlab.state.sweep.progress?.running === true);
  await page.click('#new-project');
  await page.click('#confirm-ok'); // "New project" asks first
  await page.waitForFunction(() => window.__smoothlab.state.sweep.progress?.running === false, null, { timeout: 30_000 });
  await expect(page.locator('#sweep-status')).toHaveText('Stopped: the project was replaced');
  expect((await sweepState(page)).result).toBeNull();
});
