// A text alternative for each plot panel. A canvas says nothing to a screen
// reader, so each panel is an image whose label names the latest value of
// every curve it shows. Rewritten at most once a second: the reports come
// several times a second, and the label is read when a person gets to it
// (not announced), so a fresher one would only cost DOM writes.
import { format } from './legend.js';

const EVERY_MS = 1000;

/** panels: [{chart, series, title()}]; returns update(), to call after each redraw. */
export function mountPlotSummary(panels, epsilon) {
  for (const { chart } of panels) chart.root.parentElement.setAttribute('role', 'img');
  let timer = null;
  let last = -Infinity;

  function write() {
    timer = null;
    last = performance.now();
    for (const { chart, series, title } of panels) {
      const at = chart.data[0].length - 1;
      const values = series
        .map((s, i) => ({ s, show: chart.series[i + 1].show, value: chart.data[i + 1]?.[at] }))
        .filter(({ show, value }) => show && value !== null && value !== undefined)
        .map(({ s, value }) => `${s.label(epsilon())} ${format(value, s.field)}`);
      const text = at < 0 ? `${title()}: no points yet.`
        : `${title()}, at epoch ${chart.data[0][at].toFixed(2)}: ${values.join('; ') || 'every curve hidden'}.`;
      const target = chart.root.parentElement;
      if (target.getAttribute('aria-label') !== text) target.setAttribute('aria-label', text);
    }
  }

  return function update() {
    if (timer !== null) return;
    timer = setTimeout(write, Math.max(0, last + EVERY_MS - performance.now()));
  };
}
