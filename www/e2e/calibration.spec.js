// Measures that cannot mislead: the reliability diagrams show the held-out
// calibration the reports give, with every bin's count, and the plot's
// "above each model's floor" view subtracts exactly −log(1 − ε + ε/K).
import { expect, openPaused, pause, screenshot, test, waitForReports } from './helpers.js';

const floorOf = (eps, k) => -Math.log(1 - eps + eps / k);

test('the reliability diagrams match the reports and count every held-out image', async ({ page }) => {
  await openPaused(page, '/#eps=0.3&seed=2');
  await page.click('#play');
  await waitForReports(page, 8);
  await pause(page);

  const { last, calibration } = await page.evaluate(() => ({
    last: window.__smoothlab.state.reports.at(-1),
    calibration: window.__smoothlab.state.calibration,
  }));
  expect(calibration.epoch).toBe(last.epoch); // the diagrams show the last point

  for (const model of ['baseline', 'smoothed']) {
    const figure = page.locator(`#reliability-${model}`);
    await expect(figure).toBeVisible();
    // The ECE drawn is the one the core reported for the same point.
    const drawn = Number(await figure.getAttribute('data-ece'));
    expect(Math.abs(drawn - last[model].testEce)).toBeLessThan(1e-9);
    await expect(figure.locator('figcaption')).toContainText(`ECE ${(last[model].testEce * 100).toFixed(1)}%`);
    await expect(figure.locator('figcaption')).toContainText(`${last[model].nTest} images`);
    // One count under each of the 15 bins (0 included), summing to n_test.
    const counts = (await figure.locator('.rel-count:not(.rel-count-label)').allTextContents()).map(Number);
    expect(counts).toHaveLength(15);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(last[model].nTest);
    // A bar answers a hover with its numbers.
    const bar = figure.locator('.rel-bin').last();
    await expect(bar.locator('title')).toContainText(/images?, \d+% right at \d+% mean confidence/);
    await expect(figure.locator('.rel-verdict')).toContainText(/says \d+% on average, right \d+% of the time/);
  }
  await expect(page.locator('#calibration-when')).toContainText('Measured at epoch');
  await screenshot(page, 'calibration-page');
  await page.locator('#calibration').screenshot({ path: 'test-results/calibration.png' });
});

test('the floor view draws each loss above its own model\'s floor', async ({ page }) => {
  await openPaused(page, '/#eps=0.3&seed=2');
  await page.click('#play');
  await waitForReports(page, 4);
  await pause(page);
  const k = await page.evaluate(() => window.__smoothlab.state.dataset.classes.length);
  const read = () => page.evaluate(() => ({
    reports: window.__smoothlab.state.reports,
    columns: window.__smoothlab.plotLossColumns(),
  }));
  const column = (columns, text) => columns.find((c) => c.label.startsWith(text)).values;

  const raw = await read();
  const floorLine = column(raw.columns, 'floor of the smoothed model');
  const rawNoisy = column(raw.columns, 'mislabeled — smoothed');
  raw.reports.forEach((r, i) => {
    expect(floorLine[i]).toBeCloseTo(floorOf(r.smoothed.epsilon, k), 12);
    expect(rawNoisy[i]).toBeCloseTo(r.smoothed.noisyLoss, 12);
    expect(rawNoisy[i]).toBeGreaterThan(floorLine[i]); // nothing goes below the floor
  });

  await page.check('input[name="plot-scale"][value="floor"]');
  await page.waitForFunction(() => window.__smoothlab.state.plotScale === 'floor');
  const above = await read();
  const noisy = column(above.columns, 'mislabeled — smoothed');
  const baseline = column(above.columns, 'mislabeled — baseline');
  above.reports.forEach((r, i) => {
    expect(r.smoothed.epsilon).toBeCloseTo(0.3, 6); // ε as the core stored it (f32)
    expect(noisy[i]).toBeCloseTo(r.smoothed.noisyLoss - floorOf(r.smoothed.epsilon, k), 12);
    expect(baseline[i]).toBeCloseTo(r.baseline.noisyLoss, 12); // the baseline's floor is 0
  });
  // The floor itself is not drawn on this scale: it is the zero line.
  expect(column(above.columns, 'floor of the smoothed model').every((v) => v === null)).toBe(true);
  // The sentence under the plot says the same in words, from the last point.
  const last = above.reports.at(-1);
  const gap = (last.smoothed.noisyLoss - floorOf(last.smoothed.epsilon, k)).toFixed(2);
  await expect(page.locator('#measured-now'))
    .toContainText(`and ${gap} above the smoothed model’s (${floorOf(last.smoothed.epsilon, k).toFixed(3)})`);
});
