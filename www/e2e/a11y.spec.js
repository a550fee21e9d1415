// The page audited by axe-core (WCAG 2 A and AA rules) in its main views:
// the digits training, the review panel after a search for mislabeled
// images, a toast on show, the photo samples dialog, and Compare ε's results
// beside the data map. A violation of serious or critical impact
// fails the test and is listed.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { expect, openPaused, test, waitForReports } from './helpers.js';

const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

// axe goes in as an inline script, which the page's own policy refuses (as
// privacy.spec.js checks): the policy is bypassed for this file alone.
test.use({ bypassCSP: true });

/** The serious and critical violations on the page as it is now, one line per element. */
async function seriousViolations(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE });
  const violations = await page.evaluate(async () => {
    const { violations } = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ')}`) }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `[${v.impact}] ${v.id} (${v.help}) ${n}`));
}

test('the lab training the digits has no serious accessibility violation', async ({ page }) => {
  await page.goto('/');
  await waitForReports(page, 3);
  expect(await seriousViolations(page)).toEqual([]);
  // The plots' text alternative names the latest point of each curve shown.
  const loss = page.locator('#plot-loss');
  await expect(loss).toHaveAttribute('role', 'img');
  await expect(loss).toHaveAttribute('aria-label', /^Plot of −log p\(given label\), nats by epoch, at epoch \d+\.\d\d: correctly labeled.* \d\.\d{3};/);
  await expect(page.locator('#plot-accuracy')).toHaveAttribute('aria-label', /held-out accuracy.*at epoch \d+\.\d\d: .*\d+\.\d%/);
  const label = await loss.getAttribute('aria-label');
  const epochShown = Number(label.match(/at epoch (\d+\.\d\d)/)[1]);
  const latest = await page.evaluate(() => window.__smoothlab.state.reports.at(-1).epoch);
  expect(epochShown).toBeGreaterThan(0);
  expect(epochShown).toBeLessThanOrEqual(latest + 0.005);
});

test('the review panel after a search has no serious accessibility violation', async ({ page }) => {
  await openPaused(page);
  await page.fill('#find-folds', '2');
  await page.fill('#find-epochs', '2');
  await page.click('#find-run');
  await expect(page.locator('#find-status')).toHaveText('Done: 2 folds × 2 epochs', { timeout: 60_000 });
  await expect(page.locator('#review-grid .review-tile').first()).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

test('a toast on show has no serious accessibility violation', async ({ page }) => {
  await openPaused(page);
  await page.click('#noise-apply');
  await expect(page.locator('.toast').first()).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

test('the photo samples dialog has no serious accessibility violation', async ({ page }) => {
  await openPaused(page);
  await page.click('#open-samples');
  await expect(page.locator('#samples-dialog')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

test('Compare ε\'s results and the data map have no serious accessibility violation', async ({ page }) => {
  await openPaused(page);
  await page.fill('#sweep-eps', '0, 0.2');
  await page.fill('#sweep-seeds', '2');
  await page.fill('#sweep-epochs', '2');
  await page.click('#sweep-run');
  await expect(page.locator('#sweep-status')).toHaveText('Done: 2 seeds × 2 models × 2 epochs', { timeout: 60_000 });
  await expect(page.locator('#sweep-plots figure').first()).toBeVisible();
  await expect(page.locator('#datamap canvas')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});
