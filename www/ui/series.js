// What the two plot panels draw, as data. Colour says which images (correctly
// labeled / mislabeled), the dash says which model: dashed = baseline (ε = 0),
// solid = smoothed. The loss is −log p(given label), never the smoothed
// objective (whose floor rises with ε and would make the curves incomparable).
import { smoothedTarget } from './smoothing.js';

export const COLORS = {
  clean: '#2563eb',
  noisy: '#e8590c',
  truth: '#8b5cf6',
  accuracy: '#0f8a5f',
  memorized: '#c2410c',
  floor: '#475569',
  ece: '#7c3aed',
};
export const BASELINE_DASH = [7, 5];

const who = (model, epsilon) =>
  (model === 'baseline' ? 'baseline (ε=0)' : `smoothed (ε=${epsilon.toFixed(2)})`);

function pair(field, color, text, show, width = 2) {
  return ['baseline', 'smoothed'].map((model) => ({
    field,
    model,
    color,
    show,
    width,
    dash: model === 'baseline' ? BASELINE_DASH : undefined,
    label: (epsilon) => `${text} — ${who(model, epsilon)}`,
  }));
}

/**
 * The lowest −log p(given) a model trained with smoothing ε can reach on K
 * classes: its target puts 1 − ε + ε/K on the given label, and a perfect fit
 * of that target stops there. 0 for the baseline (ε = 0). (Not the smoothed
 * objective's own floor H(q′), smoothing.js's lossFloor.)
 */
export function givenLossFloor(epsilon, k) {
  return -Math.log(smoothedTarget(epsilon, k).labeled);
}

// The smoothed model's floor, drawn as its own line (it moves with ε).
const FLOOR = {
  field: 'floor',
  model: 'smoothed',
  color: COLORS.floor,
  show: true,
  width: 1.5,
  dash: [2, 3],
  label: (epsilon) => `floor of the smoothed model (ε=${epsilon.toFixed(2)}): −log(1 − ε + ε/K)`,
  value: (r, { k, scale }) => (scale === 'raw' ? givenLossFloor(r.smoothed.epsilon, k) : null),
};

// On the 'floor' scale each loss is drawn above its own model's floor, so
// that the smoothed model's curves compare with the baseline's.
const aboveFloor = (s) => (r, { k, scale }) => {
  const v = r[s.model]?.[s.field];
  if (scale === 'raw' || v === null || v === undefined) return v;
  return v - givenLossFloor(r[s.model].epsilon, k);
};

function withFloor(series) {
  return series.map((s) => ({ ...s, value: aboveFloor(s) }));
}

export const LOSS_SERIES = [
  ...withFloor([
    ...pair('cleanLoss', COLORS.clean, 'correctly labeled', true),
    ...pair('noisyLoss', COLORS.noisy, 'mislabeled', true),
    ...pair('noisyTrueLoss', COLORS.truth, 'mislabeled, measured against the true label', false, 1.5),
  ]),
  FLOOR,
];

export const ACCURACY_SERIES = [
  ...pair('testAcc', COLORS.accuracy, 'held-out accuracy (clean labels)', true),
  ...pair('memorized', COLORS.memorized, 'mislabeled predicted as their wrong label', false, 1.5),
  ...pair('testEce', COLORS.ece, 'calibration error on held-out images (ECE, 15 bins)', false, 1.5),
];

/**
 * Columns for uPlot: [epochs, ...one array per series], null where undefined.
 * `context` is {k: classes, scale: 'raw' | 'floor'} for series that compute
 * their value.
 */
export function columns(reports, series, context) {
  const xs = reports.map((r) => r.epoch);
  const ys = series.map((s) => reports.map((r) => value(s, r, context)));
  return [xs, ...ys];
}

/** Appends reports to existing columns in place. */
export function appendColumns(data, reports, series, context) {
  for (const r of reports) {
    data[0].push(r.epoch);
    series.forEach((s, i) => data[i + 1].push(value(s, r, context)));
  }
}

function value(s, r, context) {
  return finiteOrNull(s.value ? s.value(r, context) : r[s.model]?.[s.field]);
}

function finiteOrNull(v) {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
