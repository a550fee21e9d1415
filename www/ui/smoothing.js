// The ε slider with what it means for the current number of classes K: the
// smoothed target q′ = onehot·(1 − ε) + ε/K (Szegedy et al. 2016) and its
// entropy H(q′), the floor under the smoothed training objective.
import { restartBoth, setEpsilon } from '../actions.js';
import { on, state } from '../state.js';

/** The smoothed target's two values: for the labeled class, for each other. */
export function smoothedTarget(epsilon, k) {
  return { labeled: 1 - epsilon + epsilon / k, other: epsilon / k };
}

/** H(q′) = −Σ q′ log q′ in nats: cross-entropy to q′ can never go below it. */
export function lossFloor(epsilon, k) {
  const { labeled, other } = smoothedTarget(epsilon, k);
  const term = (q) => (q > 0 ? -q * Math.log(q) : 0);
  return term(labeled) + (k - 1) * term(other);
}

const MAX_BARS = 12;

export function mountSmoothing(root) {
  const slider = root.querySelector('#epsilon');
  const value = root.querySelector('#epsilon-value');
  const target = root.querySelector('#smooth-target');
  const bars = root.querySelector('#smooth-bars');
  const floor = root.querySelector('#smooth-floor');
  const settle = root.querySelector('#smooth-settle');
  const settleNote = root.querySelector('#smooth-settle-note');
  const targetLabel = root.querySelector('#smooth-target-label');

  const read = () => Math.round(Number(slider.value) * 100) / 100;
  slider.addEventListener('input', () => setEpsilon(read(), { final: false }));
  slider.addEventListener('change', () => setEpsilon(read(), { final: true }));
  root.querySelector('#restart-both').addEventListener('click', restartBoth);

  function render() {
    const eps = state.settings.epsilon;
    const k = Math.max(2, state.dataset?.classes.length ?? 10);
    if (document.activeElement !== slider) slider.value = String(eps);
    value.textContent = eps.toFixed(2);
    slider.setAttribute('aria-valuetext', `ε = ${eps.toFixed(2)}`);
    const q = smoothedTarget(eps, k);
    targetLabel.textContent = `Smoothed target q′ (K = ${k})`;
    target.textContent = `${q.labeled.toFixed(3)} for the labeled class, ${q.other.toFixed(3)} for each of the other ${k - 1}`;
    floor.textContent = `${lossFloor(eps, k).toFixed(3)} nats`;
    settle.textContent = (-Math.log(q.labeled)).toFixed(3);
    settleNote.textContent = eps > 0
      ? `−log ${q.labeled.toFixed(3)}: where a smoothed model that fits its target settles`
      : 'at ε = 0 the target is one-hot: the loss can reach 0';
    renderBars(q, k);
  }

  function renderBars(q, k) {
    const shown = Math.min(k, MAX_BARS);
    bars.replaceChildren();
    for (let i = 0; i < shown; i += 1) {
      const bar = document.createElement('span');
      bar.className = i === 0 ? 'bar bar-labeled' : 'bar';
      bar.style.height = `${Math.max(2, (i === 0 ? q.labeled : q.other) * 100)}%`;
      bars.append(bar);
    }
    bars.setAttribute('aria-label', `Smoothed target over ${k} classes`);
  }

  on('settings dataset', render);
  render();
}
