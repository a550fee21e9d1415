// The ε sweep's results against ε, as small multiples (one per measure): a
// dot at the mean over seeds, a bar from the lowest seed to the highest, and
// a dashed line at ε = 0's mean, so that a person sees at a glance whether
// any ε beats no smoothing by more than the seeds differ among themselves.
import { percent as pct } from './percent.js';
import { svgElement as el } from './svg.js';

const W = 250;
const H = 170;
const PAD = { left: 44, right: 10, top: 22, bottom: 34 };

/** A y range padded around every min and max, kept inside [0, 1]. */
function yRange(spreads) {
  const lo = Math.min(...spreads.map((s) => s.min));
  const hi = Math.max(...spreads.map((s) => s.max));
  const pad = Math.max((hi - lo) * 0.15, 0.005);
  return [Math.max(0, lo - pad), Math.min(1, hi + pad)];
}

/** One measure's panel; rows: [{epsilon, spread: {mean, min, max, n}}]. */
export function measurePanel(title, rows, { chance } = {}) {
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, class: 'sweep-svg', role: 'img' });
  const spreads = rows.map((r) => r.spread);
  let [y0, y1] = yRange(spreads);
  // A share is drawn with what a guess would score, however far away.
  if (chance !== undefined) [y0, y1] = [Math.min(y0, chance), Math.max(y1, chance * 1.05)];
  const eMax = Math.max(...rows.map((r) => r.epsilon), 0.05);
  const x = (e) => PAD.left + (e / eMax) * (W - PAD.left - PAD.right);
  const y = (v) => PAD.top + (1 - (v - y0) / (y1 - y0 || 1)) * (H - PAD.top - PAD.bottom);

  svg.append(el('text', { x: PAD.left, y: 13, class: 'sweep-title' }, title));
  for (const t of [y0, (y0 + y1) / 2, y1]) {
    svg.append(el('line', { x1: PAD.left, x2: W - PAD.right, y1: y(t), y2: y(t), class: 'rel-grid' }));
    svg.append(el('text', { x: PAD.left - 4, y: y(t) + 3, class: 'rel-tick', 'text-anchor': 'end' },
      pct(t, y1 - y0 < 0.05 ? 1 : 0)));
  }
  // ε labels under their points, leaving out one that would touch the last
  // drawn (0 and 0.05 sit close): the point's own tooltip still names it.
  let lastLabel = -Infinity;
  for (const r of rows) {
    const at = x(r.epsilon);
    if (at - lastLabel < 22) continue;
    lastLabel = at;
    svg.append(el('text', { x: at, y: H - PAD.bottom + 12, class: 'rel-tick', 'text-anchor': 'middle' },
      String(r.epsilon)));
  }
  svg.append(el('text', { x: (PAD.left + W - PAD.right) / 2, y: H - 6, class: 'rel-axis', 'text-anchor': 'middle' },
    'label smoothing ε'));
  if (chance !== undefined && chance >= y0 && chance <= y1) {
    svg.append(el('line', { x1: PAD.left, x2: W - PAD.right, y1: y(chance), y2: y(chance), class: 'sweep-chance' }));
  }
  const base = rows.find((r) => r.epsilon === 0);
  if (base) {
    svg.append(el('line', { x1: PAD.left, x2: W - PAD.right, y1: y(base.spread.mean), y2: y(base.spread.mean),
      class: 'sweep-reference' }));
  }
  const path = rows.map((r, i) => `${i ? 'L' : 'M'}${x(r.epsilon)},${y(r.spread.mean)}`).join(' ');
  svg.append(el('path', { d: path, class: 'sweep-line' }));
  for (const r of rows) {
    const { mean, min, max, n } = r.spread;
    const g = el('g', { class: 'sweep-point', 'data-epsilon': r.epsilon });
    g.append(el('title', {}, `ε = ${r.epsilon}: mean ${pct(mean, 1)}, from ${pct(min, 1)} to ${pct(max, 1)} over ${n} seed${n === 1 ? '' : 's'}`));
    const cx = x(r.epsilon);
    g.append(el('line', { x1: cx, x2: cx, y1: y(min), y2: y(max), class: 'sweep-range' }));
    for (const v of [min, max]) g.append(el('line', { x1: cx - 4, x2: cx + 4, y1: y(v), y2: y(v), class: 'sweep-range' }));
    g.append(el('circle', { cx, cy: y(mean), r: 3.5, class: 'sweep-mean' }));
    svg.append(g);
  }
  svg.setAttribute('aria-label', `${title} against ε: ${rows.map((r) => `ε ${r.epsilon} ${pct(r.spread.mean, 1)}`).join(', ')}`);
  return svg;
}
