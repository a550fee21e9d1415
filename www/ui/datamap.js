// The data map panel (Dataset Cartography, Swayamdipta et al. 2020): which
// model's map to show, the scatter (ui/datamap-draw.js), the image behind a
// clicked point, and a rectangle dragged over the map as a selection, which
// the same actions as the image grid's then move or remove. It redraws only
// when the map, the selection or the size changes, once per frame at most,
// so that it costs training nothing while nothing changes.
import { on, setDataMapModel, setSelection, state } from '../state.js';
import { drawMap, frame, nearest } from './datamap-draw.js';
import { wireDataMapKeys } from './datamap-keys.js';
import { wireSelectionActions } from './selection-actions.js';
import { percent as pct } from './percent.js';
import { smoothedTarget } from './smoothing.js';
import { drawThumb } from './thumbs.js';

const STRIDE = 5; // confidence, variability, epochs, given, truth (−1: unknown)
const DRAG_PX = 4; // a press that moves less than this is a click
const LOW = 0.5; // the low-confidence half, for the summary

/** A model's map as points; images with no epoch counted yet are left out. */
export function pointsOf(map) {
  if (!map) return [];
  const { values, ids } = map;
  const points = [];
  for (let i = 0; i < ids.length; i += 1) {
    const [confidence, variability, epochs, given, truth] = values.subarray(i * STRIDE, (i + 1) * STRIDE);
    if (!epochs) continue;
    points.push({ id: ids[i], confidence, variability, epochs, given, truth: truth < 0 ? null : truth,
      mislabeled: truth >= 0 && truth !== given });
  }
  return points;
}

const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The map in words, for screen readers: how many images in each quarter of confidence. */
function bands(points) {
  if (!points.length) return '';
  const parts = [];
  for (let q = 3; q >= 0; q -= 1) {
    const inside = points.filter((p) => Math.min(3, Math.floor(p.confidence * 4)) === q);
    const wrong = inside.filter((p) => p.mislabeled).length;
    parts.push(`confidence ${q * 25}% to ${(q + 1) * 25}%: ${plural(inside.length, 'image')}, ${wrong} mislabeled`);
  }
  const ambiguous = points.filter((p) => p.variability >= 0.2).length;
  return `${parts.join('; ')}. ${plural(ambiguous, 'image')} with variability 0.2 or more.`;
}

export function mountDataMap(root) {
  const canvas = root.querySelector('#datamap-canvas');
  const band = root.querySelector('#datamap-band');
  const empty = root.querySelector('#datamap-empty');
  const summary = root.querySelector('#datamap-summary');
  const text = root.querySelector('#datamap-text');
  const detail = root.querySelector('#datamap-detail');
  const count = root.querySelector('#datamap-selection');
  const moveTo = root.querySelector('#datamap-move-to');
  const clear = root.querySelector('#datamap-clear');
  const remove = root.querySelector('#datamap-remove');
  const radios = [...root.querySelectorAll('input[name="datamap-model"]')];

  let points = [];
  let pointsOfMap = null; // the map and model `points` were read from
  let shownId = null; // the image whose details are shown
  let geometry = frame(1, 1);
  // The canvas's size as the ResizeObserver last saw it: reading it in a
  // frame would force a layout of the whole page while training updates it.
  let size = { width: 0, height: 0 };
  let queued = false;

  function currentPoints() {
    const map = state.dataMap?.[state.dataMapModel] ?? null;
    if (pointsOfMap?.map !== map || pointsOfMap?.model !== state.dataMapModel) {
      points = pointsOf(map);
      pointsOfMap = { map, model: state.dataMapModel };
    }
    return points;
  }

  // What the smoothed model is trained to give the given label (ε as now).
  function ceiling() {
    const eps = state.reports.at(-1)?.smoothed.epsilon ?? state.settings.epsilon;
    const k = state.dataset?.classes.length ?? 0;
    return state.dataMapModel === 'smoothed' && eps > 0 && k > 1 ? smoothedTarget(eps, k).labeled : null;
  }

  function describe() {
    const n = points.length;
    const epoch = state.dataMap?.epoch ?? 0;
    const wrong = points.filter((p) => p.mislabeled);
    const low = wrong.filter((p) => p.confidence < LOW).length;
    canvas.dataset.points = String(n);
    canvas.dataset.mislabeled = String(wrong.length);
    canvas.dataset.model = state.dataMapModel;
    empty.hidden = n > 0;
    text.textContent = bands(points);
    if (!n) {
      summary.textContent = '';
      canvas.setAttribute('aria-label', 'Data map: no epoch has ended yet');
      return;
    }
    const after = `after ${plural(epoch, 'epoch')}`;
    const noisy = wrong.length
      ? `${wrong.length} mislabeled, ${low} of them in the low-confidence half (below ${pct(LOW)})`
      : 'none mislabeled';
    summary.textContent = `${plural(n, 'training image')} ${after} · ${noisy}`;
    canvas.setAttribute('aria-label', `Data map of the ${state.dataMapModel} model ${after}: `
      + `${plural(n, 'point')}; ${noisy}.`);
  }

  function draw() {
    queued = false;
    currentPoints();
    if (size.width) geometry = drawMap(canvas, size, points, state.selection, shownId, ceiling());
    describe();
    renderDetail();
  }

  function schedule() {
    if (queued) return;
    queued = true;
    requestAnimationFrame(draw);
  }

  function renderDetail() {
    const p = shownId === null ? null : points.find((q) => q.id === shownId);
    const img = p && state.dataset?.images.find((im) => im.id === p.id);
    detail.hidden = !img;
    if (!img) return;
    const classes = state.dataset.classes;
    const labels = document.createElement('div');
    if (p.mislabeled) {
      labels.innerHTML = '<span class="is-wrong">mislabeled</span>';
      labels.append(`: given ${classes[p.given]}, true ${classes[p.truth]}`);
    } else {
      labels.textContent = `class ${classes[p.given]}${p.truth === null ? ' (truth unknown)' : ''}`;
    }
    const name = document.createElement('strong');
    name.textContent = img.name;
    const numbers = document.createElement('div');
    numbers.className = 'numbers';
    numbers.textContent = `confidence ${pct(p.confidence)} · variability ${p.variability.toFixed(3)}`;
    const epochs = document.createElement('div');
    epochs.className = 'numbers';
    epochs.textContent = `over ${plural(p.epochs, 'epoch')}`;
    detail.dataset.id = String(p.id);
    detail.dataset.given = String(p.given);
    detail.dataset.truth = String(p.truth ?? '');
    detail.replaceChildren(drawThumb(p.id, 'tile'), name, labels, numbers, epochs);
  }

  function renderActions() {
    const n = state.selection.size;
    count.textContent = n ? `${n} selected` : 'None selected';
    for (const control of [moveTo, clear, remove]) control.disabled = !n;
    const classes = state.dataset?.classes ?? [];
    const first = new Option(state.moveMode === 'fix' ? 'Move to… (fixes the label)' : 'Move to… (mislabels)', '');
    first.disabled = true;
    moveTo.replaceChildren(first, ...classes.map((c, i) => new Option(c, String(i))));
    moveTo.value = '';
  }

  // A press: a click shows the nearest image; a drag selects a rectangle.
  let press = null;
  const at = (e) => {
    const r = canvas.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  };
  canvas.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    canvas.setPointerCapture(e.pointerId);
    press = { start: at(e), dragging: false };
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!press) return;
    const [[x0, y0], [x1, y1]] = [press.start, at(e)];
    press.dragging ||= Math.hypot(x1 - x0, y1 - y0) >= DRAG_PX;
    if (!press.dragging) return;
    band.hidden = false;
    Object.assign(band.style, { left: `${canvas.offsetLeft + Math.min(x0, x1)}px`, top: `${canvas.offsetTop + Math.min(y0, y1)}px`,
      width: `${Math.abs(x1 - x0)}px`, height: `${Math.abs(y1 - y0)}px` });
  });
  canvas.addEventListener('pointerup', (e) => {
    if (!press) return;
    const [[x0, y0], [x1, y1]] = [press.start, at(e)];
    const dragging = press.dragging;
    press = null;
    band.hidden = true;
    if (!dragging) {
      shownId = nearest(points, geometry, x1, y1)?.id ?? null;
      schedule();
      return;
    }
    const f = geometry;
    const [vLo, vHi] = [f.variabilityAt(Math.min(x0, x1)), f.variabilityAt(Math.max(x0, x1))];
    const [cLo, cHi] = [f.confidenceAt(Math.max(y0, y1)), f.confidenceAt(Math.min(y0, y1))];
    setSelection(points.filter((p) => p.variability >= vLo && p.variability <= vHi
      && p.confidence >= cLo && p.confidence <= cHi).map((p) => p.id));
  });
  canvas.addEventListener('pointercancel', () => {
    press = null;
    band.hidden = true;
  });

  for (const r of radios) r.addEventListener('change', () => { if (r.checked) setDataMapModel(r.value); });
  wireSelectionActions({ moveTo, clear, remove });
  wireDataMapKeys(canvas, {
    points: currentPoints,
    at: (p) => ({ x: geometry.x(p.variability), y: geometry.y(p.confidence) }),
    shown: () => shownId,
    show: (id) => { shownId = id; schedule(); },
    toggle: (id) => {
      const next = new Set(state.selection);
      if (!next.delete(id)) next.add(id);
      setSelection([...next]);
    },
    clearSelection: () => setSelection([]),
  });

  new ResizeObserver(([entry]) => {
    size = { width: entry.contentRect.width, height: entry.contentRect.height };
    schedule();
  }).observe(canvas);
  on('dataMap selection', schedule);
  on('dataset thumbs', () => { schedule(); renderActions(); });
  on('selection mode', renderActions);
  renderActions();
  schedule();

  return {
    /** Where image `id` is drawn, in CSS pixels from the canvas's corner (for tests). */
    positionOf(id) {
      const p = currentPoints().find((q) => q.id === id);
      return p ? { x: geometry.x(p.variability), y: geometry.y(p.confidence) } : null;
    },
  };
}
