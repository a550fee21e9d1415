// The live plot: panel 1 is the mean −log p(given label) per epoch for
// correctly labeled and mislabeled training images, panel 2 the clean
// held-out accuracy. Reports are appended in place and drawn when they
// arrive (client.js hands them over a few times a second), in the same
// frame as the rest of the page's updates.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { on, setPlotScale, state } from '../state.js';
import { mountLegend } from './legend.js';
import { mountPlotSummary } from './plot-summary.js';
import { ACCURACY_SERIES, LOSS_SERIES, appendColumns, columns } from './series.js';

const font = '12px system-ui, -apple-system, "Segoe UI", sans-serif';

// Ticks at whole epochs, 1, 2, 5, 10, 20, 50, ... apart (points may fall
// between them: several per epoch).
const EPOCH_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];

function axis(label, values, incrs) {
  return {
    label, values, incrs, font, labelFont: font, stroke: '#5b6474', size: 46, labelSize: 18,
    grid: { stroke: '#e8ebf0', width: 1 }, ticks: { stroke: '#d5dae1', width: 1, size: 4 },
  };
}

// The level a model that knows nothing reaches, for K classes: uniform
// predictions have loss −log(1/K) = ln K; a guess is right, or names one
// given wrong label, once in K.
const LOSS_CHANCE = (k) => ({ value: Math.log(k), label: `guessing: ln ${k} = ${Math.log(k).toFixed(2)}` });
const SHARE_CHANCE = (k) => ({ value: 1 / k, label: `chance: 1 in ${k} = ${Math.round(100 / k)}%` });

// Vertical marks where ε or the labels were changed during the run, and the
// chance level (when the panel has one on its current scale).
function overlays(u, { chance }) {
  const { ctx } = u;
  const { left, top, width, height } = u.bbox;
  const dpr = devicePixelRatio || 1;
  ctx.save();
  ctx.font = `${11 * dpr}px system-ui, sans-serif`;
  ctx.lineWidth = dpr;
  const k = Math.max(2, state.dataset?.classes.length ?? 10);
  const level = chance?.(k);
  if (level) {
    const y = u.valToPos(level.value, 'y', true);
    if (y >= top && y <= top + height) {
      ctx.strokeStyle = '#9aa3b2';
      ctx.setLineDash([2 * dpr, 4 * dpr]);
      ctx.beginPath(); ctx.moveTo(left, y); ctx.lineTo(left + width, y); ctx.stroke();
      ctx.fillStyle = '#7b8494';
      ctx.textAlign = 'right';
      ctx.fillText(level.label, left + width - 4 * dpr, y - 4 * dpr);
      ctx.textAlign = 'left';
    }
  }
  ctx.setLineDash([4 * dpr, 3 * dpr]);
  state.marks.forEach((mark, i) => {
    const x = u.valToPos(mark.epoch, 'x', true);
    if (x < left || x > left + width) return;
    ctx.strokeStyle = mark.kind === 'labels' ? '#c2410c' : '#475569';
    ctx.beginPath(); ctx.moveTo(x, top); ctx.lineTo(x, top + height); ctx.stroke();
    ctx.fillStyle = mark.kind === 'labels' ? '#9a3412' : '#334155';
    ctx.fillText(mark.label, x + 4 * dpr, top + (12 + 13 * (i % 2)) * dpr);
  });
  ctx.restore();
}

function makeChart(target, series, { yLabel, yValues, yRange, chance, height }, context) {
  const opts = {
    width: Math.max(300, target.clientWidth),
    height,
    legend: { show: false },
    cursor: { sync: { key: 'smoothlab' }, points: { size: 6 }, drag: { x: true, y: false } },
    scales: { x: { time: false, range: epochRange }, y: { range: yRange } },
    axes: [axis('epoch', undefined, EPOCH_STEPS), axis(yLabel, yValues)],
    series: [
      { label: 'epoch' },
      ...series.map((s) => ({
        label: s.label(0), stroke: s.color, width: s.width, dash: s.dash,
        show: s.show, spanGaps: false, points: { show: false },
      })),
    ],
    hooks: { draw: [(u) => overlays(u, { chance })] },
  };
  return new uPlot(opts, columns([], series, context()), target);
}

// The first epochs spread over a 1–10 axis instead of stretching edge to edge.
const epochRange = (u, min, max) => [Math.min(1, min ?? 1), Math.max(10, max ?? 10)];
const lossRange = (u, min, max) => [0, Math.max(1, (max ?? 1) * 1.08)];
// Accuracy near 97% is a flat line on a 0–100% axis; zoom in, in steps of 10%.
const shareRange = (u, min) => [Math.max(0, Math.floor(((min ?? 0) - 0.02) * 10) / 10), 1];
const percent = (u, ticks) => ticks.map((t) => `${Math.round(t * 100)}%`);

// What the loss panel's y axis measures, on each of its two scales.
const LOSS_LABEL = {
  raw: '−log p(given label), nats',
  floor: 'above the model’s floor, nats',
};

export function mountPlot(root) {
  const lossTarget = root.querySelector('#plot-loss');
  const accTarget = root.querySelector('#plot-accuracy');
  const empty = root.querySelector('#plot-empty');
  // The classes and the loss scale the computed series need.
  const context = () => ({ k: Math.max(2, state.dataset?.classes.length ?? 10), scale: state.plotScale });
  const charts = [
    { series: LOSS_SERIES, chart: makeChart(lossTarget, LOSS_SERIES, {
      yLabel: () => LOSS_LABEL[state.plotScale], yRange: lossRange,
      // Guessing costs ln K on the raw scale only: above a floor it is lower.
      chance: (k) => (state.plotScale === 'raw' ? LOSS_CHANCE(k) : null), height: 280 }, context) },
    { series: ACCURACY_SERIES, chart: makeChart(accTarget, ACCURACY_SERIES, {
      yLabel: 'share', yValues: percent, yRange: shareRange, chance: SHARE_CHANCE, height: 170 }, context) },
  ];
  const legends = [
    mountLegend(root.querySelector('#legend-loss'), charts[0].chart, LOSS_SERIES),
    mountLegend(root.querySelector('#legend-accuracy'), charts[1].chart, ACCURACY_SERIES),
  ];

  const summary = mountPlotSummary([
    { ...charts[0], title: () => `Plot of ${LOSS_LABEL[state.plotScale]} by epoch` },
    { ...charts[1], title: () => 'Plot of the held-out accuracy and other shares by epoch' },
  ], () => state.settings.epsilon);

  let drawn = 0; // reports already in the charts' columns
  let firstEpoch = null;

  function redraw({ whole = false } = {}) {
    const reports = state.reports;
    const restarted = whole || reports.length < drawn || (reports.length && reports[0].epoch !== firstEpoch);
    for (const { chart, series } of charts) {
      if (restarted || drawn === 0) chart.setData(columns(reports, series, context()));
      else {
        appendColumns(chart.data, reports.slice(drawn), series, context());
        chart.setData(chart.data);
      }
    }
    drawn = reports.length;
    firstEpoch = reports.length ? reports[0].epoch : null;
    empty.hidden = reports.length > 0;
    legends.forEach((legend) => legend.refresh());
    summary();
  }

  new ResizeObserver(() => {
    for (const { chart } of charts) {
      const width = Math.max(300, chart.root.parentElement.clientWidth);
      if (width !== chart.width) chart.setSize({ width, height: chart.height });
    }
  }).observe(root);

  on('reports', () => redraw());
  on('plotScale', () => redraw({ whole: true }));
  for (const input of root.querySelectorAll('input[name="plot-scale"]')) {
    input.checked = input.value === state.plotScale;
    input.addEventListener('change', () => { if (input.checked) setPlotScale(input.value); });
  }
  on('status', () => {
    const text = state.playing ? 'Training… the curves appear at the first point.'
      : 'Press Train to start: the curves appear at the first point.';
    if (empty.textContent !== text) empty.textContent = text;
  });
  on('settings dataset', () => { legends.forEach((legend) => legend.refresh()); summary(); });
  // A curve shown or hidden from its legend entry (handled there first) changes what the label says.
  root.addEventListener('click', (e) => { if (e.target.closest('.legend-entry')) summary(); });
  redraw();
  // lossColumns: the loss panel's series labels and columns, for tests.
  const lossColumns = () => {
    const { chart } = charts[0];
    return chart.series.slice(1).map((s, i) => ({ label: s.label, values: chart.data[i + 1] }));
  };
  return { points: () => charts[0].chart.data[0].length, lossColumns, panels: charts };
}
