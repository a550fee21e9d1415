// Label noise made on purpose: flip ρ% of the training labels at random
// (held-out images are never touched), or put every label back.
import { clearNoise, injectNoise } from '../actions.js';
import { addMessage, on, parseSetting, setSettings, state } from '../state.js';

export const NOISE_HELP = {
  flip: 'each chosen image gets a different class, picked at random',
  uniform: 'each chosen image gets a random class, which may be its own',
  pair: 'each chosen image moves to the next class (0→1, 1→2, …), a systematic confusion',
};

export function mountNoise(root) {
  const rate = root.querySelector('#noise-rate');
  const mode = root.querySelector('#noise-mode');
  const help = root.querySelector('#noise-help');
  const status = root.querySelector('#noise-status');

  rate.addEventListener('change', () => {
    const v = parseSetting('noiseRate', rate.value);
    rate.setAttribute('aria-invalid', String(v === undefined));
    if (v === undefined) addMessage('error', 'Noise rate: a percentage from 0 to 100.');
    else setSettings({ noiseRate: v });
  });
  mode.addEventListener('change', () => setSettings({ noiseMode: mode.value }));
  root.querySelector('#noise-apply').addEventListener('click', () => {
    if (rate.getAttribute('aria-invalid') !== 'true') injectNoise();
  });
  root.querySelector('#noise-clear').addEventListener('click', clearNoise);

  function render() {
    const s = state.settings;
    if (document.activeElement !== rate) rate.value = String(s.noiseRate);
    mode.value = s.noiseMode;
    help.textContent = NOISE_HELP[s.noiseMode];
    const ds = state.dataset;
    if (!ds) return;
    const training = ds.images.filter((img) => !img.holdout).length;
    const share = training ? (100 * ds.mislabeled) / training : 0;
    status.textContent = `${ds.mislabeled} of ${training} training images mislabeled (${share.toFixed(1)}%)`;
  }
  on('settings dataset', render);
  render();
}
