// The data map from the keyboard: with the map focused, the arrow keys walk
// from the point shown to the nearest point in that direction on screen
// (the first press starts at the least confident image, where mislabeled
// ones gather), Space adds the point shown to the selection or takes it out,
// and Escape clears the selection, as in the image grid.

/**
 * The nearest point to `from` in direction (dx, dy) on screen, within a
 * 45° cone either side; `at(p)` gives a point's {x, y}. Null when none.
 */
export function stepFrom(points, from, dx, dy, at) {
  const origin = at(from);
  let best = null;
  let bestCost = Infinity;
  for (const p of points) {
    if (p === from) continue;
    const { x, y } = at(p);
    const along = (x - origin.x) * dx + (y - origin.y) * dy;
    const across = Math.abs((x - origin.x) * dy - (y - origin.y) * dx);
    if (along <= 0 || across > along) continue;
    // Straight ahead costs less than off to the side at the same distance.
    const cost = along + 2 * across;
    if (cost < bestCost) [best, bestCost] = [p, cost];
  }
  return best;
}

const MOVES = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

/**
 * canvas: the focusable map; points(): the points drawn; at(p): where one is
 * drawn; shown()/show(id): the point whose image is shown; toggle(id),
 * clearSelection(): the selection.
 */
export function wireDataMapKeys(canvas, { points, at, shown, show, toggle, clearSelection }) {
  canvas.tabIndex = 0;
  canvas.addEventListener('keydown', (e) => {
    const list = points();
    if (!list.length) return;
    const current = list.find((p) => p.id === shown());
    if (e.key in MOVES) {
      e.preventDefault();
      const next = current
        ? stepFrom(list, current, ...MOVES[e.key], at)
        : list.reduce((a, b) => (b.confidence < a.confidence ? b : a));
      if (next) show(next.id);
    } else if (e.key === ' ' && current) {
      e.preventDefault();
      toggle(current.id);
    } else if (e.key === 'Escape') {
      clearSelection();
    }
  });
}
