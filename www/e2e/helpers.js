// Shared pieces of the end-to-end tests: a `page` that fails the test on any
// console error, the fixture files, and a drop of folders built in the page.
import { test as base, expect } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../tests/fixtures');

export const test = base.extend({
  page: async ({ page }, use) => {
    const errors = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
    await use(page);
    expect(errors, 'console errors during the test').toEqual([]);
  },
});
export { expect };

/** The lab's state, as the page exposes it for tests. */
export const labState = (page, pick) => page.evaluate(pick);

/** Files of a fixture folder as {name, base64}, in name order. */
export function fixtureFiles(dir, names) {
  const full = path.join(FIXTURES, dir);
  return (names ?? fs.readdirSync(full).sort()).map((name) => ({
    name, base64: fs.readFileSync(path.join(full, name)).toString('base64'),
  }));
}

/**
 * Drops folders (and loose files) on `selector` the way a browser does:
 * a drop event whose DataTransfer items hand out FileSystemEntry objects.
 * folders: [{name, files: [{name, base64}]}]; loose: [{name, base64}].
 */
export async function dropFolders(page, selector, folders, loose = []) {
  await page.evaluate(({ selector, folders, loose }) => {
    const toFile = ({ name, base64 }) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      return new File([bytes], name);
    };
    const fileEntry = (file) => ({ isFile: true, isDirectory: false, name: file.name, file: (ok) => ok(file) });
    const dirEntry = (name, children) => ({
      isFile: false, isDirectory: true, name,
      createReader() {
        let given = false;
        return { readEntries(ok) { ok(given ? [] : children); given = true; } };
      },
    });
    const entries = [
      ...folders.map((f) => dirEntry(f.name, f.files.map((x) => fileEntry(toFile(x))))),
      ...loose.map((x) => fileEntry(toFile(x))),
    ];
    const dataTransfer = {
      types: ['Files'],
      files: [],
      getData: () => '',
      items: entries.map((entry) => ({ kind: 'file', webkitGetAsEntry: () => entry, getAsFile: () => null })),
    };
    const target = document.querySelector(selector);
    for (const type of ['dragover', 'drop']) {
      const event = new Event(type, { bubbles: true, cancelable: true });
      Object.defineProperty(event, 'dataTransfer', { value: dataTransfer });
      target.dispatchEvent(event);
    }
  }, { selector, folders, loose });
}

/** Opens the lab, then drops the two fixture class folders (12 images). */
export async function dropCatsAndDogs(page) {
  await page.goto('/');
  await waitForReports(page, 1);
  await dropFolders(page, '#grid', [
    { name: 'cats', files: fixtureFiles('folders/cats') },
    { name: 'dogs', files: fixtureFiles('folders/dogs') },
  ]);
  await expect(page.locator('.toast', { hasText: 'Added 12 images' })).toBeVisible();
}

/** Waits until the worker has loaded and the sample's first reports came in. */
export async function waitForReports(page, count) {
  await page.waitForFunction((n) => window.__smoothlab?.state.reports.length >= n, count, { timeout: 60_000 });
}

/** Opens the lab at `address`, waits for the digits to train, and pauses. */
export async function openPaused(page, address = '/') {
  await page.goto(address);
  await waitForReports(page, 1);
  await pause(page);
}

/** Pauses and waits until the reports in flight have come in. */
export async function pause(page) {
  if (await page.evaluate(() => window.__smoothlab.state.playing)) await page.click('#play');
  await page.waitForFunction(() => !window.__smoothlab.state.playing);
  let count = -1;
  await expect.poll(async () => {
    const before = count;
    count = await page.evaluate(() => window.__smoothlab.state.reports.length);
    return count === before;
  }, { intervals: [400] }).toBe(true);
}

/** A full-page screenshot under test-results/, taken from the top of the page. */
export async function screenshot(page, name) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `test-results/${name}.png`, fullPage: true });
}
