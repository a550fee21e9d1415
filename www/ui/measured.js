// One plain sentence under the plot saying what was measured on this data at
// the last point, in measures that compare across ε: each loss above its own
// model's floor, the share of mislabeled images memorised (beside the level
// a guess would reach) and the held-out calibration error. It never says
// what papers found elsewhere; it reads the reports.
import { on, state } from '../state.js';
import { epochText } from './epochs.js';
import { percent as pct } from './percent.js';
import { givenLossFloor } from './series.js';

const nats = (v) => v.toFixed(2);
const has = (v) => typeof v === 'number' && Number.isFinite(v);

/** The sentence for the last report, or '' before the first. */
export function measuredText(last, k) {
  if (!last) return '';
  const { baseline: b, smoothed: s } = last;
  const floor = givenLossFloor(s.epsilon, k);
  const parts = [];
  if (has(b.noisyLoss) && has(s.noisyLoss)) {
    parts.push(`mislabeled images sit ${nats(b.noisyLoss)} nats above the baseline’s floor (0) and `
      + `${nats(s.noisyLoss - floor)} above the smoothed model’s (${floor.toFixed(3)}); `
      + `correctly labeled ones ${nats(b.cleanLoss)} and ${nats(s.cleanLoss - floor)}.`);
    if (has(b.memorized) && has(s.memorized)) {
      parts.push(`Memorised (predicted as their wrong label): baseline ${pct(b.memorized)}, `
        + `smoothed ${pct(s.memorized)}; a guess would name the wrong label ${pct(1 / k)} of the time.`);
    }
  } else {
    parts.push('no mislabeled images with a known true label, so there is nothing to memorise: '
      + 'flip a share under Label noise, or mislabel some by dragging.');
  }
  if (has(b.testEce) && has(s.testEce)) {
    parts.push(`Held-out calibration error (ECE): baseline ${(b.testEce * 100).toFixed(1)}%, `
      + `smoothed ${(s.testEce * 100).toFixed(1)}%.`);
  }
  if (has(b.testAcc) && has(s.testAcc)) {
    parts.push(`Held-out accuracy: ${(b.testAcc * 100).toFixed(1)}% and ${(s.testAcc * 100).toFixed(1)}%.`);
  }
  const [first, ...rest] = parts;
  return [`Measured at epoch ${epochText(last.epoch)}: ${first}`, ...rest].join(' ');
}

export function mountMeasured(el) {
  function render() {
    const k = Math.max(2, state.dataset?.classes.length ?? 10);
    const text = measuredText(state.reports.at(-1), k);
    if (el.textContent !== text) el.textContent = text;
  }
  on('reports dataset', render);
  render();
}
