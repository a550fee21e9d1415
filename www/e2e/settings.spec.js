// Settings live in the URL hash: a copied link sets every control and
// reproduces the run; a bad value typed in is refused with a message.
import { expect, pause, test, waitForReports } from './helpers.js';

const LINK = '/#eps=0.35&lr=0.002&head=16&hidden=64,32&batch=16&opt=adam&size=24&seed=3&noise=10&mode=uniform&points=2';

async function firstReports(page, n) {
  await page.goto(LINK);
  await waitForReports(page, n);
  await pause(page);
  return page.evaluate((k) => window.__smoothlab.state.reports.slice(0, k), n);
}

test('a link sets the controls and reproduces the run', async ({ page }) => {
  const first = await firstReports(page, 4);
  await expect(page.locator('#epsilon-value')).toHaveText('0.35');
  await expect(page.locator('#set-lr')).toHaveValue('0.002');
  await expect(page.locator('#set-points')).toHaveValue('2');
  first.forEach((r, i) => expect(r.epoch).toBeCloseTo((i + 1) / 2, 2));
  expect(first[1].epoch).toBe(1);
  await expect(page.locator('#set-hidden')).toHaveValue('64,32');
  await expect(page.locator('#set-head')).toHaveValue('16');
  await expect(page.locator('#set-batch')).toHaveValue('16');
  await expect(page.locator('#set-size')).toHaveValue('24');
  await expect(page.locator('#set-seed')).toHaveValue('3');
  await expect(page.locator('#noise-rate')).toHaveValue('10');
  await expect(page.locator('#noise-mode')).toHaveValue('uniform');
  await expect(page.locator('#legend-loss')).toContainText('smoothed (ε=0.35)');

  await page.goto('about:blank');
  const again = await firstReports(page, 4);
  expect(again).toEqual(first);
});

test('a bad setting is refused with a message and changes nothing', async ({ page }) => {
  await page.goto('/');
  await waitForReports(page, 1);
  await page.fill('#set-lr', 'fast');
  await page.press('#set-lr', 'Enter');
  await expect(page.locator('#set-lr')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('.toast-error', { hasText: 'Learning rate:' })).toBeVisible();
  expect(await page.evaluate(() => window.__smoothlab.state.settings.learningRate)).toBe(0.001);

  // A good value restarts both models from the seed.
  await page.fill('#set-hidden', '32');
  await page.press('#set-hidden', 'Enter');
  await expect(page.locator('#set-hidden')).toHaveAttribute('aria-invalid', 'false');
  expect(page.url()).toContain('hidden=32');
  await page.waitForFunction(() => window.__smoothlab.state.reports.length > 0 && window.__smoothlab.state.reports[0].epoch < 0.3);
  await pause(page);
});
