// The slider changes the smoothed model only: with the same seed the
// baseline's history is identical whatever ε is, the smoothed one is not.
import { expect, openPaused, pause, test, waitForReports } from './helpers.js';

const EPOCHS = 24; // points of the curves: six epochs at four a epoch
const PLAIN = 80; // points of the ε = 0 run the others are compared with

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

  // ε = 0 for both models; long enough for the live run below, which moves ε
  // wherever training has got to when the slider moves (the digits train
  // tens of epochs a second on two cores).
  const plain = await runFromSeed(page, PLAIN);
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

  // Live: move the slider while training; the baseline goes on unchanged,
  // the smoothed model changes from the first point measured with ε = 0.3.
  await setEpsilon(page, 0);
  await page.click('#reset');
  await page.waitForFunction(() => window.__smoothlab.state.reports.length === 0);
  await page.click('#play');
  await waitForReports(page, 2);
  await setEpsilon(page, 0.3);
  await page.waitForFunction(() => {
    const { reports } = window.__smoothlab.state;
    const first = reports.findIndex((r) => r.smoothed.epsilon > 0.29);
    return first >= 0 && reports.length >= first + 5;
  });
  await pause(page);
  const live = await page.evaluate((n) => window.__smoothlab.state.reports.slice(0, n), PLAIN);
  const mark = await page.evaluate(() => window.__smoothlab.state.marks.at(-1));
  expect(mark).toMatchObject({ kind: 'epsilon', label: 'ε → 0.30' });
  expect(mark.epoch).toBeGreaterThanOrEqual(live[1].epoch);
  const first = live.findIndex((r) => r.smoothed.epsilon > 0.29);
  expect(first, 'ε reached the smoothed model within the plain run').toBeGreaterThan(1);
  expect(first).toBeLessThan(PLAIN - 4);
  for (let i = 0; i < live.length; i += 1) {
    expect(live[i].baseline, `baseline at point ${i + 1}`).toEqual(plain[i].baseline);
    if (i < first) expect(live[i].smoothed).toEqual(plain[i].smoothed);
  }
  expect(live[first + 4].smoothed.cleanLoss).not.toBeCloseTo(plain[first + 4].smoothed.cleanLoss, 4);
});
