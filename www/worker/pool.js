// The pool of wasm workers that the session worker (main.js) drives: heavy
// work that splits into independent jobs (reading each photo's backbone
// features, the search's folds, Compare ε's models) runs on every core, and
// one worker at a time can be reserved for a long task of its own (training
// the smoothed model in lockstep, pair.js). Each pool worker (pool-worker.js)
// runs its own instance of the same compiled module, so a job gives the same
// bits wherever it runs; the session worker stays the owner of the project
// and does a share of the work itself, so "lanes" counts it too.
//
// The workers are started when the lab starts (their scripts load with the
// page: the page makes no request afterwards) and get the compiled module,
// never a URL to fetch. No SharedArrayBuffer: the lab runs from any static
// host, without cross-origin isolation.
import { messageOf } from './post.js';

const MAX_POOL_WORKERS = 8;
// Jobs queued in each worker: enough to keep it busy while the session
// worker runs a turn of its own (features.js reads photos for 25 ms) and
// cannot hand out more.
const JOBS_PER_WORKER = 4;

/**
 * How many lanes the lab uses: `cores` ('auto' or a number from the
 * settings), at least 1 (the session worker alone) and at most 1 + 8.
 */
export function lanesFor(cores, hardware = navigator.hardwareConcurrency || 1) {
  const wanted = cores === 'auto' ? hardware : Number(cores);
  return 1 + Math.max(0, Math.min(MAX_POOL_WORKERS, Math.floor(wanted || 1) - 1));
}

/** module: the compiled WebAssembly.Module of the lab's core. */
export function createPool({ module }) {
  const workers = []; // {worker, jobs: Map(id → {resolve, reject}), broken}
  let nextJob = 0;
  // Sent to every worker once, and to each one started later (the weights).
  const shared = new Map(); // type → {payload}

  function start() {
    const worker = new Worker(new URL('./pool-worker.js', import.meta.url), { type: 'module' });
    // reserved: the worker trains a lent model (pair.js) and takes no other job.
    const entry = { worker, jobs: new Map(), broken: null, heapBytes: 0, reserved: false };
    worker.onmessage = ({ data }) => {
      entry.heapBytes = data.heapBytes ?? entry.heapBytes;
      const job = entry.jobs.get(data.id);
      if (!job) return;
      entry.jobs.delete(data.id);
      if ('error' in data) job.reject(new Error(data.error));
      else job.resolve(data.result);
    };
    worker.onerror = (e) => {
      e.preventDefault();
      entry.broken = e.message || 'a pool worker could not start';
      for (const job of entry.jobs.values()) job.reject(new Error(entry.broken));
      entry.jobs.clear();
    };
    worker.postMessage({ type: 'init', module });
    for (const [type, payload] of shared) worker.postMessage({ type, ...payload });
    workers.push(entry);
  }

  /** Workers that take jobs: not broken, not reserved. */
  const open = () => workers.filter((w) => !w.broken && !w.reserved);

  function post(entry, task, payload, transfer) {
    const id = nextJob++;
    return new Promise((resolve, reject) => {
      entry.jobs.set(id, { resolve, reject });
      try {
        entry.worker.postMessage({ type: 'job', id, task, ...payload }, transfer);
      } catch (e) {
        entry.jobs.delete(id);
        reject(new Error(messageOf(e)));
      }
    });
  }

  function stop(entry) {
    entry.worker.terminate();
    for (const job of entry.jobs.values()) job.reject(new Error('the pool was made smaller'));
  }

  return {
    /** Pool workers that can take jobs (not counting the session worker). */
    get size() { return open().length; },

    /** Each worker's wasm memory in bytes, as of its last answer. */
    get heapBytes() { return workers.map((w) => w.heapBytes); },

    /** Starts or stops workers so that the pool has `count` of them. */
    resize(count) {
      const target = Math.max(0, Math.min(MAX_POOL_WORKERS, count));
      while (workers.length > target) stop(workers.pop());
      while (workers.length < target) start();
    },

    /** Sends `payload` to every worker, now and when one starts later. */
    share(type, payload) {
      shared.set(type, payload);
      for (const { worker } of workers) worker.postMessage({ type, ...payload });
    },

    /** Whether a worker has room for another job now. */
    get hasRoom() { return open().some((w) => w.jobs.size < JOBS_PER_WORKER); },

    /**
     * Runs `task` on the least busy worker: a promise of its result. Call
     * only when hasRoom. `transfer`: buffers moved, not copied.
     */
    run(task, payload, transfer = []) {
      const free = open().filter((w) => w.jobs.size < JOBS_PER_WORKER);
      const entry = free.reduce((a, b) => (b.jobs.size < a.jobs.size ? b : a));
      return post(entry, task, payload, transfer);
    },

    /**
     * Takes an idle worker out of the job rotation for one long task of
     * its own (a lent model): `preferred` if it is idle, else any idle one;
     * null when none is.
     */
    reserve(preferred = null) {
      const idle = open().filter((w) => w.jobs.size === 0);
      const entry = idle.includes(preferred) ? preferred : idle[0];
      if (!entry) return null;
      entry.reserved = true;
      return entry;
    },

    /** Puts a reserved worker back in the rotation. */
    release(entry) { entry.reserved = false; },

    /** Whether a reserved worker is still running (not stopped, not broken). */
    alive: (entry) => workers.includes(entry) && !entry.broken,

    /** Runs `task` on a worker taken with reserve(). */
    runOn(entry, task, payload, transfer = []) {
      if (entry.broken) return Promise.reject(new Error(entry.broken));
      return post(entry, task, payload, transfer);
    },
  };
}
