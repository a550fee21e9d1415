// The slider changes the smoothed model only: with the same seed the
// baseline's history is identical whatever ε is, the smoothed one is not.
import { expect, openPaused, pause, test, waitForReports } from './helpers.js';

const EPOCHS = 24; // points of the curves: six epochs at four a epoch

async function runFromSeed(page, epochs) {
  await page.click('#reset');
  await page.waitForFunction(() => window.__smoothlab.state.reports.length === 0);
  await page.click('#play');
  await waitForReports(page, epochs);
  await pause(page);
  return page.evaluate((n) => window.__smoothlab.state.reports.slice(0, n), epochs);
}

async function setEpsilon(page, value) {
  await page.locator('#epsilon').fill(String(value));
  await expect(page.locator('#epsilon-value')).toHaveText(value.toFixed(2));
  await page.waitForFunction((v) => window.__smoothlab.state.settings.epsilon === v, value);
}

test('moving the slider changes the smoothed curve and not the baseline', async ({ page }) => {
  await openPaused(page, '/#eps=0&seed=7');
  expect(await page.evaluate(() => window.__smoothlab.state.settings.epsilon)).toBe(0);

  const plain = await runFromSeed(page, EPOCHS); // ε = 0 for both models
  for (const r of plain) expect(r.smoothed).toEqual(r.baseline); // the same model twice

  await setEpsilon(page, 0.3);
  await expect(page.locator('#legend-loss')).toContainText('mislabeled — smoothed (ε=0.30)');
  expect(page.url()).toContain('eps=0.3');
  const smoothed = await runFromSeed(page, EPOCHS);
  for (let i = 0; i < EPOCHS; i += 1) {
    expect(smoothed[i].baseline, `baseline at epoch ${i + 1}`).toEqual(plain[i].baseline);
    expect(Math.abs(smoothed[i].smoothed.cleanLoss - plain[i].smoothed.cleanLoss)).toBeGreaterThan(1e-4);
  }
  // Smoothing keeps the model less sure: its loss on clean images stays higher.
  expect(smoothed[EPOCHS - 1].smoothed.cleanLoss).toBeGreaterThan(plain[EPOCHS - 1].smoothed.cleanLoss);

  // Live: move the slider while training; the baseline goes on unchanged.
  await setEpsilon(page, 0);
  await page.click('#reset');
  await page.waitForFunction(() => window.__smoothlab.state.reports.length === 0);
  await page.click('#play');
  await waitForReports(page, 2);
  await setEpsilon(page, 0.3);
  await waitForReports(page, EPOCHS);
  await pause(page);
  const live = await page.evaluate((n) => window.__smoothlab.state.reports.slice(0, n), EPOCHS);
  const mark = await page.evaluate(() => window.__smoothlab.state.marks.at(-1));
  expect(mark).toMatchObject({ kind: 'epsilon', label: 'ε → 0.30' });
  expect(mark.epoch).toBeGreaterThanOrEqual(live[1].epoch);
  expect(mark.epoch).toBeLessThan(live[EPOCHS - 4].epoch);
  for (let i = 0; i < EPOCHS; i += 1) {
    expect(live[i].baseline, `baseline at epoch ${i + 1}`).toEqual(plain[i].baseline);
    if (live[i].epoch <= mark.epoch) expect(live[i].smoothed).toEqual(plain[i].smoothed);
  }
  expect(live[EPOCHS - 1].smoothed.cleanLoss).not.toBeCloseTo(plain[EPOCHS - 1].smoothed.cleanLoss, 4);
});
