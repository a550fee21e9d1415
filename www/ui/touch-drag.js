// Moving thumbnails with a finger. Touch screens have no HTML drag and drop
// that works everywhere (iPadOS and Android differ), and a finger on the grid
// must still scroll it. So a drag starts with a long press: the finger rests
// on a tile for LONG_PRESS_MS without moving; a finger that moves first is a
// scroll and is left to the browser. While dragging, a badge follows the
// finger, the class under it lights up as a mouse drag would light it, and
// lifting the finger there moves the images (the selection, when the tile is
// in it). A tap still selects, as a click does.
import { moveImages } from '../actions.js';
import { state } from '../state.js';

export const LONG_PRESS_MS = 450;
const SLOP_PX = 10; // movement that still counts as resting
// Near the top or bottom of the window the page scrolls under the finger (on
// a narrow screen the classes are far above the grid), faster the closer.
const EDGE_PX = 56;
const MAX_SCROLL_PX = 18; // per frame

/** Pixels to scroll this frame for a finger at `y` in a window `top`..`bottom`. */
export function edgeScroll(y, top, bottom) {
  if (y < top + EDGE_PX) return -Math.ceil(MAX_SCROLL_PX * Math.min(1, (top + EDGE_PX - y) / EDGE_PX));
  if (y > bottom - EDGE_PX) return Math.ceil(MAX_SCROLL_PX * Math.min(1, (y - (bottom - EDGE_PX)) / EDGE_PX));
  return 0;
}

/** grid: the tile container; buckets: the list of class buckets. */
export function mountTouchDrag(grid, buckets) {
  let press = null; // {pointerId, x, y, id, timer}
  let drag = null; // {pointerId, ids, badge, over, x, y, frame}
  // A drag just ended: the click the browser may send for it is not a tap.
  // The next touch, or a moment, ends that.
  let swallowClick = false;

  function cancelPress() {
    if (press) clearTimeout(press.timer);
    press = null;
  }

  function bucketAt(x, y) {
    const el = document.elementFromPoint(x, y)?.closest('.bucket');
    return el && buckets.contains(el) ? el : null;
  }

  // The sticky header covers the top of the window: the edge is below it.
  const topEdge = () => document.querySelector('.topbar')?.getBoundingClientRect().bottom ?? 0;

  // One frame loop at most: it runs while the finger rests near an edge and
  // stops when the finger leaves it (a move starts it again).
  function autoScroll() {
    if (!drag) return;
    drag.frame = 0;
    const dy = edgeScroll(drag.y, topEdge(), window.innerHeight);
    if (!dy) return;
    const before = window.scrollY;
    window.scrollBy(0, dy);
    if (window.scrollY !== before) light(drag.x, drag.y); // new things under the finger
    drag.frame = requestAnimationFrame(autoScroll);
  }

  function hover(x, y) {
    Object.assign(drag, { x, y });
    if (!drag.frame) drag.frame = requestAnimationFrame(autoScroll);
    drag.badge.style.transform = `translate(${x + 14}px, ${y - 34}px)`;
    light(x, y);
  }

  // Lights the class under the finger, as a mouse drag over it would.
  function light(x, y) {
    const over = bucketAt(x, y);
    if (over === drag.over) return;
    if (drag.over) delete drag.over.dataset.drop;
    drag.over = over;
    if (over) over.dataset.drop = state.moveMode;
  }

  function begin(x, y) {
    const { pointerId, id } = press;
    press = null;
    const ids = state.selection.has(id) ? [...state.selection] : [id];
    const badge = document.createElement('div');
    badge.className = 'touch-drag-badge';
    badge.setAttribute('aria-hidden', 'true');
    badge.textContent = `${ids.length} image${ids.length === 1 ? '' : 's'}`;
    document.body.append(badge);
    document.body.classList.add('is-dragging-images');
    drag = { pointerId, ids, badge, over: null, x, y, frame: 0 };
    hover(x, y);
  }

  function end(drop) {
    if (!drag) return;
    const { ids, badge, over, frame } = drag;
    cancelAnimationFrame(frame);
    drag = null;
    swallowClick = true;
    setTimeout(() => { swallowClick = false; }, 400);
    badge.remove();
    document.body.classList.remove('is-dragging-images');
    if (over) delete over.dataset.drop;
    if (drop && over) moveImages(ids, Number(over.dataset.index), state.moveMode);
  }

  grid.addEventListener('pointerdown', (e) => {
    swallowClick = false;
    if (e.pointerType === 'mouse' || press || drag) return;
    const tile = e.target.closest('.tile');
    if (!tile) return;
    const { clientX: x, clientY: y, pointerId } = e;
    press = { pointerId, x, y, id: Number(tile.dataset.id), timer: 0 };
    press.timer = setTimeout(() => begin(press.x, press.y), LONG_PRESS_MS);
  });

  // Listened to on the window: the finger leaves the grid on its way to a class.
  window.addEventListener('pointermove', (e) => {
    if (press?.pointerId === e.pointerId) {
      if (Math.hypot(e.clientX - press.x, e.clientY - press.y) > SLOP_PX) cancelPress();
      return;
    }
    if (drag?.pointerId === e.pointerId) hover(e.clientX, e.clientY);
  });
  window.addEventListener('pointerup', (e) => {
    if (press?.pointerId === e.pointerId) cancelPress();
    if (drag?.pointerId === e.pointerId) {
      hover(e.clientX, e.clientY);
      end(true);
    }
  });
  window.addEventListener('pointercancel', (e) => {
    if (press?.pointerId === e.pointerId) cancelPress();
    if (drag?.pointerId === e.pointerId) end(false);
  });
  // Once a drag has started the finger must not scroll the page; before it,
  // it must (the listener is not passive so that it can say no). On the grid
  // alone: a touch's events go to where it started, and a scroll that starts
  // elsewhere on the page then never waits for this listener.
  grid.addEventListener('touchmove', (e) => { if (drag) e.preventDefault(); }, { passive: false });
  // A long press would open the browser's image menu.
  grid.addEventListener('contextmenu', (e) => { if (press || drag) e.preventDefault(); });
  // The click that may follow a drag's end is not a tap on the tile.
  grid.addEventListener('click', (e) => {
    if (drag || swallowClick) e.stopPropagation();
  }, true);
  // The browser's own drag of a touched tile would fight this one.
  grid.addEventListener('dragstart', (e) => { if (press || drag) e.preventDefault(); }, true);
}
