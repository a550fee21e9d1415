// The page keeps a person's images on their machine: after it has loaded it
// makes no network request at all through a whole session (drop, label,
// train, export), and it runs under a Content-Security-Policy that allows
// only its own files (plus compiling its wasm).
import { test } from '@playwright/test';
import { dropFolders, expect, fixtureFiles, pause, waitForReports } from './helpers.js';

// With the service worker, as a person's browser has it.
test.use({ serviceWorkers: 'allow' });

// Plain Playwright `test`: this test provokes one CSP refusal on purpose, so
// it checks the console itself instead of failing on any error.
test('a whole session makes no request after load, and the page works under its CSP', async ({ page, context, baseURL }) => {
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(`uncaught: ${e.message}`));
  const requests = [];
  context.on('request', (r) => requests.push({ url: r.url(), at: Date.now() }));
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const response = await page.goto('/');
  const csp = response.headers()['content-security-policy'];
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toContain("default-src 'self'");
  await waitForReports(page, 2); // the worker and its wasm loaded and trained under the policy
  // Loading includes the service worker's install, which fetches every file
  // of the build once, from this origin (checked below), for offline use.
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  const loadedAt = Date.now();
  const loading = requests.length;

  // A session: drop images, label one, train, export the project and the curves.
  await dropFolders(page, '#grid', [
    { name: 'cats', files: fixtureFiles('folders/cats') },
    { name: 'dogs', files: fixtureFiles('folders/dogs') },
  ]);
  await expect(page.locator('.toast', { hasText: 'Added 12 images' })).toBeVisible();
  const id = await page.evaluate(() => window.__smoothlab.state.dataset.images[0].id);
  await page.click('button[data-move-mode="mislabel"]');
  await page.locator(`.tile[data-id="${id}"]`).dragTo(page.locator('.bucket[data-index="1"]'));
  await page.click('#play');
  await waitForReports(page, 3);
  await pause(page);
  for (const button of ['#export-project', '#save-plot', '#save-losses']) {
    await Promise.all([page.waitForEvent('download'), page.click(button)]);
  }

  const after = requests.filter((r) => r.at >= loadedAt && !/^(blob|data):/.test(r.url));
  expect(after, 'requests after the page had loaded').toEqual([]);
  const origin = new URL(baseURL).origin;
  const elsewhere = requests.filter((r) => !r.url.startsWith(origin) && !/^(blob|data):/.test(r.url));
  expect(elsewhere, 'requests to anywhere but the page\'s own server').toEqual([]);
  expect(loading).toBeGreaterThan(3); // the page, its script, style, worker and wasm

  // The policy is really enforced: an inline script is refused…
  const ran = await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__inlineRan = true';
    document.body.append(script);
    return window.__inlineRan === true;
  });
  expect(ran).toBe(false);
  // …and that refusal (reported once by the header's policy and once by the
  // meta tag's) is the only violation and the only error of the session.
  await expect.poll(() => page.evaluate(() => window.__violations))
    .toEqual(['script-src-elem inline', 'script-src-elem inline']);
  expect(consoleErrors.filter((e) => !e.startsWith('Executing inline script violates'))).toEqual([]);
});
