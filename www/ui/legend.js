// A legend a newcomer can read: a line sample drawn like the curve, a plain
// label ("mislabeled — smoothed (ε=0.20)"), and the value at the latest epoch
// or under the cursor. Clicking an entry shows or hides its curve.
import { state } from '../state.js';

const SVG = 'http://www.w3.org/2000/svg';

function sample(series) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('width', '30');
  svg.setAttribute('height', '10');
  svg.setAttribute('aria-hidden', 'true');
  const line = document.createElementNS(SVG, 'line');
  line.setAttribute('x1', '1');
  line.setAttribute('x2', '29');
  line.setAttribute('y1', '5');
  line.setAttribute('y2', '5');
  line.setAttribute('stroke', series.color);
  line.setAttribute('stroke-width', String(series.width + 0.5));
  if (series.dash) line.setAttribute('stroke-dasharray', series.dash.map((d) => d * 0.7).join(' '));
  svg.append(line);
  return svg;
}

export function format(value, field) {
  if (value === null || value === undefined) return '–';
  if (/Acc|Ece|memorized|corrected/.test(field)) return `${(value * 100).toFixed(1)}%`;
  return value.toFixed(3);
}

export function mountLegend(root, chart, seriesList) {
  const entries = seriesList.map((series, i) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'legend-entry';
    button.dataset.field = series.field;
    button.dataset.model = series.model;
    const label = document.createElement('span');
    label.className = 'legend-label';
    const value = document.createElement('span');
    value.className = 'legend-value';
    button.append(sample(series), label, value);
    button.addEventListener('click', () => {
      const show = !chart.series[i + 1].show;
      chart.setSeries(i + 1, { show });
      refresh();
    });
    root.append(button);
    return { series, button, label, value };
  });

  function refresh() {
    const data = chart.data;
    const idx = chart.cursor.idx ?? data[0].length - 1;
    // Text is set only when it differs: this runs ten times a second.
    const put = (el, text) => { if (el.textContent !== text) el.textContent = text; };
    entries.forEach(({ series, button, label, value }, i) => {
      const show = chart.series[i + 1].show;
      put(label, series.label(state.settings.epsilon));
      put(value, idx >= 0 ? format(data[i + 1][idx], series.field) : '–');
      if (button.getAttribute('aria-pressed') !== String(show)) {
        button.setAttribute('aria-pressed', String(show));
        button.title = show ? 'Hide this curve' : 'Show this curve';
      }
    });
  }

  chart.hooks.setCursor = [...(chart.hooks.setCursor ?? []), refresh];
  refresh();
  return { refresh };
}
