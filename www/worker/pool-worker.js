// A pool worker (pool.js): its own instance of the lab's compiled wasm
// module, running the jobs the session worker hands it, one at a time in the
// order they came. It owns no project; everything a job needs comes with it
// or was shared before (the backbone's weights).
//
// Messages in: {type: 'init', module}, {type: 'backbone', weights, side},
// {type: 'foldData', token, snapshot, settings} (the search for mislabeled
// images), {type: 'sweepData', token, snapshot, settings} ("Compare ε"),
// {type: 'job', id, task, ...}; out: {id, result} or {id, error},
// with heapBytes, the size of this worker's wasm memory. The pairSlice and
// pairGiveBack jobs train a model the session's lab lent (pair.js): the
// pool keeps this worker for them while that lasts.
import init, { Backbone, FoldRunner, LentModel, SweepRunner } from '../pkg/smoothlab.js';
import { messageOf } from './post.js';

let memory = null; // this instance's wasm memory, whose size goes with every answer
let backbone = null;
let weights = null; // {weights, side}: the backbone is built on first use
// The search for mislabeled images: {token, snapshot, settings} of the
// latest one, and its dataset read from them on its first fold.
let foldData = null;
let folds = null; // {token, runner}
// "Compare ε": {token, snapshot, settings} of the latest sweep, kept for
// every model of it that this worker trains.
let sweepData = null;
// A model lent by the session's lab, with this worker's copy of the data
// (kept between lends, so that an unchanged project is not copied again).
let lent = null;

const TASKS = {
  /** The 1280 features of one photo: from its file, or side×side RGBA. */
  embed({ name, bytes, rgba, size }) {
    if (!weights) throw new Error('the backbone has no weights yet');
    backbone ??= new Backbone(weights.weights, weights.side);
    const features = rgba ? backbone.embedRgba(rgba, size) : backbone.embedFile(name, bytes);
    return { result: features, transfer: [features.buffer] };
  },

  /** One fold of the search `token`, whole: its samples' probabilities. */
  fold({ token, folds: count, epochs, fold }) {
    if (foldData?.token !== token) throw new Error('this search is over');
    if (folds?.token !== token) {
      folds?.runner.free();
      folds = { token, runner: new FoldRunner(foldData.snapshot, foldData.settings) };
      foldData.snapshot = null; // the runner has its own copy
    }
    const rows = folds.runner.probabilities(count, epochs, fold);
    return { result: rows, transfer: [rows.buffer] };
  },

  /**
   * One model of the sweep `token`, trained whole: its SeedRun as JSON.
   * Between epochs it lets messages in, so that a stopped or newer sweep
   * (a new sweepData) ends it at once instead of after its last epoch.
   */
  async sweepModel({ token, seed, epsilon, epochs }) {
    const over = () => sweepData?.token !== token;
    if (over()) throw new Error('this comparison is over');
    const runner = new SweepRunner(sweepData.snapshot, sweepData.settings, new Float32Array([epsilon]), seed, epochs);
    try {
      while (!runner.stepEpoch()) {
        await nextTurn();
        if (over()) throw new Error('this comparison is over');
      }
      return { result: runner.resultJson(), transfer: [] };
    } finally {
      runner.free();
    }
  },
};

Object.assign(TASKS, {
  /**
   * One lockstep slice of the lent model: first the lab's resolution of the
   * last slice (or a model lent anew), then what changed in the data and ε,
   * then the same steps the lab takes; the reply goes to Lab.lockstepFinish.
   */
  pairSlice({ model, lend, resolution, snapshot, labels, epsilon, max }) {
    lent ??= new LentModel();
    if (lend) lent.lend(model, lend);
    else if (resolution !== null) lent.resolve(resolution);
    if (snapshot) lent.setDataset(snapshot);
    if (labels) lent.setLabels(labels);
    lent.setSmoothing(epsilon);
    const reply = lent.slice(max);
    return { result: reply, transfer: [reply.buffer] };
  },

  /** The lent model back, for Lab.takeBackModel, after the last resolution. */
  pairGiveBack({ resolution }) {
    if (!lent) throw new Error('no model was lent to this worker');
    if (resolution !== null) lent.resolve(resolution);
    const bytes = lent.giveBack();
    return { result: bytes, transfer: [bytes.buffer] };
  },
});

const heapBytes = () => memory?.buffer.byteLength ?? 0;

// A turn of the event loop (a MessageChannel: no timer clamp), so that a
// message waiting for this worker is read.
function nextTurn() {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => resolve();
    port2.postMessage(null);
  });
}

async function handle(data) {
  if (data.type === 'init') {
    ({ memory } = await init({ module_or_path: data.module }));
    return;
  }
  if (data.type === 'foldData') {
    foldData = { token: data.token, snapshot: data.snapshot, settings: data.settings };
    return;
  }
  if (data.type === 'backbone') {
    weights = { weights: data.weights, side: data.side };
    backbone = null;
    return;
  }
  try {
    const { result, transfer } = await TASKS[data.task](data);
    self.postMessage({ id: data.id, result, heapBytes: heapBytes() }, transfer);
  } catch (e) {
    self.postMessage({ id: data.id, error: messageOf(e), heapBytes: heapBytes() });
  }
}

// One message after another: a job waits for the module to be instantiated.
// A sweep's sweepData is read at once, ahead of the queue, so that the sweep
// model in hand sees that its sweep is over (see sweepModel).
let handling = Promise.resolve();
self.onmessage = ({ data }) => {
  if (data.type === 'sweepData') {
    sweepData = data.token === null ? null : { token: data.token, snapshot: data.snapshot, settings: data.settings };
    return;
  }
  handling = handling.then(() => handle(data)).catch((e) => {
    if (data.id !== undefined) self.postMessage({ id: data.id, error: messageOf(e) });
  });
};
