// Running the pair of models: play/pause, reset (the same run again from its
// seed), the status line, and the training settings. Changing a training
// setting restarts both models; a bad value is refused with a message.
import { applyTraining, reset, setCores, setImageSize, setInput, togglePlay } from '../actions.js';
import { ruleOf } from '../settings.js';
import { addMessage, on, parseSetting, state } from '../state.js';

const FIELDS = [
  { id: 'set-lr', name: 'learningRate' },
  { id: 'set-hidden', name: 'hidden' },
  { id: 'set-head', name: 'featuresHidden' },
  { id: 'set-batch', name: 'batchSize' },
  { id: 'set-optimizer', name: 'optimizer' },
  { id: 'set-input', name: 'input' },
  { id: 'set-seed', name: 'seed' },
  { id: 'set-points', name: 'pointsPerEpoch' },
  { id: 'set-size', name: 'side' },
  { id: 'set-cores', name: 'cores' },
];

export function mountControls(header, panel) {
  const playButton = header.querySelector('#play');
  const epoch = header.querySelector('#epoch');
  const speed = header.querySelector('#speed');
  playButton.addEventListener('click', togglePlay);
  header.querySelector('#reset').addEventListener('click', reset);

  for (const field of FIELDS) {
    const input = panel.querySelector(`#${field.id}`);
    input.addEventListener('change', () => {
      const value = parseSetting(field.name, input.value);
      input.setAttribute('aria-invalid', String(value === undefined));
      if (value === undefined) {
        addMessage('error', `${input.labels[0]?.textContent.trim() ?? field.name}: ${ruleOf(field.name)}.`);
        return;
      }
      if (value === state.settings[field.name]) return;
      if (field.name === 'side') setImageSize(value);
      else if (field.name === 'input') setInput(value);
      else if (field.name === 'cores') setCores(value);
      else applyTraining({ [field.name]: value });
    });
  }

  const put = (el, text) => { if (el.textContent !== text) el.textContent = text; };
  function renderStatus() {
    const playing = state.playing;
    playButton.setAttribute('aria-pressed', String(playing));
    put(playButton.querySelector('.label'), playing ? 'Pause' : 'Train');
    playButton.disabled = !state.ready;
    put(epoch, `epoch ${state.epoch.toLocaleString('en-US')}`);
    const sps = Math.round(state.stepsPerSecond / 10) * 10;
    if (!state.ready) put(speed, 'loading…');
    else if (!playing) put(speed, 'paused');
    else if (!sps) put(speed, 'training…');
    else put(speed, `${sps.toLocaleString('en-US')} steps/s${state.trainingLanes > 1 ? ` on ${state.trainingLanes} cores` : ''}`);
    const mib = (bytes) => Math.round(bytes / 2 ** 20);
    const pool = state.poolHeapBytes.filter((b) => b > 0);
    const heap = state.heapBytes ? `training memory (wasm): ${mib(state.heapBytes)} MiB`
      + (pool.length ? `; pool workers: ${pool.map(mib).join(', ')} MiB` : '') : '';
    if (speed.title !== heap) speed.title = heap;
  }

  function renderSettings() {
    for (const field of FIELDS) {
      const input = panel.querySelector(`#${field.id}`);
      if (document.activeElement !== input) {
        input.value = String(state.settings[field.name]);
        input.setAttribute('aria-invalid', 'false');
      }
    }
    panel.querySelector('#size-note').hidden = !state.isSample;
    renderEmbedding();
  }

  // Images being read by the backbone: training waits for them.
  const embedStatus = panel.querySelector('#embed-status');
  function renderEmbedding() {
    const e = state.embedding;
    const busy = Boolean(e && e.total && e.done < e.total) && !state.isSample;
    embedStatus.hidden = !busy;
    if (!busy) return;
    panel.querySelector('#embed-bar').value = e.done / e.total;
    const lanes = e.lanes > 1 ? ` (on ${e.lanes} cores)` : '';
    put(panel.querySelector('#embed-text'), `Reading what ${e.done.toLocaleString('en-US')} of ${e.total.toLocaleString('en-US')} images show…${lanes}`);
  }

  on('embedding', renderEmbedding);
  on('status', renderStatus);
  on('settings dataset', renderSettings);
  renderStatus();
  renderSettings();
}
