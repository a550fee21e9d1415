// The one UI state module. Everything the page shows is read from `state`;
// everything that changes it goes through the functions here, which notify
// the subscribers of a topic. The settings are mirrored in the URL hash, so a
// copied link reproduces a run (with the same seed, the same curves).

import { fromCoreSettings, parseHash, toHash, useLimits } from './settings.js';

export { DEFAULT_SETTINGS, parseSetting } from './settings.js';

/** Tiles the image grid adds at a time (scrolling down adds the next ones). */
export const GRID_PAGE = 64;

export const state = {
  settings: parseHash(location.hash),
  ready: false,
  playing: false,
  epoch: 0,
  stepsPerEpoch: 0,
  stepsPerSecond: 0,
  heapBytes: 0, // the training worker's wasm memory
  poolHeapBytes: [], // each pool worker's wasm memory
  trainingLanes: 1, // cores the last slice of training ran on (2: the pair on the pool)
  pooledSlices: 0, // slices trained on two cores since the worker started
  embedding: null, // {done, total, pooled, lanes}: images read by the backbone (see protocol.js)
  isSample: false,
  origin: null, // the CIFAR-10N sample the project came from (see protocol.js), or null
  samples: null, // samples/index.json: {sets: [{name, photos}], licence}; sets empty when not shipped
  sampleLoading: null, // {title, done, total, finished}: a sample's photos being fetched
  dataset: null, // datasetJson() parsed: {side, channels, classes, counts, mislabeled, images}
  generation: 0,
  version: 0,
  thumbs: new Map(), // image id → ImageData
  reports: [], // [{epoch, baseline: R, smoothed: R}] since the last restart
  marks: [], // [{epoch, kind, label}] what was changed during this run, and when
  plotScale: 'raw', // the loss panel: 'raw' −log p(given) | 'floor': above each model's floor
  calibration: null, // {baseline: [bin], smoothed: [bin]}: held-out reliability tables, last point
  losses: null, // {version, epoch, baseline, smoothed, predBaseline, predSmoothed}
  // Each model's data map as of the last epoch end (see protocol.js):
  // {generation, epoch, baseline: {values, ids}, smoothed: {values, ids}}
  dataMap: null,
  dataMapModel: 'baseline', // which model's map the page shows
  selection: new Set(), // selected image ids
  moveMode: 'fix', // 'fix' | 'mislabel'
  targetClass: 0, // the class loose dropped files go to
  view: { sort: 'order', model: 'smoothed', filter: 'all', limit: GRID_PAGE },
  messages: [], // [{id, kind: 'error'|'info', text}]
  storage: { state: 'idle', message: '' }, // autosave: idle | saved | failed
  banner: null, // a worker fault: {text}
  sweep: {
    // {running, finished, reason, done, total, seedsDone, seeds, models, epochs}
    progress: null,
    result: null, // the last sweep's summary (see protocol.js: sweepResult)
  },
  finder: {
    progress: null, // {running, fold, folds, epoch, epochs, fraction}
    findings: null, // {generation, folds, epochsPerFold, byFilter} (see protocol.js)
    filter: 'prune_by_noise_rate',
    ranking: 'outOfSample', // which list the review grid shows: outOfSample | inSample
    cell: null, // {given, suggested}: the confusion-matrix cell the grid is narrowed to
    kept: new Set(), // ids marked "label is right": gone from the list (page only)
  },
};

const listeners = new Map();

/** Calls fn() whenever one of the topics changes. */
export function on(topics, fn) {
  for (const t of topics.split(' ')) {
    if (!listeners.has(t)) listeners.set(t, []);
    listeners.get(t).push(fn);
  }
}

export function emit(topic) {
  for (const fn of listeners.get(topic) ?? []) fn(state);
}

/**
 * Merges a patch into the settings and notifies; writes the URL hash unless
 * told not to (a slider being dragged writes it once, on release).
 */
export function setSettings(patch, { hash = true } = {}) {
  Object.assign(state.settings, patch);
  if (hash) writeHash();
  emit('settings');
}

export function writeHash() {
  history.replaceState(null, '', toHash(state.settings));
}

export function setStatus({
  playing, epoch, stepsPerEpoch, stepsPerSecond, heapBytes = state.heapBytes, poolHeapBytes = state.poolHeapBytes,
  trainingLanes = state.trainingLanes, pooledSlices = state.pooledSlices,
}) {
  Object.assign(state, {
    playing, epoch, stepsPerEpoch, stepsPerSecond, heapBytes, poolHeapBytes, trainingLanes, pooledSlices,
  });
  emit('status');
}

export function setDataset({ dataset, generation, version, stepsPerEpoch, isSample, origin = null }) {
  if (generation !== state.generation) { // a new session: its ids are new
    state.thumbs = new Map();
    state.losses = null;
    state.calibration = null;
    state.dataMap = null;
    state.selection = new Set();
    state.finder.findings = null; // its ids belong to the old session
    state.sweep.result = null; // measured on another project
    state.finder.kept = new Set();
    state.finder.cell = null;
  }
  const live = new Set(dataset.images.map((img) => img.id));
  for (const id of state.selection) if (!live.has(id)) state.selection.delete(id);
  state.targetClass = Math.min(state.targetClass, Math.max(0, dataset.classes.length - 1));
  // Class indices shift when a class goes: a class filter would point elsewhere.
  const classesChanged = state.dataset?.classes.length !== dataset.classes.length;
  if (classesChanged && state.view.filter.startsWith('class:')) state.view.filter = 'all';
  Object.assign(state, { dataset, generation, version, stepsPerEpoch, isSample, origin });
  emit('dataset');
}

export function addThumbnails(generation, items) {
  if (generation !== state.generation) return;
  for (const { id, rgba } of items) {
    const side = Math.round(Math.sqrt(rgba.length / 4));
    const pixels = new Uint8ClampedArray(rgba.buffer, rgba.byteOffset, rgba.byteLength);
    state.thumbs.set(id, new ImageData(pixels, side, side));
  }
  emit('thumbs');
}

export function addReports(reports, reset) {
  if (reset) {
    state.reports = [];
    state.marks = [];
    state.calibration = null; // measured on the models that were restarted
    state.dataMap = null;
    emit('dataMap');
  }
  state.reports.push(...reports);
  emit('reports');
}

/**
 * Notes a change made during the run (kind: "epsilon" or "labels") at the
 * last reported epoch, for the plot's markers; one mark per kind and epoch.
 */
export function addMark(kind, label) {
  const epoch = state.reports.length ? state.reports[state.reports.length - 1].epoch : 0;
  if (epoch === 0) return;
  state.marks = state.marks.filter((m) => m.epoch !== epoch || m.kind !== kind);
  state.marks.push({ epoch, kind, label });
  emit('reports');
}

export function setLosses(losses) {
  if (losses.version !== state.version) return; // computed for another image order
  state.losses = losses;
  if (losses.calibration) {
    state.calibration = { ...losses.calibration, epoch: losses.epoch };
    emit('calibration');
  }
  emit('losses');
}

/** The worker's data maps; those of an older session are dropped. */
export function setDataMap(map) {
  if (map.generation !== state.generation) return;
  state.dataMap = map;
  emit('dataMap');
}

export function setDataMapModel(model) {
  state.dataMapModel = model;
  emit('dataMap');
}

export function setPlotScale(scale) {
  state.plotScale = scale;
  emit('plotScale');
}

export function setSelection(ids) {
  state.selection = new Set(ids);
  emit('selection');
}

export function setMoveMode(mode) {
  state.moveMode = mode;
  emit('mode');
}

export function setTargetClass(index) {
  state.targetClass = index;
  emit('dataset');
}

export function setView(patch) {
  Object.assign(state.view, patch);
  emit('view');
}

let messageId = 0;
/** A per-file or per-action message in the message list (kind: error | info). */
export function addMessage(kind, text) {
  state.messages = [...state.messages.slice(-49), { id: ++messageId, kind, text }];
  emit('messages');
  return messageId;
}

export function dismissMessage(id) {
  state.messages = state.messages.filter((m) => m.id !== id);
  emit('messages');
}

export function setBanner(text) {
  state.banner = text ? { text } : null;
  emit('banner');
}

/** How far the backbone has read the images (the worker's `embedding`). */
export function setEmbedding({ done, total, pooled = 0, lanes = 1 }) {
  state.embedding = { done, total, pooled, lanes };
  emit('embedding');
}

/** Which photo samples this copy of the lab holds (samples/index.json). */
export function setSamples(samples) {
  state.samples = samples;
  emit('samples');
}

/** How far a sample's photos have been fetched (the worker's `sampleLoading`). */
export function setSampleLoading(loading) {
  state.sampleLoading = loading.finished ? null : loading;
  emit('samples');
}

/** How the last autosave went (see the worker's `storage` message). */
export function setStorage({ ok, message }) {
  state.storage = ok ? { state: 'saved', message: '' } : { state: 'failed', message };
  emit('storage');
}

/**
 * Adopts the training settings of a project read back or imported (the
 * core's Settings) and its image size.
 */
export function adoptProjectSettings(settings, side) {
  setSettings(fromCoreSettings(settings, side));
}

/**
 * Takes the core's limits when the worker is ready, and checks the settings
 * read from the address against them (before, only their type was checked).
 */
export function adoptLimits(limits) {
  useLimits(limits);
  state.settings = parseHash(toHash(state.settings));
  writeHash();
  emit('settings');
}

export function setReady() {
  state.ready = true;
  emit('status');
}

export function setFindProgress(progress) {
  state.finder.progress = progress;
  emit('findProgress');
}

export function setSweepProgress(progress) {
  state.sweep.progress = progress;
  emit('sweep');
}

export function setSweepResult(result) {
  if (result.generation !== state.generation) return;
  state.sweep.result = result;
  emit('sweep');
}

export function setFindings(findings) {
  if (findings.generation !== state.generation) return;
  // The in-sample ranking is the baseline's at about this epoch.
  Object.assign(state.finder, { findings: { ...findings, epoch: state.epoch }, kept: new Set(), cell: null });
  emit('finder');
}

/** patch: {filter, ranking, cell}; what the review panel shows. */
export function setFinderView(patch) {
  Object.assign(state.finder, patch);
  emit('finder');
}

/** "Label is right": the image leaves the flagged list (its label stays). */
export function keepLabel(id) {
  state.finder.kept.add(id);
  emit('finder');
}
