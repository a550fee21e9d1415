// The training worker's entry: the only code that loads the wasm module. It
// wires the worker's parts together (the lab and its file store, the
// ingest queue, training, the search for mislabeled images, saved
// projects) and handles the page's messages one after another through a
// table of handlers. The message protocol is documented in protocol.js.
import init, { limitsJson } from '../pkg/smoothlab.js';
import { FROM_WORKER as OUT, TO_WORKER as IN } from '../protocol.js';
import { createFeatures } from './features.js';
import { createFinder } from './finder.js';
import { createIngestQueue } from './ingest-queue.js';
import { createLifecycle } from './lifecycle.js';
import { createPool, lanesFor } from './pool.js';
import { messageOf, post } from './post.js';
import { createPosting } from './posting.js';
import { createProjects } from './projects.js';
import { createSamples } from './samples.js';
import { createSweep } from './sweep.js';
import { createLabState } from './lab.js';
import { createTraining } from './training.js';

let wasmMemory = null; // for the heap size in status messages
let pool = null; // the pool of wasm workers (pool.js), once the module is compiled

// The parts refer to each other through these closures: each is made once.
const autosave = () => projects.autosave;
const lab = createLabState();
const posting = createPosting({ lab, changed: (ds) => { autosave().schedule(); features.check(ds); } });
const features = createFeatures({
  lab, posting, wake: () => training.wake(), adding: () => ingest.busy, pool: () => pool,
});
const ingest = createIngestQueue({
  lab, posting, autosave, postStatus: () => training.postStatus(), wake: () => training.wake(),
});
const training = createTraining({
  lab, posting, ingest, features,
  heapBytes: () => wasmMemory?.buffer.byteLength ?? 0, poolHeapBytes: () => pool?.heapBytes ?? [],
  pool: () => pool,
});
// The search pauses training while it runs (both would share one core) and
// lets it go on afterwards, unless Pause or Train was pressed meanwhile.
// Train during the search interleaves the two.
const finder = createFinder({ post, onEnd: () => training.resumeAfterFind(), pool: () => pool });
const sweeper = createSweep({ post, pool: () => pool, currentGeneration: () => lab.generation });
const lifecycle = createLifecycle({ lab, posting, ingest, training, finder, projects: () => projects });
const projects = createProjects({
  lab, adopt: lifecycle.adopt, queue: ingest, features, postDataset: () => posting.dataset(),
});

const samples = createSamples({ lab, openProject: projects.open, queue: ingest, postDataset: () => posting.dataset() });

const handlers = {
  [IN.loadSample]: lifecycle.loadSample,
  [IN.newProject]: lifecycle.newProject,
  // Not awaited: the photos are fetched while other messages (Pause) go on.
  [IN.loadHumanSample]: (m) => {
    samples.load(m).then(() => { sweeper.forget(lab.generation); training.afterMessage(); training.kick(); }, (e) => post(OUT.error, { message: messageOf(e), paused: false }));
  },
  [IN.addFiles]: ({ files, end }) => {
    lifecycle.ensureUserProject();
    ingest.addFiles(files, end);
  },
  [IN.addClass]: ({ name }) => lab.handle.addClass(name),
  [IN.renameClass]: ({ index, name }) => lab.handle.renameClass(index, name),
  [IN.removeClass]: ({ index }) => {
    const gone = lab.removeClass(index);
    if (gone) post(OUT.notice, { message: `Removed the class and its ${gone} image${gone === 1 ? '' : 's'}.` });
  },
  [IN.move]: ({ ids, classIndex, mode }) => lab.move(ids, classIndex, mode),
  [IN.removeImages]: ({ ids }) => lab.removeImages(ids),
  [IN.injectNoise]: ({ mode, rate, seed }) => {
    const n = lab.handle.injectNoise(mode, rate, seed);
    post(OUT.notice, { message: `${n} training image${n === 1 ? ' is' : 's are'} now mislabeled.` });
  },
  [IN.clearNoise]: () => {
    const n = lab.handle.clearNoise();
    post(OUT.notice, { message: `Restored ${n} label${n === 1 ? '' : 's'} to the truth.` });
  },
  [IN.setEpsilon]: ({ epsilon }) => lifecycle.setEpsilon(epsilon),
  [IN.setInput]: ({ input }) => features.setMode(input),
  // The lent model comes back first: a stopped worker would lose it.
  [IN.setCores]: async ({ cores }) => {
    await training.suspendPair();
    pool.resize(lanesFor(cores) - 1);
    training.resumePair();
  },
  [IN.configure]: ({ settings }) => lifecycle.configure(settings),
  [IN.setImageSize]: lifecycle.setImageSize,
  [IN.restart]: () => {
    lab.handle.restart();
    posting.modelsRestarted();
  },
  [IN.play]: training.play,
  [IN.pause]: training.pause,
  [IN.findIssues]: ({ folds, epochs }) => {
    finder.start(lab.handle, lab.generation, { folds, epochs });
    training.pauseForFind();
  },
  [IN.cancelFind]: () => finder.cancel(),
  // In the background: training goes on (the pool trains the sweep).
  [IN.sweep]: ({ epsilons, seeds, epochs }) => sweeper.start(lab.handle, lab.generation, { epsilons, seeds, epochs }),
  [IN.cancelSweep]: () => sweeper.cancel(),
  [IN.restore]: projects.restoreSaved,
  [IN.exportProject]: projects.exportProject,
  [IN.exportLosses]: () => post(OUT.lossesCsv, { csv: lab.handle.lossesCsv(), epoch: lab.handle.epoch() }),
  [IN.importProject]: projects.importProject,
};

// Messages that need no lab: those that open one, and the choice of what
// the models see (it holds for whichever project opens next).
const NEEDS_NO_LAB = new Set([IN.loadSample, IN.newProject, IN.loadHumanSample, IN.restore, IN.importProject, IN.setInput,
  IN.setCores]);

// Messages that change the images: the page needs the new dataset after them.
// configure() too: a new seed draws a new held-out split.
const CHANGES_DATA = new Set([IN.addClass, IN.renameClass, IN.removeClass, IN.move,
  IN.removeImages, IN.injectNoise, IN.clearNoise, IN.configure]);

// The module is compiled here once: this worker and every pool worker
// instantiate the same compiled code (the pool gets it as a message).
const WASM_URL = new URL('../pkg/smoothlab_bg.wasm', import.meta.url);
async function compileWasm() {
  try {
    return await WebAssembly.compileStreaming(fetch(WASM_URL));
  } catch {
    // A server that does not send application/wasm.
    return WebAssembly.compile(await (await fetch(WASM_URL)).arrayBuffer());
  }
}

const ready = compileWasm().then(async (module) => {
  const wasm = await init({ module_or_path: module });
  wasmMemory = wasm.memory;
  pool = createPool({ module });
  post(OUT.ready, { limits: JSON.parse(limitsJson()) });
  return true;
}).catch((e) => {
  post(OUT.error, { message: `The training module did not load: ${messageOf(e)}`, paused: true });
  return false;
});

async function handle(data) {
  if (!(await ready)) return;
  const handler = handlers[data.type];
  if (!handler) {
    post(OUT.error, { message: `Unknown message "${data.type}"`, paused: false });
    return;
  }
  lab.forgetClassNames();
  try {
    if (!lab.handle && !NEEDS_NO_LAB.has(data.type)) {
      throw new Error('No project is loaded yet.');
    }
    await handler(data);
    if (CHANGES_DATA.has(data.type)) posting.dataset();
  } catch (e) {
    post(OUT.error, { message: messageOf(e), paused: false });
  }
  if (lab.handle) training.afterMessage();
  sweeper.forget(lab.generation);
  ingest.lookAhead();
  training.kick();
}

// Messages are handled one after another, even when one has to wait
// (reading the saved project), so that none overtakes another.
let handling = Promise.resolve();
self.onmessage = ({ data }) => {
  handling = handling.then(() => handle(data));
};
