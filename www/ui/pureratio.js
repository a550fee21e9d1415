// Co-teaching's "pure ratio" (Han et al. 2018), as a plain readout under the
// accuracy plot: among as many lowest-loss training images as there are
// correctly labeled ones, the share that is correctly labeled. Near 1, the
// small-loss trick would pick clean images; it falls as noise is memorized.
import { on, state } from '../state.js';
import { epochText } from './epochs.js';

export function mountPureRatio(el) {
  function render() {
    const last = state.reports[state.reports.length - 1];
    if (!last) {
      el.textContent = '';
      return;
    }
    const b = last.baseline.pureRatio;
    const s = last.smoothed.pureRatio;
    const label = document.createElement('strong');
    label.textContent = 'Pure ratio';
    const text = b === null || s === null || b === undefined || s === undefined
      ? ': needs mislabeled images with known true labels.'
      : ` at epoch ${epochText(last.epoch)}: baseline ${b.toFixed(3)} · smoothed ${s.toFixed(3)} — of the lowest-loss training images (as many as are correctly labeled), the share that is correctly labeled (Co-teaching's small-loss trick).`;
    const rest = document.createElement('span');
    rest.textContent = text;
    rest.dataset.baseline = b ?? '';
    rest.dataset.smoothed = s ?? '';
    el.replaceChildren(label, rest);
  }
  on('reports', render);
  render();
}
