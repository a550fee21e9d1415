// Finding the mislabeled images: the digits with their default 20% flipped
// labels, a quick 3-fold search, precision shown against the known truth,
// and the top flags accepted by drag and by keyboard.
import { expect, labState, openPaused, pause, screenshot, test, waitForReports } from './helpers.js';

const mislabeledCount = (page) => labState(page, () => window.__smoothlab.state.dataset.mislabeled);
const tiles = (page) => page.locator('#review-grid .review-tile');

async function tileFacts(locator) {
  return {
    id: Number(await locator.getAttribute('data-id')),
    suggested: Number(await locator.getAttribute('data-suggested')),
    truth: await locator.getAttribute('data-truth'),
  };
}

test('the finder flags the flipped labels; accepting suggestions fixes them', async ({ page }) => {
  await page.goto('/');
  await waitForReports(page, 3);
  await pause(page);

  // Every status text the progress line shows, from the first one on.
  await page.evaluate(() => {
    window.__findTexts = [];
    const status = document.querySelector('#find-status');
    new MutationObserver(() => window.__findTexts.push(status.textContent))
      .observe(status, { childList: true, characterData: true, subtree: true });
  });
  await page.fill('#find-folds', '3');
  await page.fill('#find-epochs', '4');
  await page.click('#find-run');
  await expect(page.locator('#find-progress')).toBeVisible();
  await expect(page.locator('#find-status')).toHaveText('Done: 3 folds × 4 epochs', { timeout: 60_000 });
  const texts = await page.evaluate(() => window.__findTexts);
  expect(texts.some((t) => /^Fold [1-3] of 3 · epoch [1-4] of 4 · \d+%$/.test(t)), texts.join(' | ')).toBe(true);
  expect(await page.locator('#find-bar').evaluate((bar) => bar.value)).toBe(1);
  await expect(page.locator('#find-run')).toBeEnabled();
  // The search left training paused, as it found it.
  expect(await labState(page, () => window.__smoothlab.state.playing)).toBe(false);

  // Precision and recall against the known truth, for both rankings.
  const metric = (ranking, name) => page.locator(`#review-quality [data-ranking="${ranking}"] [data-metric="${name}"]`);
  for (const ranking of ['outOfSample', 'inSample']) {
    for (const name of ['precision', 'recall']) {
      await expect(metric(ranking, name)).toBeVisible();
      await expect(metric(ranking, name)).toContainText(/^\d+%/);
    }
  }
  const precision = Number(await metric('outOfSample', 'precision').getAttribute('data-value'));
  const recall = Number(await metric('outOfSample', 'recall').getAttribute('data-value'));
  console.log(`out-of-sample (3 folds × 4 epochs): precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}`);
  expect(precision).toBeGreaterThanOrEqual(0.8);
  expect(recall).toBeGreaterThanOrEqual(0.6);
  await expect(page.locator('#review-quality [data-ranking="outOfSample"]')).toContainText(/found \d+ of \d+ known mislabeled/);

  // Worst first, and the confusion matrix counts exactly the flags.
  const flagged = await tiles(page).count();
  expect(flagged).toBeGreaterThan(30);
  const scores = await tiles(page).locator('.review-score').allTextContents();
  for (let i = 1; i < scores.length; i += 1) expect(Number(scores[i])).toBeGreaterThanOrEqual(Number(scores[i - 1]));
  const cellTotal = await page.locator('#review-confusion .confusion-cell').evaluateAll(
    (cells) => cells.reduce((sum, c) => sum + Number(c.textContent), 0));
  const open = await labState(page, () => document.querySelector('#review-count').textContent);
  expect(open).toMatch(new RegExp(`^${cellTotal} flagged`));
  await screenshot(page, 'find-issues');

  const before = await mislabeledCount(page);
  const accepted = [];

  // 1. The top flag, dragged onto its suggested class.
  const top = await tileFacts(tiles(page).first());
  await tiles(page).first().dragTo(page.locator(`#bucket-list .bucket[data-index="${top.suggested}"]`));
  accepted.push(top);
  await expect(page.locator(`#review-grid .review-tile[data-id="${top.id}"]`)).toHaveCount(0);

  // 2 and 3. The next two by keyboard: choose, then Enter; then A.
  for (const key of ['Enter', 'a']) {
    const first = tiles(page).first();
    const facts = await tileFacts(first);
    await first.click();
    await page.keyboard.press(key);
    accepted.push(facts);
    await expect(page.locator(`#review-grid .review-tile[data-id="${facts.id}"]`)).toHaveCount(0);
  }

  // Each accepted image now carries its suggested class, and the count of
  // mislabeled images fell by the number that truly were mislabeled.
  const truly = accepted.filter((a) => a.truth === 'true').length;
  expect(truly).toBeGreaterThan(0);
  await expect.poll(() => mislabeledCount(page)).toBe(before - truly);
  const given = await labState(page, () => Object.fromEntries(
    window.__smoothlab.state.dataset.images.map((img) => [img.id, img.given])));
  for (const a of accepted) expect(given[a.id]).toBe(a.suggested);
  await expect(page.locator('#review-count')).toHaveText(`${cellTotal - 3} flagged, the most doubtful first`);
  await expect(page.locator('#review-summary')).toContainText('3 handled');
  await expect(page.locator('#bucket-summary')).toContainText(`${before - truly} mislabeled`);

  // "Label is right" (K) dismisses a flag without changing its label.
  const kept = await tileFacts(tiles(page).first());
  await tiles(page).first().click();
  await page.keyboard.press('k');
  await expect(page.locator(`#review-grid .review-tile[data-id="${kept.id}"]`)).toHaveCount(0);
  expect(await mislabeledCount(page)).toBe(before - truly);

  // A confusion-matrix cell narrows the grid to its images.
  const cell = page.locator('#review-confusion .confusion-cell').first();
  const n = Number(await cell.textContent());
  await cell.click();
  await expect(tiles(page)).toHaveCount(Math.min(n, 60));
  await page.click('#review-all');
  await screenshot(page, 'find-issues-reviewed');

  // The in-sample card shows the baseline's own ranking in the grid.
  const inSample = page.locator('#review-quality [data-ranking="inSample"]');
  await inSample.click();
  await expect(inSample).toHaveAttribute('aria-pressed', 'true');
  const inSampleFlags = Number(/· (\d+) flagged/.exec(await inSample.textContent())[1]);
  await expect(page.locator('#review-count')).toHaveText(/^\d+ flagged/);
  const openInSample = Number(/^(\d+)/.exec(await page.locator('#review-count').textContent())[1]);
  expect(openInSample).toBeLessThanOrEqual(inSampleFlags);
  expect(openInSample).toBeGreaterThan(inSampleFlags - 10); // only the few handled ones left
});

test('the finder refuses a fold count out of range', async ({ page }) => {
  await openPaused(page);
  await page.fill('#find-folds', '1');
  await page.click('#find-run');
  await expect(page.locator('.toast', { hasText: 'Folds: a whole number from 2' })).toBeVisible();
  await expect(page.locator('#find-progress')).toBeHidden();
});
