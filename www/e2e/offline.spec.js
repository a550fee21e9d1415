// After a first visit the lab works without a network: the service worker
// (offline/sw.js) keeps every file of the build in one cache named after
// the build, and a new build replaces that cache whole.
import { expect, test, waitForReports } from './helpers.js';

// Its first install fetches every file of the build, the samples included.
test.use({ serviceWorkers: 'allow' });
test.describe.configure({ timeout: 180_000 });

/** Waits for the service worker to be active, then reloads until it controls the page. */
async function controlledByServiceWorker(page) {
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  // It does not claim the page of the first visit: the next load is its.
  if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) await page.reload();
  expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toMatch(/\/sw\.js$/);
}

const cacheNames = (page) => page.evaluate(() => caches.keys().then((names) => names.sort()));

test('after a first visit the lab opens, loads the digits and trains offline', async ({ page, context }) => {
  await page.goto('/');
  await waitForReports(page, 1);
  await controlledByServiceWorker(page);

  await context.setOffline(true);
  const fromNetwork = [];
  const refused = [];
  context.on('response', (r) => { if (!r.fromServiceWorker()) fromNetwork.push(r.url()); });
  context.on('requestfailed', (r) => refused.push(r.failure()?.errorText));
  const response = await page.reload();
  expect(response.fromServiceWorker()).toBe(true);
  // Offline for real: the worker asked the network for the page first, in vain.
  expect(refused).toContain('net::ERR_INTERNET_DISCONNECTED');
  await waitForReports(page, 3); // the wasm came from the cache, the digits loaded and trained
  const { images, classes } = await page.evaluate(() => window.__smoothlab.state.dataset);
  expect([images.length, classes.length]).toEqual([1797, 10]);
  // The built-in samples' list came from the cache too: the photo sets are offered.
  await page.click('#open-samples');
  await expect(page.locator('#samples-load')).toBeEnabled();
  await expect(page.locator('#samples-missing')).toBeHidden();
  expect(fromNetwork, 'answered by anything but the service worker').toEqual([]);
});

test('the cache is named after the build, and what older builds left is deleted', async ({ page }) => {
  // What an older build leaves behind, put there before this build's worker
  // is registered (from a file of the origin that does not register it).
  await page.route('**/favicon.ico', (route) => route.fulfill({ status: 204 })); // asked for by a bare file
  await page.goto('/samples/index.json');
  await page.evaluate(async () => {
    await (await caches.open('smoothlab-0123456789abcdef')).put('./index.html', new Response('an older page'));
    await caches.open('someone-elses-cache');
  });
  await page.goto('/');
  await controlledByServiceWorker(page);
  const version = await page.evaluate(async () => (await (await fetch('./sw.js')).text()).match(/\\"version\\":\\"([0-9a-f]{16})/)[1]);
  await expect.poll(() => cacheNames(page)).toEqual([`smoothlab-${version}`, 'someone-elses-cache']);
  await waitForReports(page, 2); // and the page, from this build's cache, works
  expect(await page.evaluate(() => document.title)).toMatch(/^smoothlab/);
});
