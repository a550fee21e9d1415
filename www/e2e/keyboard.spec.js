// The lab with a keyboard alone: Tab to the controls, Space and Enter to
// press them, arrows and Space to select images, 1–9 to move them to a
// class and M to switch between fixing and mislabeling on purpose. Only
// page.keyboard acts; the page's state is read to check what happened.
import { expect, test, waitForReports } from './helpers.js';

const lab = (page, pick) => page.evaluate(pick);
const focused = (page) => page.evaluate(() => {
  const el = document.activeElement;
  return { id: el.id, tile: el.closest('#grid') && el.classList.contains('tile') ? Number(el.dataset.id) : null,
    outline: getComputedStyle(el).outlineStyle };
});

/** Presses Tab until `where(focused)` holds (at most `limit` times). */
async function tabTo(page, where, limit = 300) {
  for (let i = 0; i < limit; i += 1) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    if (where(now)) return now;
  }
  throw new Error('Tab never reached the element');
}

test('training, pausing and moving images to another class with the keyboard alone', async ({ page }) => {
  await page.goto('/');
  await waitForReports(page, 1); // the digits train on arrival

  // Train / Pause, pressed with Space and Enter; the focus ring shows.
  const play = await tabTo(page, (f) => f.id === 'play');
  expect(play.outline).not.toBe('none');
  await page.keyboard.press('Space');
  await expect.poll(() => lab(page, () => window.__smoothlab.state.playing)).toBe(false);
  const before = await lab(page, () => window.__smoothlab.state.reports.length);
  await page.keyboard.press('Enter');
  await expect.poll(() => lab(page, () => window.__smoothlab.state.reports.length)).toBeGreaterThan(before);
  await page.keyboard.press('Space');
  await expect.poll(() => lab(page, () => window.__smoothlab.state.playing)).toBe(false);

  // Into the grid, two images selected with the arrows and Space.
  const first = await tabTo(page, (f) => f.tile !== null);
  expect(first.outline).not.toBe('none');
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Space');
  const chosen = await lab(page, () => [...window.__smoothlab.state.selection]);
  expect(chosen).toHaveLength(2);
  const image = (id) => page.evaluate((i) => {
    const img = window.__smoothlab.state.dataset.images.find((x) => x.id === i);
    return { given: img.given, mislabeled: img.mislabeled, holdout: img.holdout };
  }, id);
  const givenBefore = [(await image(chosen[0])).given, (await image(chosen[1])).given];
  const target = [0, 1, 2].find((c) => !givenBefore.includes(c));
  const counts = () => page.locator('#bucket-list .bucket-count').allTextContents().then((t) => t.map(Number));
  const countsBefore = await counts();

  // 1–9 moves the selection to that class (here: fixing its label).
  await expect(page.locator('button[data-move-mode="fix"]')).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press(`Digit${target + 1}`);
  await expect.poll(async () => (await counts())[target]).toBe(countsBefore[target] + 2);
  const countsAfter = await counts();
  for (const given of givenBefore) expect(countsAfter[given]).toBeLessThan(countsBefore[given]);
  expect(countsAfter.reduce((a, b) => a + b)).toBe(countsBefore.reduce((a, b) => a + b));
  for (const id of chosen) expect((await image(id)).given).toBe(target);

  // M switches to mislabeling on purpose: a correctly labeled training
  // image moved to another class keeps its truth and counts as mislabeled.
  await page.keyboard.press('Escape');
  let next = null;
  for (let i = 0; i < 40 && next === null; i += 1) {
    await page.keyboard.press('ArrowRight');
    const { tile } = await focused(page);
    const facts = await image(tile);
    if (!facts.mislabeled && !facts.holdout && !chosen.includes(tile)) next = tile;
  }
  expect(next).not.toBeNull();
  await page.keyboard.press('Space');
  await page.keyboard.press('m');
  await expect(page.locator('button[data-move-mode="mislabel"]')).toHaveAttribute('aria-pressed', 'true');
  const { given: from } = await image(next);
  const to = from === 0 ? 1 : 0;
  const mislabeledBefore = await lab(page, () => window.__smoothlab.state.dataset.mislabeled);
  await page.keyboard.press(`Digit${to + 1}`);
  await expect.poll(async () => image(next)).toEqual({ given: to, mislabeled: true, holdout: false });
  expect(await lab(page, () => window.__smoothlab.state.dataset.mislabeled)).toBe(mislabeledBefore + 1);
});

test('every stop of the Tab order shows a focus ring', async ({ page }) => {
  await page.goto('/');
  await waitForReports(page, 1);
  await page.evaluate(() => { window.__visited = new WeakSet(); });
  const stops = [];
  const unringed = [];
  for (let i = 0; i < 400; i += 1) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body || window.__visited.has(el)) return null; // back at the top
      window.__visited.add(el);
      const style = getComputedStyle(el);
      const name = el.id ? `#${el.id}` : `${el.tagName.toLowerCase()}.${el.className} "${(el.getAttribute('aria-label') ?? el.textContent).trim().slice(0, 30)}"`;
      return { name, ringed: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 && el.matches(':focus-visible') };
    });
    if (stop === null) break;
    stops.push(stop.name);
    if (!stop.ringed) unringed.push(stop.name);
  }
  expect(stops.length).toBeGreaterThan(40);
  expect(unringed, 'focused without a visible ring').toEqual([]);
});
