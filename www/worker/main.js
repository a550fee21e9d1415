// The training worker: the only code that calls the wasm module. It owns the
// Session, keeps every dropped file's bytes (to rebuild at another image size),
// and trains in short slices so that messages get in between them. The
// message protocol is documented in protocol.js.
import init, { Session } from '../pkg/smoothlab.js';
import { createDecodeAhead } from './decode-ahead.js';
import { createFinder } from './finder.js';
import { createProjects } from './projects.js';
import { FROM_WORKER as OUT, TO_WORKER as IN } from '../protocol.js';

const SLICE_MS = 12; // one training slice; well under the 20 ms budget
const INGEST_SLICE_MS = 25; // decoding a few files between training slices
const LOSSES_EVERY_MS = 500; // per-image losses are bigger: twice a second
const STATUS_EVERY_MS = 250;
const DATASET_EVERY_MS = 300; // while files stream in

let session = null;
let isSample = false;
let generation = 0; // bumps when the session is rebuilt (image ids change)
let version = 0; // bumps on every dataset change
let side = 32;
let settings = null; // the last configure() settings, kept for rebuilds
let epsilon = 0;
let files = new Map(); // image id → {name, bytes}; user files only
// The class names, cached while files stream in (datasetJson() per file
// would make a big drop quadratic); dropped whenever the classes may change.
let classNames = null;

let playing = false;
let controlSeq = 0; // the last play/pause heard, echoed in status messages
let playBudget = 0; // epochs one play may run (0: no limit)
let stopAtEpoch = Infinity; // pause here, so that the history stays bounded
let stepsPerSlice = 1;
let reportedEpoch = 0; // the last epoch sent to the page
let resetPending = true;
let lossesEpoch = -1;
let lastLossesAt = 0;
let lastStatusAt = 0;
let lastDatasetAt = 0;
let stepsDone = 0;
let stepsWindowStart = performance.now();
let stepsPerSecond = 0;
// Files waiting to be decoded: dropped ones {name, bytes, className}, and
// ones read back from storage or a zip {restore: true, id, name, bytes |
// reader + index, given, truth, generated}; {end: kind} closes one batch.
const ingestQueue = [];
let ingestStats = { added: 0, failed: 0 };

const post = (type, payload = {}, transfer = []) =>
  self.postMessage({ type, ...payload }, transfer);

// The search for mislabeled images pauses training while it runs (both would
// share one core) and lets it go on afterwards, unless Pause or Train was
// pressed meanwhile. Train during the search interleaves the two.
let resumeAfterFind = false;
const finder = createFinder({
  post,
  onEnd: () => {
    if (!resumeAfterFind || !session) return;
    resumeAfterFind = false;
    playing = true;
    postStatus();
    scheduleTick();
  },
});

function findIssues({ folds, epochs }) {
  finder.start(session, generation, { folds, epochs });
  resumeAfterFind = playing || resumeAfterFind;
  playing = false;
}
const messageOf = (e) => (e instanceof Error ? e.message : String(e));

// ---- session lifecycle ----------------------------------------------------

function replaceSession(next, sample) {
  dropQueue();
  resumeAfterFind = false;
  finder.cancel(); // its session is about to go
  if (session) session.free();
  session = next;
  classNames = null;
  isSample = sample;
  generation += 1;
  resetPending = true;
  reportedEpoch = 0;
  lossesEpoch = -1;
}

function configure(next) {
  settings = next;
  session.configure(JSON.stringify(next));
  resetPending = true;
}

// Forgets files still waiting for the session that is about to go.
function dropQueue() {
  const readers = new Set(ingestQueue.map((item) => item.reader).filter(Boolean));
  for (const reader of readers) reader.free();
  const restoring = ingestQueue.some((item) => item.end === 'restore');
  ingestQueue.length = 0;
  if (restoring) autosave.resume();
}

function loadSample({ seed, side: s, noise, settings: st, epsilon: eps }) {
  side = s ?? side; // for the user project that may follow
  const next = Session.sample(seed);
  replaceSession(next, true);
  files = new Map();
  configure(st);
  setEpsilon(eps);
  if (noise && noise.rate > 0) session.injectNoise(noise.mode, noise.rate, noise.seed);
  postDataset();
  postAllThumbnails();
}

function newProject({ side: s, seed, settings: st, epsilon: eps }) {
  side = s;
  replaceSession(new Session(side, seed), false);
  files = new Map();
  configure(st);
  setEpsilon(eps);
  postDataset();
}

function ensureUserProject() {
  if (session && !isSample) return;
  playing = false; // an empty project has nothing to train yet
  newProject({ side, seed: settings?.seed ?? 1, settings, epsilon });
  post(OUT.notice, { message: 'Started a new project for your images. "Sample digits" brings the digits back.' });
}

// Re-adds every kept file at a new size, restoring given and true labels.
function setImageSize({ side: s }) {
  side = s;
  if (isSample) {
    post(OUT.notice, { message: 'The digits are always 8×8; the image size applies to your own images.' });
    return;
  }
  const old = JSON.parse(session.datasetJson());
  const next = new Session(side, settings.seed);
  const kept = new Map();
  try {
    next.configure(JSON.stringify(settings));
    next.setSmoothing(epsilon);
    old.classes.forEach((name) => next.addClass(name));
    for (const img of old.images) {
      const file = files.get(img.id);
      if (!file) continue;
      const truth = img.truth ?? img.given;
      const id = next.addImage(file.name, file.bytes, truth);
      if (img.given !== truth) next.mislabel(id, img.given);
      kept.set(id, file);
    }
  } catch (e) {
    next.free(); // keep the project as it was
    throw e;
  }
  replaceSession(next, false);
  files = kept;
  postDataset();
  postAllThumbnails();
}

function setEpsilon(eps) {
  epsilon = eps;
  if (settings) settings = { ...settings, smoothing: eps };
  session.setSmoothing(eps);
  autosave.schedule();
}

// ---- images ---------------------------------------------------------------

function classIndexFor(name) {
  classNames ??= JSON.parse(session.datasetJson()).classes;
  const found = classNames.indexOf(name);
  if (found >= 0) return found;
  const index = session.addClass(name);
  classNames = null;
  return index;
}

const decodeAhead = createDecodeAhead({
  queue: ingestQueue,
  probe: (name, bytes) => session.probeImage(name, bytes),
  side: () => side,
  wake: () => scheduleTick(),
});

// Adds one queued file to the session; returns its id.
function ingestOne(item) {
  if (!item.restore) {
    const bytes = new Uint8Array(item.bytes);
    const klass = classIndexFor(item.className);
    const id = item.rgba ? session.addRgba(item.name, item.rgba, klass) : session.addImage(item.name, bytes, klass);
    files.set(id, { name: item.name, bytes });
    return id;
  }
  const bytes = item.bytes ?? item.reader.takeBytes(item.index);
  const id = session.restoreImage(item.id ?? undefined, item.name, bytes, item.given,
    item.truth ?? undefined);
  if (!item.generated) files.set(id, { name: item.name, bytes });
  return id;
}

function endBatch(item) {
  postDataset(); // before the "added" message, so the page shows them all
  post(OUT.ingestDone, { ...ingestStats, kind: item.end, name: item.name });
  postStatus(); // the heap may have grown
  ingestStats = { added: 0, failed: 0 };
  item.reader?.free();
  if (item.end === 'restore') autosave.resume(generation, item.savedIds);
  else autosave.schedule();
}

// Decodes queued files for a short while, posting thumbnails as they come.
function pumpIngest() {
  decodeAhead.pump();
  if (!decodeAhead.headReady()) return;
  const start = performance.now();
  const items = [];
  while (decodeAhead.headReady() && performance.now() - start < INGEST_SLICE_MS) {
    const item = ingestQueue.shift();
    if (item.end) {
      endBatch(item);
      continue;
    }
    try {
      const id = ingestOne(item);
      items.push({ id, rgba: session.thumbnailRgba(id) });
      ingestStats.added += 1;
    } catch (e) {
      ingestStats.failed += 1;
      post(OUT.imageError, { fileName: item.name, message: messageOf(e) });
    }
  }
  // The whole dataset goes to the page a few times a second, not after every
  // slice: for thousands of images it is the bigger message.
  if (performance.now() - lastDatasetAt > DATASET_EVERY_MS) postDataset();
  if (items.length) postThumbnails(items);
}

function addFiles({ files: list, end }) {
  ensureUserProject();
  ingestQueue.push(...list);
  if (end) ingestQueue.push({ end: 'drop' });
}

function move({ ids, classIndex, mode }) {
  for (const id of ids) {
    if (mode === 'mislabel') session.mislabel(id, classIndex);
    else session.setLabel(id, classIndex);
  }
}

function removeImages({ ids }) {
  for (const id of ids) {
    session.removeImage(id);
    files.delete(id);
  }
}

function removeClass({ index }) {
  const gone = session.removeClass(index);
  const live = new Set(JSON.parse(session.datasetJson()).images.map((img) => img.id));
  for (const id of files.keys()) if (!live.has(id)) files.delete(id);
  if (gone) post(OUT.notice, { message: `Removed the class and its ${gone} image${gone === 1 ? '' : 's'}.` });
}

// ---- saved projects, export and import (projects.js) ----------------------

const projects = createProjects({
  current: () => ({ session, files, isSample, generation, settings, epsilon }),
  adopt: (next, { isSample: sample, settings: st, side: s }) => {
    replaceSession(next, sample);
    files = new Map();
    settings = st;
    epsilon = st.smoothing;
    if (s !== undefined) side = s;
  },
  queue: ingestQueue,
  post,
  postDataset: () => postDataset(),
});
const { autosave } = projects;

// ---- posting --------------------------------------------------------------

function postDataset() {
  lastDatasetAt = performance.now();
  version += 1;
  let stepsPerEpoch = 0;
  try { stepsPerEpoch = session.stepsPerEpoch(); } catch { /* nothing to train yet */ }
  post(OUT.dataset, {
    dataset: JSON.parse(session.datasetJson()),
    generation, version, stepsPerEpoch, isSample,
  });
  lossesEpoch = -1; // the page needs losses in the new image order
  autosave.schedule();
}

function postThumbnails(items) {
  post(OUT.thumbnails, { generation, items }, items.map((it) => it.rgba.buffer));
}

function postAllThumbnails() {
  const ids = JSON.parse(session.datasetJson()).images.map((img) => img.id);
  postThumbnails(ids.map((id) => ({ id, rgba: session.thumbnailRgba(id) })));
}

function postReports() {
  const epoch = session.epoch();
  if (epoch < reportedEpoch) resetPending = true;
  if (resetPending) {
    reportedEpoch = 0;
    stopAtEpoch = playBudget || Infinity; // a restarted run gets a whole budget
  }
  const reports = epoch > reportedEpoch ? JSON.parse(session.reportsJson(reportedEpoch + 1)) : [];
  if (reports.length || resetPending) post(OUT.reports, { reports, reset: resetPending });
  resetPending = false;
  reportedEpoch = epoch;
}

function postLosses(force) {
  const epoch = session.epoch();
  const now = performance.now();
  if (!force && (epoch === lossesEpoch || now - lastLossesAt < LOSSES_EVERY_MS)) return;
  lossesEpoch = epoch;
  lastLossesAt = now;
  const baseline = session.lossesGiven('baseline');
  const smoothed = session.lossesGiven('smoothed');
  const predBaseline = session.predictions('baseline');
  const predSmoothed = session.predictions('smoothed');
  post(OUT.losses, { version, epoch, baseline, smoothed, predBaseline, predSmoothed },
    [baseline.buffer, smoothed.buffer, predBaseline.buffer, predSmoothed.buffer]);
}

function postStatus() {
  lastStatusAt = performance.now();
  let stepsPerEpoch = 0;
  try { stepsPerEpoch = session ? session.stepsPerEpoch() : 0; } catch { /* empty project */ }
  post(OUT.status, { playing, seq: controlSeq, epoch: session ? session.epoch() : 0, stepsPerEpoch, stepsPerSecond,
    heapBytes: wasmMemory?.buffer.byteLength ?? 0 });
}

// ---- the training loop ----------------------------------------------------

function trainSlice() {
  const start = performance.now();
  try {
    session.step(stepsPerSlice);
  } catch (e) {
    playing = false;
    post(OUT.error, { message: messageOf(e), paused: true });
    postReports();
    postStatus();
    return;
  }
  const now = performance.now();
  const took = Math.max(now - start, 0.05);
  stepsDone += stepsPerSlice;
  // Steer the next slice towards SLICE_MS, moving halfway each time so that
  // one slow slice (an epoch-end evaluation) does not swing it wildly.
  const ideal = (stepsPerSlice * SLICE_MS) / took;
  stepsPerSlice = Math.max(1, Math.min(20000, Math.round((stepsPerSlice + ideal) / 2)));
  if (now - stepsWindowStart > 1000) {
    stepsPerSecond = (stepsDone * 1000) / (now - stepsWindowStart);
    stepsDone = 0;
    stepsWindowStart = now;
  }
  postReports();
  if (session.epoch() >= stopAtEpoch) {
    playing = false;
    post(OUT.notice, { message: `Paused after ${playBudget} epochs of training; press Train to go on.` });
    postLosses(true);
    postStatus();
    return;
  }
  postLosses(false);
  if (now - lastStatusAt > STATUS_EVERY_MS) postStatus();
}

// A MessageChannel yields to the event loop without setTimeout's 4 ms clamp.
const ticker = new MessageChannel();
let tickScheduled = false;
function scheduleTick() {
  if (tickScheduled) return;
  tickScheduled = true;
  ticker.port2.postMessage(null);
}
ticker.port1.onmessage = () => {
  tickScheduled = false;
  if (!session) return;
  try {
    pumpIngest();
  } catch (e) {
    post(OUT.error, { message: messageOf(e), paused: false });
  }
  if (playing && !ingestQueue.length) trainSlice();
  // Files still being decoded by the browser wake the loop when they are done.
  if (playing || decodeAhead.headReady()) scheduleTick();
};

// ---- messages in ----------------------------------------------------------

const handlers = {
  [IN.loadSample]: loadSample,
  [IN.newProject]: newProject,
  [IN.addFiles]: addFiles,
  [IN.addClass]: ({ name }) => session.addClass(name),
  [IN.renameClass]: ({ index, name }) => session.renameClass(index, name),
  [IN.removeClass]: removeClass,
  [IN.move]: move,
  [IN.removeImages]: removeImages,
  [IN.injectNoise]: ({ mode, rate, seed }) => {
    const n = session.injectNoise(mode, rate, seed);
    post(OUT.notice, { message: `${n} training image${n === 1 ? ' is' : 's are'} now mislabeled.` });
  },
  [IN.clearNoise]: () => {
    const n = session.clearNoise();
    post(OUT.notice, { message: `Restored ${n} label${n === 1 ? '' : 's'} to the truth.` });
  },
  [IN.setEpsilon]: ({ epsilon: eps }) => setEpsilon(eps),
  [IN.configure]: ({ settings: s }) => configure(s),
  [IN.setImageSize]: setImageSize,
  [IN.restart]: () => { session.restart(); resetPending = true; },
  [IN.play]: ({ budget, seq }) => {
    controlSeq = seq ?? controlSeq;
    resumeAfterFind = false;
    playing = true;
    stepsDone = 0;
    stepsWindowStart = performance.now();
    playBudget = budget || 0;
    stopAtEpoch = playBudget ? session.epoch() + playBudget : Infinity;
  },
  [IN.pause]: ({ seq }) => {
    controlSeq = seq ?? controlSeq;
    resumeAfterFind = false;
    playing = false;
  },
  [IN.findIssues]: findIssues,
  [IN.cancelFind]: () => { finder.cancel(); },
  [IN.restore]: projects.restoreSaved,
  [IN.exportProject]: projects.exportProject,
  [IN.importProject]: projects.importProject,
};

// Messages that need no session.
const OPENS_PROJECT = new Set([IN.loadSample, IN.newProject, IN.restore, IN.importProject]);

// Messages that change the images: the page needs the new dataset after them.
// configure() too: a new seed draws a new held-out split.
const CHANGES_DATA = new Set([IN.addClass, IN.renameClass, IN.removeClass, IN.move,
  IN.removeImages, IN.injectNoise, IN.clearNoise, IN.configure]);

let wasmMemory = null; // for the heap size in status messages
const ready = init().then(
  (wasm) => { wasmMemory = wasm.memory; post(OUT.ready); return true; },
  (e) => {
    post(OUT.error, { message: `The training module did not load: ${messageOf(e)}`, paused: true });
    return false;
  },
);

// Messages are handled one after another, even when one has to wait
// (reading the saved project), so that none overtakes another.
let handling = Promise.resolve();

async function handle(data) {
  if (!(await ready)) return;
  const handler = handlers[data.type];
  if (!handler) {
    post(OUT.error, { message: `Unknown message "${data.type}"`, paused: false });
    return;
  }
  classNames = null;
  try {
    if (!session && !OPENS_PROJECT.has(data.type)) {
      throw new Error('No project is loaded yet.');
    }
    await handler(data);
    if (CHANGES_DATA.has(data.type)) postDataset();
  } catch (e) {
    post(OUT.error, { message: messageOf(e), paused: false });
  }
  if (session) {
    postReports();
    if (!playing) postLosses(true);
    postStatus();
  }
  decodeAhead.pump();
  if (playing || decodeAhead.headReady()) scheduleTick();
}

self.onmessage = ({ data }) => {
  handling = handling.then(() => handle(data));
};
