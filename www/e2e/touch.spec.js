// A touch screen (an iPad-sized viewport with touch): a long press then a
// drag moves an image to a class, a quick swipe scrolls instead, and taps
// select images for "Move to…". The fingers are real touch events sent
// through the browser's input pipeline (CDP Input.dispatchTouchEvent), so the
// page sees the pointer and touch events a finger makes.
import { expect, openPaused, screenshot, test } from './helpers.js';

const image = (page, id) => page.evaluate((i) => window.__smoothlab.state.dataset.images.find((m) => m.id === i), id);

async function centre(locator) {
  const box = await locator.boundingBox();
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** One finger, driven step by step: down, move (in steps), up. */
async function fingerOn(page) {
  const cdp = await page.context().newCDPSession(page);
  let at = null;
  const send = (type, p) => cdp.send('Input.dispatchTouchEvent', {
    type, touchPoints: type === 'touchEnd' ? [] : [{ x: p.x, y: p.y, id: 1 }],
  });
  return {
    async down(p) { at = p; await send('touchStart', p); },
    async move(to, steps = 10) {
      const from = at;
      for (let i = 1; i <= steps; i += 1) {
        at = { x: from.x + ((to.x - from.x) * i) / steps, y: from.y + ((to.y - from.y) * i) / steps };
        await send('touchMove', at);
        await page.waitForTimeout(16); // a finger moves over frames, not all at once
      }
    },
    async up() { await send('touchEnd', at); await cdp.detach(); },
  };
}

// Where a bucket can be dropped on without the page scrolling under the
// finger (ui/touch-drag.js scrolls within 56 px of the window's edges).
async function reachable(page, bucket) {
  return page.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const top = document.querySelector('.topbar').getBoundingClientRect().bottom + 60;
    const y = r.top + r.height / 2;
    return y > top && y < window.innerHeight - 60 ? { x: r.left + r.width / 2, y } : null;
  }, await bucket.elementHandle());
}

for (const viewport of [{ width: 1024, height: 768 }, { width: 768, height: 1024 }]) {
  test.describe(`touch at ${viewport.width}×${viewport.height}`, () => {
    test.use({ viewport, hasTouch: true });

    test('long press and drag moves an image; a swipe does not; taps select for Move to…', async ({ page }) => {
      await openPaused(page, '/#seed=3');
      const tile = page.locator('#grid .tile').first();
      const id = Number(await tile.getAttribute('data-id'));
      const given = (await image(page, id)).given;
      const target = given === 0 ? 1 : 0;
      const bucket = page.locator(`#bucket-list .bucket[data-index="${target}"]`);
      await tile.scrollIntoViewIfNeeded();

      // A quick swipe on a tile is a scroll: nothing moves.
      const swipe = await fingerOn(page);
      const start = await centre(tile);
      const scrolled = await page.evaluate(() => window.scrollY);
      await swipe.down(start);
      // Downwards: the grid ends the page, which may already be scrolled to its end.
      await swipe.move({ x: start.x, y: start.y + 120 });
      await swipe.up();
      await page.waitForTimeout(300);
      expect(await page.evaluate(() => window.scrollY)).toBeLessThan(scrolled - 50); // the page scrolled
      expect((await image(page, id)).given).toBe(given);
      await expect(page.locator('.touch-drag-badge')).toHaveCount(0);

      // A long press, then a slide onto the class: the image moves there.
      // Where the classes are not on screen (a narrow window puts them far
      // above the grid), the finger waits at the top edge while the page
      // scrolls up under it, then slides onto the class.
      await tile.scrollIntoViewIfNeeded();
      const drag = await fingerOn(page);
      await drag.down(await centre(tile));
      await page.waitForTimeout(650);
      await expect(page.locator('.touch-drag-badge')).toHaveText('1 image');
      let to = await reachable(page, bucket);
      if (!to) {
        const edge = await page.evaluate(() => document.querySelector('.topbar').getBoundingClientRect().bottom + 8);
        await drag.move({ x: (await centre(tile)).x, y: edge });
        // It scrolls at a finger's pace (at most 18 px a frame), not all at once.
        const y0 = await page.evaluate(() => window.scrollY);
        await page.waitForTimeout(250);
        const step = y0 - (await page.evaluate(() => window.scrollY));
        expect(step).toBeGreaterThan(0);
        expect(step).toBeLessThan(18 * 30);
        await expect.poll(() => reachable(page, bucket), { timeout: 30_000 }).not.toBeNull();
        to = await reachable(page, bucket);
      }
      await drag.move(to);
      await expect(bucket).toHaveAttribute('data-drop', 'fix'); // lit, as under a mouse drag
      await drag.up();
      await expect.poll(async () => (await image(page, id)).given).toBe(target);
      await expect(page.locator('.touch-drag-badge')).toHaveCount(0);
      expect(await page.evaluate(() => document.body.classList.contains('is-dragging-images'))).toBe(false);

      // Taps select, "Move to…" moves the selection.
      const second = page.locator('#grid .tile').nth(1);
      const third = page.locator('#grid .tile').nth(2);
      const ids = [Number(await second.getAttribute('data-id')), Number(await third.getAttribute('data-id'))];
      await second.tap();
      await third.tap();
      await expect(page.locator('#selection-count')).toHaveText('2 selected');
      await page.selectOption('#move-to', String(2));
      for (const i of ids) await expect.poll(async () => (await image(page, i)).given).toBe(2);
      await screenshot(page, `touch-${viewport.width}x${viewport.height}`);
    });
  });
}
