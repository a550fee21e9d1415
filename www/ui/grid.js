// The per-image view: a grid of tiles that can be sorted by current loss and
// filtered, showing at most `view.limit` tiles (scrolling to the "Show more"
// button adds more) so that 1,797 digits stay fast. Keyboard: arrows move, Space
// selects, 1–9 move the selection to class n (Shift: the other kind of move).
import { moveImages, removeImages } from '../actions.js';
import { GRID_PAGE, on, setMoveMode, setSelection, setView, state } from '../state.js';
import { epochText } from './epochs.js';
import { createTile, repaintTile, showImage, updateTile } from './tile.js';

export function mountGrid(root) {
  const grid = root.querySelector('#grid');
  const more = root.querySelector('#grid-more');
  const shownText = root.querySelector('#grid-shown');
  const sort = root.querySelector('#grid-sort');
  const lossModel = root.querySelector('#grid-model');
  const filter = root.querySelector('#grid-filter');
  const resort = root.querySelector('#grid-resort');
  const resortNote = root.querySelector('#grid-sorted');
  const slots = []; // tile elements, reused: slot i shows order[i]
  let generation = -1;
  let order = []; // ids currently in the grid, in order
  let activeId = null; // the tile holding the roving tab stop
  let anchorId = null; // for Shift+click ranges

  sort.addEventListener('change', () => setView({ sort: sort.value }));
  lossModel.addEventListener('change', () => setView({ model: lossModel.value }));
  filter.addEventListener('change', () => setView({ filter: filter.value, limit: GRID_PAGE }));
  const showMore = () => setView({ limit: state.view.limit + GRID_PAGE });
  more.addEventListener('click', showMore);
  // Scrolling near the end of the box shows the next page of tiles. (A scroll
  // listener, not an IntersectionObserver: that one costs a check per frame.)
  const box = grid.parentElement;
  box.addEventListener('scroll', () => {
    if (!more.hidden && box.scrollTop + box.clientHeight > box.scrollHeight - 240) showMore();
  }, { passive: true });

  function visible() {
    const ds = state.dataset;
    if (!ds) return [];
    const f = state.view.filter;
    let items = ds.images.map((img, index) => ({ img, index }));
    if (f === 'mislabeled') items = items.filter(({ img }) => img.mislabeled);
    else if (f === 'holdout') items = items.filter(({ img }) => img.holdout);
    else if (f.startsWith('class:')) {
      const c = Number(f.slice(6));
      items = items.filter(({ img }) => img.given === c);
    }
    const losses = state.losses?.[state.view.model ?? 'smoothed'];
    if (losses && state.view.sort !== 'order') {
      const sign = state.view.sort === 'loss-desc' ? -1 : 1;
      const key = (i) => (Number.isFinite(losses[i]) ? losses[i] : null);
      items.sort((a, b) => {
        const la = key(a.index);
        const lb = key(b.index);
        if (la === null || lb === null) return (la === null) - (lb === null);
        return sign * (la - lb);
      });
    }
    return items;
  }

  function tileInfo(img, index, lossScale) {
    const model = state.view.model ?? 'smoothed';
    const l = state.losses;
    return {
      img, classes: state.dataset.classes, lossScale, model,
      loss: l ? l[model][index] : NaN,
      predicted: l ? l[model === 'baseline' ? 'predBaseline' : 'predSmoothed'][index] : undefined,
      selected: state.selection.has(img.id),
    };
  }

  let positionsOf = null;
  let positionsMap = null;
  function positions(ds) {
    if (positionsOf !== ds) {
      positionsOf = ds;
      positionsMap = new Map(ds.images.map((img, i) => [img.id, i]));
    }
    return positionsMap;
  }

  /**
   * reorder: false keeps each tile on its image and only refreshes it. A
   * reorder reuses the tiles in place (they all have the same size), so a
   * re-sort repaints tiles but never moves elements. (All in one frame: any
   * change costs a repaint of the grid, so spreading it out costs more.)
   */
  function render(reorder = true) {
    const ds = state.dataset;
    if (state.generation !== generation) {
      generation = state.generation;
      for (const tile of slots) delete tile.dataset.id;
    }
    syncFilterOptions();
    if (!ds) return;
    if (reorder) {
      const items = visible();
      const shown = items.slice(0, state.view.limit);
      const hadFocus = grid.contains(document.activeElement);
      const position = Math.max(0, order.indexOf(activeId));
      order = shown.map(({ img }) => img.id);
      while (slots.length < order.length) slots.push(createTile());
      if (grid.childElementCount !== order.length) grid.replaceChildren(...slots.slice(0, order.length));
      if (!order.includes(activeId)) activeId = order[Math.min(position, order.length - 1)] ?? null;
      shownText.textContent = `Showing ${shown.length} of ${items.length}`;
      more.hidden = shown.length >= items.length;
      assign();
      if (hadFocus && activeId !== null) tileOf(activeId).focus();
    } else refresh();
  }

  /** Slot i shows order[i]. */
  function assign() {
    order.forEach((id, i) => showImage(slots[i], id));
    refresh();
  }

  /** Brings the shown tiles up to date with their images' labels and losses. */
  function refresh() {
    const ds = state.dataset;
    const indexOf = positions(ds);
    const lossScale = 2 * Math.log(Math.max(2, ds.classes.length));
    if (activeId === null && order.length) activeId = order[0];
    for (let slot = 0; slot < order.length; slot += 1) {
      const tile = slots[slot];
      const id = Number(tile.dataset.id);
      const i = indexOf.get(id);
      if (i === undefined) continue;
      updateTile(tile, tileInfo(ds.images[i], i, lossScale));
      const tabIndex = id === activeId ? 0 : -1;
      if (tile.tabIndex !== tabIndex) tile.tabIndex = tabIndex; // a write restyles, even unchanged
    }
  }

  const tileOf = (id) => grid.querySelector(`.tile[data-id="${id}"]`) ?? slots[order.indexOf(id)];

  function syncFilterOptions() {
    const classes = state.dataset?.classes ?? [];
    const wanted = ['all', 'mislabeled', 'holdout', ...classes.map((_, i) => `class:${i}`)];
    const have = [...filter.options].map((o) => `${o.value}=${o.textContent}`);
    const labels = ['All images', 'Mislabeled only', 'Held out only', ...classes.map((c) => `Class: ${c}`)];
    const next = wanted.map((v, i) => `${v}=${labels[i]}`);
    if (have.join('\n') !== next.join('\n')) {
      filter.replaceChildren(...wanted.map((v, i) => new Option(labels[i], v)));
    }
    filter.value = wanted.includes(state.view.filter) ? state.view.filter : 'all';
    sort.value = state.view.sort;
    lossModel.value = state.view.model ?? 'smoothed';
  }

  // While it trains, the bars follow the losses live but the order holds
  // still (tiles that jump under the pointer cannot be picked, and a full
  // re-sort is the costliest frame this page has). "Re-sort" takes the
  // current losses; pausing re-sorts by itself.
  function sortedNote() {
    const byLoss = state.view.sort !== 'order';
    resort.hidden = !byLoss;
    resortNote.textContent = byLoss && sortedEpoch !== null ? `order from epoch ${epochText(sortedEpoch)}` : '';
  }
  function resortNow() {
    sortedEpoch = state.losses?.epoch ?? null;
    render(true);
  }
  let sortedEpoch = null;
  resort.addEventListener('click', resortNow);
  on('view dataset', () => { sortedEpoch = state.losses?.epoch ?? null; sortedNote(); });
  on('losses', () => {
    const stale = state.view.sort !== 'order' && sortedEpoch !== state.losses.epoch;
    if (stale && !state.playing && state.selection.size === 0) resortNow();
    else render(false);
    sortedNote();
  });

  function focusTile(id) {
    if (id === undefined || id === null) return;
    activeId = id;
    for (const t of grid.children) t.tabIndex = -1;
    const tile = tileOf(id);
    tile.tabIndex = 0;
    tile.focus();
  }

  function toggle(id, range) {
    const next = new Set(state.selection);
    if (range && anchorId !== null && order.includes(anchorId)) {
      const [a, b] = [order.indexOf(anchorId), order.indexOf(id)].sort((x, y) => x - y);
      for (const rid of order.slice(a, b + 1)) next.add(rid);
    } else if (next.has(id)) next.delete(id);
    else next.add(id);
    anchorId = id;
    setSelection(next);
  }

  function columns() {
    const first = grid.children[0];
    if (!first) return 1;
    let n = 0;
    for (const t of grid.children) {
      if (t.offsetTop !== first.offsetTop) break;
      n += 1;
    }
    return Math.max(1, n);
  }

  // Whatever focuses a tile (Tab, a click, a screen reader) makes it active.
  grid.addEventListener('focusin', (e) => {
    const tile = e.target.closest('.tile');
    if (!tile || Number(tile.dataset.id) === activeId) return;
    activeId = Number(tile.dataset.id);
    for (const t of grid.children) t.tabIndex = t === tile ? 0 : -1;
  });

  grid.addEventListener('click', (e) => {
    const tile = e.target.closest('.tile');
    if (!tile) return;
    const id = Number(tile.dataset.id);
    focusTile(id);
    toggle(id, e.shiftKey);
  });

  grid.addEventListener('keydown', (e) => {
    const at = order.indexOf(activeId);
    const moves = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: columns(), ArrowUp: -columns() };
    if (e.key in moves) {
      e.preventDefault();
      focusTile(order[Math.max(0, Math.min(order.length - 1, at + moves[e.key]))]);
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      focusTile(e.key === 'Home' ? order[0] : order[order.length - 1]);
    } else if (e.key === ' ' || e.key === 'Enter') {
      e.preventDefault();
      if (activeId !== null) toggle(activeId, e.shiftKey);
    } else if (/^Digit[1-9]$/.test(e.code) && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      const ids = state.selection.size ? state.selection : new Set(activeId === null ? [] : [activeId]);
      const flip = e.shiftKey || e.altKey;
      const mode = flip ? (state.moveMode === 'fix' ? 'mislabel' : 'fix') : state.moveMode;
      moveImages(ids, Number(e.code.slice(5)) - 1, mode);
    } else if (e.key === 'm' || e.key === 'M') {
      setMoveMode(state.moveMode === 'fix' ? 'mislabel' : 'fix');
    } else if (e.key === 'Escape') {
      setSelection([]);
    } else if (e.key === 'a' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      setSelection(order);
    } else if (e.key === 'Delete' && state.selection.size) {
      removeImages(state.selection);
    }
  });

  on('dataset view', () => render(true));
  on('selection', () => render(false));
  on('thumbs', () => { for (const tile of grid.children) repaintTile(tile); });
  render();
}
