// Trains the page, with its defaults, on a project zip (e.g. photos with
// human labels and the truth kept in its manifest) and prints the held-out
// accuracy and the mislabeled/correct loss ratio at every epoch end:
//
//   cd www && npm run build && PROJECT=labels.zip EPOCHS=30 \
//     npx playwright test -c measure/playwright.config.js
//
// The figures are the baseline's (ε = 0) and the smoothed model's, as the
// plot shows them.
import fs from 'node:fs';
import path from 'node:path';
import { expect, pause, test, waitForReports } from '../e2e/helpers.js';

const project = process.env.PROJECT;
const epochs = Number(process.env.EPOCHS ?? 30);

test('train on a project zip and print the curves', async ({ page }) => {
  test.skip(!project, 'PROJECT=path/to/project.zip names what to measure');
  await page.goto('/');
  await waitForReports(page, 1);
  await pause(page);
  const name = path.basename(project);
  await page.setInputFiles('#zip-picker', { name, mimeType: 'application/zip', buffer: fs.readFileSync(project) });
  await expect(page.locator('.toast', { hasText: `Imported ${name}` })).toBeVisible({ timeout: 120_000 });
  const started = Date.now();
  await page.waitForFunction(() => window.__smoothlab.state.dataset.input === 'features', null, { timeout: 20 * 60_000 });
  const embedSeconds = (Date.now() - started) / 1000;
  await page.click('#play');
  await page.waitForFunction((n) => (window.__smoothlab.state.reports.at(-1)?.epoch ?? 0) >= n, epochs, { timeout: 20 * 60_000 });
  await pause(page);
  const { reports, settings, dataset } = await page.evaluate(() => window.__smoothlab.state);
  const points = reports.filter((r) => r.epoch <= epochs);
  const pct = (v) => `${(100 * v).toFixed(1)}%`;
  const lines = [
    `${name}: ${dataset.images.length} images, ${dataset.mislabeled} mislabeled; features in ${embedSeconds.toFixed(0)} s; settings ${JSON.stringify(settings)}`,
    '| epoch | held-out, baseline | held-out, smoothed | mislabeled / correct loss, baseline |',
    '|---|---|---|---|',
  ];
  const ratio = (m) => (m.noisyLoss == null ? '— (none mislabeled)' : (m.noisyLoss / m.cleanLoss).toFixed(2));
  for (const r of points.filter((p) => Number.isInteger(p.epoch))) {
    lines.push(`| ${r.epoch} | ${pct(r.baseline.testAcc)} | ${pct(r.smoothed.testAcc)} | ${ratio(r.baseline)} |`);
  }
  const accs = points.map((r) => r.baseline.testAcc);
  const apart = points.filter((r) => r.baseline.noisyLoss >= 2 * r.baseline.cleanLoss).length;
  lines.push(`baseline held-out: peak ${pct(Math.max(...accs))}, last ${pct(accs.at(-1))}; ${apart} of ${points.length} points with mislabeled ≥ 2× correct`);
  console.log(lines.join('\n'));
  expect(points.length).toBeGreaterThan(0);
});
