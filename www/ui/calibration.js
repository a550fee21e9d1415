// Reliability diagrams of both models on the clean held-out images: for each
// of 15 equal-width confidence bins, a bar as tall as the share of its
// predictions that were right, a tick at their mean confidence, and the
// diagonal a calibrated model would follow. Each bin's count is printed
// under it, and bins with few images are drawn pale, so that nobody reads a
// trend into three images. A table carries the same numbers for screen
// readers.
import { on, state } from '../state.js';
import { epochText } from './epochs.js';
import { percent as pct } from './percent.js';
import { svgElement as el } from './svg.js';

const BINS = 15;
const FEW = 10; // a bin with fewer images than this is drawn pale
const W = 300;
const H = 220;
const PAD = { left: 38, right: 14, top: 8, bottom: 44 };
const PLOT_W = W - PAD.left - PAD.right;
const PLOT_H = H - PAD.top - PAD.bottom;

const x = (v) => PAD.left + v * PLOT_W;
const y = (v) => PAD.top + (1 - v) * PLOT_H;

/** ECE from a reliability table: Σ n_b/n · |accuracy_b − confidence_b|. */
export function eceOf(bins) {
  const n = bins.reduce((sum, b) => sum + b.count, 0);
  if (!n) return null;
  return bins.reduce((sum, b) => (b.count ? sum + (b.count / n) * Math.abs(b.accuracy - b.confidence) : sum), 0);
}


/**
 * What the table says in words: the mean confidence beside the share right,
 * and whether the model claims too much or too little (within a point it is
 * called calibrated on average; ECE says how far off the bins are).
 */
export function verdictOf(bins) {
  const n = bins.reduce((sum, b) => sum + b.count, 0);
  if (!n) return '';
  const said = bins.reduce((sum, b) => sum + b.count * b.confidence, 0) / n;
  const right = bins.reduce((sum, b) => sum + b.count * b.accuracy, 0) / n;
  const gap = said - right;
  const kind = Math.abs(gap) < 0.01 ? 'calibrated on average'
    : gap > 0 ? 'overconfident' : 'underconfident';
  return `says ${pct(said)} on average, right ${pct(right)} of the time: ${kind}`;
}

function axes(svg) {
  for (const t of [0, 0.5, 1]) {
    svg.append(el('line', { x1: x(0), x2: x(1), y1: y(t), y2: y(t), class: 'rel-grid' }));
    svg.append(el('text', { x: PAD.left - 4, y: y(t) + 4, class: 'rel-tick', 'text-anchor': 'end' }, pct(t)));
    svg.append(el('text', { x: x(t), y: H - 22, class: 'rel-tick', 'text-anchor': 'middle' }, pct(t)));
  }
  svg.append(el('line', { x1: x(0), y1: y(0), x2: x(1), y2: y(1), class: 'rel-diagonal' }));
  svg.append(el('text', { x: x(0.5), y: H - 6, class: 'rel-axis', 'text-anchor': 'middle' },
    'confidence (the predicted class’s probability)'));
  const label = el('text', { x: 10, y: y(0.5), class: 'rel-axis', 'text-anchor': 'middle',
    transform: `rotate(-90 10 ${y(0.5)})` }, 'share right');
  svg.append(label);
  svg.append(el('text', { x: PAD.left - 4, y: H - PAD.bottom + 11, class: 'rel-count rel-count-label', 'text-anchor': 'end' },
    'n'));
}

function bars(svg, bins) {
  const step = PLOT_W / BINS;
  bins.forEach((b, i) => {
    const left = PAD.left + i * step;
    const range = `${pct(i / BINS)}–${pct((i + 1) / BINS)}`;
    if (b.count) {
      const group = el('g', { class: b.count < FEW ? 'rel-bin rel-few' : 'rel-bin', 'data-bin': i });
      group.append(el('title', {}, `confidence ${range}: ${b.count} image${b.count === 1 ? '' : 's'}, `
        + `${pct(b.accuracy)} right at ${pct(b.confidence)} mean confidence`));
      group.append(el('rect', { x: left + 1, y: y(b.accuracy), width: step - 2, height: y(0) - y(b.accuracy), class: 'rel-bar' }));
      group.append(el('line', { x1: left + 1, x2: left + step - 1, y1: y(b.confidence), y2: y(b.confidence), class: 'rel-confidence' }));
      svg.append(group);
    }
    // The count under every bin, 0 included: an empty bin is information too.
    svg.append(el('text', { x: left + step / 2, y: H - PAD.bottom + 11, class: 'rel-count', 'text-anchor': 'middle' },
      String(b.count)));
  });
}

function table(bins, caption) {
  const t = document.createElement('table');
  t.className = 'visually-hidden';
  const c = t.createCaption();
  c.textContent = caption;
  const head = t.createTHead().insertRow();
  for (const h of ['confidence bin', 'images', 'share right', 'mean confidence']) {
    const th = document.createElement('th');
    th.textContent = h;
    head.append(th);
  }
  const body = t.createTBody();
  bins.forEach((b, i) => {
    if (!b.count) return;
    const row = body.insertRow();
    for (const v of [`${pct(i / BINS)}–${pct((i + 1) / BINS)}`, b.count, pct(b.accuracy), pct(b.confidence)]) {
      row.insertCell().textContent = String(v);
    }
  });
  return t;
}

function draw(figure, name, bins, epoch) {
  const ece = eceOf(bins);
  const n = bins.reduce((sum, b) => sum + b.count, 0);
  const caption = document.createElement('figcaption');
  const title = document.createElement('strong');
  title.textContent = name;
  const figures = document.createElement('span');
  figures.className = 'rel-ece';
  figures.textContent = ece === null ? ' — no held-out images'
    : ` — ECE ${(ece * 100).toFixed(1)}% (15 equal-width bins, ${n} images)`;
  const verdict = document.createElement('span');
  verdict.className = 'rel-verdict';
  verdict.textContent = verdictOf(bins);
  caption.append(title, figures, document.createElement('br'), verdict);
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', class: 'rel-svg',
    'aria-label': `${name}: reliability diagram${ece === null ? '' : `, ECE ${(ece * 100).toFixed(1)}%`}` });
  axes(svg);
  bars(svg, bins);
  figure.dataset.ece = ece ?? '';
  figure.dataset.epoch = epoch ?? '';
  figure.replaceChildren(caption, svg, table(bins, `${name}: reliability on ${n} held-out images`));
}

export function mountCalibration(root) {
  const baseline = root.querySelector('#reliability-baseline');
  const smoothed = root.querySelector('#reliability-smoothed');
  const empty = root.querySelector('#calibration-empty');
  const when = root.querySelector('#calibration-when');
  let shown = null;

  function render() {
    const c = state.calibration;
    if (c === shown) return;
    shown = c;
    const has = Boolean(c?.baseline?.length);
    empty.hidden = has;
    baseline.hidden = !has;
    smoothed.hidden = !has;
    when.textContent = has ? `Measured at epoch ${epochText(c.epoch)}.` : '';
    if (!has) return;
    const eps = state.reports.at(-1)?.smoothed.epsilon ?? state.settings.epsilon;
    draw(baseline, 'Baseline (ε = 0)', c.baseline, c.epoch);
    draw(smoothed, `Smoothed (ε = ${eps.toFixed(2)})`, c.smoothed, c.epoch);
  }
  on('calibration reports', render);
  render();
}
