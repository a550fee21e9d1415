// What the two plot panels draw, as data. Colour says which images (correctly
// labeled / mislabeled), the dash says which model: dashed = baseline (ε = 0),
// solid = smoothed. The loss is −log p(given label), never the smoothed
// objective (whose floor rises with ε and would make the curves incomparable).

export const COLORS = {
  clean: '#2563eb',
  noisy: '#e8590c',
  truth: '#8b5cf6',
  accuracy: '#0f8a5f',
  memorized: '#c2410c',
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

export const LOSS_SERIES = [
  ...pair('cleanLoss', COLORS.clean, 'correctly labeled', true),
  ...pair('noisyLoss', COLORS.noisy, 'mislabeled', true),
  ...pair('noisyTrueLoss', COLORS.truth, 'mislabeled, measured against the true label', false, 1.5),
];

export const ACCURACY_SERIES = [
  ...pair('testAcc', COLORS.accuracy, 'held-out accuracy (clean labels)', true),
  ...pair('memorized', COLORS.memorized, 'mislabeled predicted as their wrong label', false, 1.5),
];

/** Columns for uPlot: [epochs, ...one array per series], null where undefined. */
export function columns(reports, series) {
  const xs = reports.map((r) => r.epoch);
  const ys = series.map((s) => reports.map((r) => finiteOrNull(r[s.model]?.[s.field])));
  return [xs, ...ys];
}

/** Appends reports to existing columns in place. */
export function appendColumns(data, reports, series) {
  for (const r of reports) {
    data[0].push(r.epoch);
    series.forEach((s, i) => data[i + 1].push(finiteOrNull(r[s.model]?.[s.field])));
  }
}

function finiteOrNull(v) {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
