// What the UI can ask for. Each action updates the state where needed and
// sends the matching command to the worker; ui/*.js call these, never the
// worker directly.
import { send, sendControl } from './client.js';
import { TO_WORKER as IN } from './protocol.js';
import { toCoreSettings } from './settings.js';
import { addMark, addMessage, setBanner, setSettings, setStatus, state } from './state.js';

/** The settings object the core's configure() takes. */
export const trainingSettings = (s = state.settings) => toCoreSettings(s);

// One press of Train runs at most this many epochs, so a forgotten tab does
// not train (and grow its history) forever.
const EPOCH_BUDGET = 3000;

export function play() {
  setBanner(null);
  sendControl(IN.play, { budget: EPOCH_BUDGET });
  setStatus({ ...state, playing: true });
}

export function pause() {
  sendControl(IN.pause);
  setStatus({ ...state, playing: false });
}

export function togglePlay() {
  if (state.playing) pause();
  else play();
}

/** The built-in digits with the noise from the settings. */
export function loadSample({ autoplay = false } = {}) {
  const s = state.settings;
  send(IN.loadSample, {
    seed: s.seed,
    side: s.side,
    noise: { mode: s.noiseMode, rate: s.noiseRate / 100, seed: s.seed },
    settings: trainingSettings(),
    epsilon: s.epsilon,
  });
  if (autoplay) play();
}

/**
 * A CIFAR-10N sample (ui/samples.js's choice): its photos with `labels` as
 * given (or, with flipLike, the true labels with as many random flips as
 * that source got wrong). It opens in features mode, where these photos
 * separate, and trains once its photos are in.
 */
export function loadHumanSample({ set, title, labels, flipLike = null }) {
  const s = state.settings;
  pause();
  if (s.input !== 'features') setInput('features');
  send(IN.loadHumanSample, {
    set, title, labels, flipLike, base: new URL('./', location.href).href, side: s.side, settings: trainingSettings(),
  });
}

/**
 * At start: reads the saved project back; the page's settings go with it
 * only when the address carried them (a shared link), else the saved ones.
 */
export function openSaved({ addressHasSettings }) {
  send(IN.setInput, { input: state.settings.input });
  send(IN.restore, { settings: addressHasSettings ? trainingSettings() : null });
}

/** Every image's loss and prediction as a CSV download (written by the core). */
export function exportLosses() {
  send(IN.exportLosses);
}

/** The project as a .zip download (the worker answers with its bytes). */
export function exportProject() {
  send(IN.exportProject);
}

// A zip this large would not fit the worker's memory next to its images.
const ZIP_TOO_LARGE = 1024 * 1024 * 1024;

/** Replaces the project by a project .zip or an ImageFolder .zip. */
export async function importProject(file) {
  if (file.size > ZIP_TOO_LARGE) {
    addMessage('error', `${file.name}: larger than 1 GB, not read.`);
    return;
  }
  pause();
  addMessage('info', `Reading ${file.name}…`);
  const bytes = await file.arrayBuffer();
  send(IN.importProject, { name: file.name, bytes }, [bytes]);
}

export function newProject() {
  const s = state.settings;
  pause();
  send(IN.newProject, { side: s.side, seed: s.seed, settings: trainingSettings(), epsilon: s.epsilon });
}

/** Moves images to a class; mode "fix" makes it the truth, "mislabel" keeps the truth. */
export function moveImages(ids, classIndex, mode = state.moveMode) {
  if (!state.dataset || classIndex < 0 || classIndex >= state.dataset.classes.length) return;
  const list = [...ids];
  if (!list.length) return;
  send(IN.move, { ids: list, classIndex, mode });
}

export function removeImages(ids) {
  send(IN.removeImages, { ids: [...ids] });
}

export function addClass(name) {
  send(IN.addClass, { name });
}

export function renameClass(index, name) {
  send(IN.renameClass, { index, name });
}

export function removeClass(index) {
  send(IN.removeClass, { index });
}

export function injectNoise() {
  const s = state.settings;
  send(IN.injectNoise, { mode: s.noiseMode, rate: s.noiseRate / 100, seed: s.seed });
  addMark('labels', `${s.noiseRate}% ${s.noiseMode} noise`);
}

export function clearNoise() {
  send(IN.clearNoise);
  addMark('labels', 'noise cleared');
}

/**
 * Changes ε for the smoothed model, live. While a slider is dragged (final
 * false) only the model hears it; on release the hash and the plot's ε
 * marker follow.
 */
export function setEpsilon(epsilon, { final = true } = {}) {
  const changed = epsilon !== state.settings.epsilon;
  setSettings({ epsilon }, { hash: final });
  if (changed) send(IN.setEpsilon, { epsilon });
  if (final) addMark('epsilon', `ε → ${epsilon.toFixed(2)}`);
}

/** Applies the training settings: both models restart from the seed. */
export function applyTraining(patch) {
  setSettings(patch);
  send(IN.configure, { settings: trainingSettings() });
}

/** Reproduces the run from its seed (same weights, same batches). */
export function reset() {
  setBanner(null);
  send(IN.configure, { settings: trainingSettings() });
}

/** Both models start again from new shared weights. */
export function restartBoth() {
  setBanner(null);
  send(IN.restart);
}

/** What the models see of a person's photos: 'features' or 'pixels'. */
export function setInput(input) {
  setSettings({ input });
  send(IN.setInput, { input });
}

/** How many cores the lab may use ('auto' or a count); nothing restarts. */
export function setCores(cores) {
  setSettings({ cores });
  send(IN.setCores, { cores });
}

export function setImageSize(side) {
  setSettings({ side });
  send(IN.setImageSize, { side });
}

/** Sends decoded-to-be files to the worker in batches (their bytes move over). */
export async function addFiles(records) {
  const TOO_LARGE = 40 * 1024 * 1024;
  const READ_AT_ONCE = 16; // files read in parallel: one by one is slow for thousands
  let batch = [];
  let bytesInBatch = 0;
  const flush = (end) => {
    if (!batch.length && !end) return;
    send(IN.addFiles, { files: batch, end }, batch.map((f) => f.bytes));
    batch = [];
    bytesInBatch = 0;
  };
  const readable = records.filter(({ file }) => {
    if (file.size <= TOO_LARGE) return true;
    addMessage('error', `${file.name}: larger than 40 MB, not read.`);
    return false;
  });
  for (let i = 0; i < readable.length; i += READ_AT_ONCE) {
    const group = readable.slice(i, i + READ_AT_ONCE);
    const read = await Promise.all(group.map(async ({ file, className }) => {
      try {
        return { name: file.name, bytes: await file.arrayBuffer(), className };
      } catch (e) {
        addMessage('error', `${file.name}: could not be read (${e.message}).`);
        return null;
      }
    }));
    for (const f of read.filter(Boolean)) {
      batch.push(f);
      bytesInBatch += f.bytes.byteLength;
      if (batch.length >= 64 || bytesInBatch > 8e6) flush(false);
    }
  }
  flush(true);
}

/** Looks for mislabeled images by k-fold cross-validation in the worker. */
export function findIssues(folds, epochs) {
  send(IN.findIssues, { folds, epochs });
}

/** "Compare ε": {epsilons, seeds, epochs}, trained in the background. */
export function startSweep({ epsilons, seeds, epochs }) {
  send(IN.sweep, { epsilons, seeds, epochs });
}

export function cancelSweep() {
  send(IN.cancelSweep);
}

export function cancelFind() {
  send(IN.cancelFind);
}

/** Accepts a flagged image's suggested class as its true label. */
export function acceptSuggestion(issue) {
  moveImages([issue.id], issue.suggested, 'fix');
}
