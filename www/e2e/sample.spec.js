// The first visit: the digits load with 20% flipped labels and train by
// themselves; the plot fills and tells the story; the page stays smooth.
import { expect, pause, screenshot, test, waitForReports } from './helpers.js';

test('the sample loads, trains, and the mislabeled curve lies above the correct one', async ({ page }) => {
  await page.goto('/');
  await waitForReports(page, 8);
  const summary = await page.evaluate(() => {
    const { dataset } = window.__smoothlab.state;
    return { classes: dataset.classes.length, images: dataset.images.length, mislabeled: dataset.mislabeled };
  });
  expect(summary.classes).toBe(10);
  expect(summary.images).toBe(1797);
  // 20% of the training images (80% of 1,797) are flipped.
  expect(summary.mislabeled).toBeGreaterThan(250);
  expect(summary.mislabeled).toBeLessThan(330);
  await expect(page.locator('#bucket-summary')).toContainText('1797 images');

  // The plot holds the points (it redraws at most ten times a second).
  await expect.poll(() => page.evaluate(() => window.__smoothlab.plotPoints())).toBeGreaterThanOrEqual(8);
  // Four points per epoch (the default), evenly spaced, ending each epoch.
  const reports = await page.evaluate(() => window.__smoothlab.state.reports.slice(0, 8));
  const epochs = reports.map((r) => r.epoch);
  expect(epochs[3]).toBe(1);
  expect(epochs[7]).toBe(2);
  for (let i = 0; i < 8; i += 1) expect(epochs[i]).toBeCloseTo((i + 1) / 4, 1);
  for (const r of reports.slice(4)) {
    for (const model of ['baseline', 'smoothed']) {
      expect(r[model].noisyLoss, `epoch ${r.epoch} ${model}`).toBeGreaterThan(r[model].cleanLoss + 0.5);
    }
  }
  // The legend names the curves in plain words and shows their values.
  const legend = page.locator('#legend-loss');
  await expect(legend).toContainText('correctly labeled — baseline (ε=0)');
  await expect(legend).toContainText('mislabeled — smoothed (ε=0.20)');
  await expect(legend.locator('.legend-value').first()).toHaveText(/^\d+\.\d{3}$/);
  await expect(page.locator('#epoch')).not.toHaveText('epoch 0');
  await expect(page.locator('#grid .tile')).toHaveCount(64);
  await expect(page.locator('#grid-shown')).toHaveText('Showing 64 of 1797');
  await expect(page.locator('#grid .tile.is-mislabeled').first()).toContainText('true');
  await screenshot(page, 'sample-training');
});

// The smoothness targets (no long task over 50 ms, ≥ 10 redraws a second)
// are measured by `make bench`, not asserted here: a timed bound fails on a
// busy machine. This test checks the behaviour: frames keep coming while
// training runs at full speed and re-sorts the grid, and the page never
// freezes (a one-second gap would be a bug, not a slow machine).
test('training in the worker leaves the page responsive: frames keep coming', async ({ page }) => {
  await page.goto('/');
  await waitForReports(page, 5);
  // Worst case for the page: tiles re-sorted by loss as losses stream in.
  await page.selectOption('#grid-sort', 'loss-desc');
  await waitForReports(page, 10);
  const result = await page.evaluate(() => new Promise((resolve) => {
    const state = window.__smoothlab.state;
    const startEpoch = state.reports.length;
    const start = performance.now();
    let last = start;
    let worst = 0;
    let frames = 0;
    const frame = (now) => {
      worst = Math.max(worst, now - last);
      last = now;
      frames += 1;
      if (now - start < 5000) requestAnimationFrame(frame);
      else resolve({ worst, frames, epochs: state.reports.length - startEpoch, playing: state.playing });
    };
    requestAnimationFrame(frame);
  }));
  console.log(`heartbeat: worst gap ${result.worst.toFixed(1)} ms over ${result.frames} frames, ${result.epochs} epochs trained`);
  expect(result.playing).toBe(true);
  expect(result.epochs).toBeGreaterThan(5);
  expect(result.frames).toBeGreaterThan(100);
  expect(result.worst).toBeLessThan(1000);
  await pause(page);
});

test('pausing stops training; play goes on from the same epoch', async ({ page }) => {
  await page.goto('/');
  await waitForReports(page, 2);
  await pause(page);
  const stopped = await page.evaluate(() => window.__smoothlab.state.reports.length);
  await page.waitForTimeout(700);
  expect(await page.evaluate(() => window.__smoothlab.state.reports.length)).toBe(stopped);
  await expect(page.locator('#play')).toHaveText(/Train/);
  await page.click('#play');
  await waitForReports(page, stopped + 2);
  // No point is lost or repeated: four a epoch, the fourth at its end.
  const epochs = await page.evaluate(() => window.__smoothlab.state.reports.map((r) => r.epoch));
  for (let i = 1; i < epochs.length; i += 1) expect(epochs[i]).toBeGreaterThan(epochs[i - 1]);
  epochs.forEach((e, i) => expect(Number.isInteger(e)).toBe(i % 4 === 3));
  expect(epochs[7]).toBe(2);
});

test('sorting by loss brings the mislabeled images to the top', async ({ page }) => {
  await page.goto('/');
  await waitForReports(page, 6);
  await pause(page);
  await page.selectOption('#grid-sort', 'loss-desc');
  await expect(page.locator('#grid-sorted')).toContainText('order from epoch');
  const top = await page.evaluate(() => {
    const { dataset, losses } = window.__smoothlab.state;
    const at = new Map(dataset.images.map((img, i) => [img.id, i]));
    return [...document.querySelectorAll('#grid .tile')].map((t) => {
      const i = at.get(Number(t.dataset.id));
      return { loss: losses.smoothed[i], mislabeled: dataset.images[i].mislabeled };
    });
  });
  expect(top).toHaveLength(64);
  for (let i = 1; i < top.length; i += 1) expect(top[i].loss).toBeLessThanOrEqual(top[i - 1].loss);
  // Early in training the network has not memorized the wrong labels yet.
  expect(top.filter((t) => t.mislabeled).length).toBeGreaterThan(0.8 * top.length);
  await expect(page.locator('#grid .tile').first()).toHaveClass(/is-mislabeled/);
});

test('the noise controls flip a share of the training labels and put them back', async ({ page }) => {
  await page.goto('/');
  await waitForReports(page, 2);
  await pause(page);
  const mislabeled = () => page.evaluate(() => window.__smoothlab.state.dataset.mislabeled);

  await page.click('#noise-clear');
  await expect(page.locator('#bucket-summary')).toContainText('· 0 mislabeled');
  await expect(page.locator('#noise-status')).toContainText('0 of 1438 training images mislabeled');

  await page.fill('#noise-rate', '30');
  await page.press('#noise-rate', 'Enter');
  await page.selectOption('#noise-mode', 'pair');
  expect(page.url()).toContain('noise=30');
  expect(page.url()).toContain('mode=pair');
  await page.click('#noise-apply');
  await expect.poll(mislabeled).toBeGreaterThan(0);
  const ds = await page.evaluate(() => window.__smoothlab.state.dataset);
  const training = ds.images.filter((i) => !i.holdout);
  expect(ds.mislabeled).toBe(Math.round(0.3 * training.length));
  // Pair noise moves class c to c + 1; held-out images are never noised.
  for (const img of ds.images.filter((i) => i.mislabeled)) {
    expect(img.holdout).toBe(false);
    expect(img.given).toBe((img.truth + 1) % 10);
  }
  await expect(page.locator('.toast', { hasText: 'now mislabeled' })).toBeVisible();
  const marks = await page.evaluate(() => window.__smoothlab.state.marks);
  expect(marks.at(-1)).toMatchObject({ kind: 'labels', label: '30% pair noise' });
});
