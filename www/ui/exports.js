// Saving what the plot shows: the two panels with their legends as one PNG,
// and every image's loss and prediction for both models as CSV (written by
// the core, so that the page and the command line share one CSV writer).
import { exportLosses } from '../actions.js';
import { downloadBlob, stampedName } from '../download.js';
import { addMessage, state } from '../state.js';
import { epochText } from './epochs.js';

const FONT = 'system-ui, -apple-system, "Segoe UI", sans-serif';
const PAD = 16;
const LEGEND_ROW = 20;

/** The panels (uPlot charts with their series) drawn onto one white canvas. */
function composePlot(panels, title) {
  const dpr = devicePixelRatio || 1;
  const rows = panels.map(({ chart, series }) => {
    const shown = series.filter((s, i) => chart.series[i + 1].show);
    return { chart, shown, legendHeight: shown.length * LEGEND_ROW };
  });
  const width = Math.max(...rows.map((r) => r.chart.ctx.canvas.width));
  const height = (PAD * 2 + 28) * dpr
    + rows.reduce((h, r) => h + (r.legendHeight + PAD) * dpr + r.chart.ctx.canvas.height, 0);
  const canvas = document.createElement('canvas');
  canvas.width = width + 2 * PAD * dpr;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#111827';
  ctx.font = `600 ${15 * dpr}px ${FONT}`;
  ctx.textBaseline = 'middle';
  let y = PAD * dpr + 10 * dpr;
  ctx.fillText(title, PAD * dpr, y);
  y += 24 * dpr;
  for (const { chart, shown } of rows) {
    ctx.font = `${12 * dpr}px ${FONT}`;
    for (const s of shown) {
      y += (LEGEND_ROW / 2) * dpr;
      ctx.strokeStyle = s.color;
      ctx.lineWidth = s.width * dpr;
      ctx.setLineDash((s.dash ?? []).map((d) => d * dpr));
      ctx.beginPath();
      ctx.moveTo(PAD * dpr, y);
      ctx.lineTo((PAD + 28) * dpr, y);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = '#1f2937';
      ctx.fillText(s.label(state.settings.epsilon), (PAD + 36) * dpr, y);
      y += (LEGEND_ROW / 2) * dpr;
    }
    y += (PAD / 2) * dpr;
    ctx.drawImage(chart.ctx.canvas, PAD * dpr, y);
    y += chart.ctx.canvas.height + (PAD / 2) * dpr;
  }
  return canvas;
}

function savePlot(panels) {
  if (!state.reports.length) {
    addMessage('warn', 'Nothing to save yet: the curves appear after the first point is measured.');
    return;
  }
  const epoch = state.reports[state.reports.length - 1].epoch;
  const title = `smoothlab — ${state.isSample ? 'sample digits' : 'your images'}, epochs 0–${epochText(epoch)}, smoothed ε = ${state.settings.epsilon.toFixed(2)}`;
  composePlot(panels, title).toBlob((blob) => {
    if (blob) downloadBlob(blob, stampedName('smoothlab-plot', 'png'));
    else addMessage('error', 'The plot could not be turned into a PNG.');
  }, 'image/png');
}

function saveLosses() {
  if (!state.losses || !state.dataset || !(state.losses.epoch > 0)) {
    addMessage('warn', 'No losses yet: train until the first point of the curves appears.');
    return;
  }
  exportLosses();
}

export function mountExports(root, panels) {
  root.querySelector('#save-plot').addEventListener('click', () => savePlot(panels));
  root.querySelector('#save-losses').addEventListener('click', saveLosses);
}
