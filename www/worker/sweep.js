// "Compare ε" in the worker: the sweep over ε × seeds, on a copy of the
// project taken when it starts (a snapshot), so that the person can go on
// relabelling and training meanwhile. Only main.js imports this.
//
// A sweep is cut into jobs of one model each, (seed, ε), trained whole for
// the sweep's epochs. A model trained alone is the same bits as that model
// trained in lockstep with the other ε of its seed (same initial weights,
// same batches: the core tests this), so the jobs can run anywhere: on the
// pool, one per worker at a time, and here, in slices of one epoch, when
// the lab has no pool (one core) or a pool worker failed. The seeds' runs
// are then put together by the core (`sweepSummaryJson`), as the command
// line does.
import { SweepRunner, sweepSummaryJson } from '../pkg/smoothlab.js';
import { FROM_WORKER as OUT } from '../protocol.js';
import { createPacedLoop } from './pacing.js';
import { messageOf } from './post.js';

const PROGRESS_EVERY_MS = 250;

/**
 * post(type, payload) sends to the page; pool(): the pool of wasm workers
 * (pool.js), or null before the module has loaded; currentGeneration():
 * the session's now (a project replaced mid-sweep ends it).
 */
export function createSweep({ post, pool, currentGeneration }) {
  let sweep = null; // the sweep under way (see start), or null
  let sweeps = 0; // numbers each sweep, so that a late pool answer finds its own

  function progress(running, extra = {}) {
    const { done, total, seedList, epsilons, epochs, runs } = sweep;
    const seedsDone = runs.filter((models) => models.every(Boolean)).length;
    return {
      running, done, total, seedsDone, seeds: seedList.length, models: epsilons.length, epochs, ...extra,
    };
  }

  function postProgress(now = performance.now()) {
    if (now - sweep.lastProgressAt < PROGRESS_EVERY_MS) return;
    sweep.lastProgressAt = now;
    post(OUT.sweepProgress, progress(true));
  }

  // The pool's copies of the project are dropped with the sweep.
  function release() {
    const ended = sweep;
    sweep = null;
    pool()?.share('sweepData', { token: null, snapshot: null, settings: null });
    try {
      ended.local?.runner.free();
    } catch { /* a runner broken by a fault is dropped all the same */ }
  }

  function stop(reason) {
    if (!sweep) return;
    const last = progress(false, { finished: false, reason });
    release();
    post(OUT.sweepProgress, last);
  }

  // Hands jobs to the pool, one per worker at a time.
  function dispatch() {
    const workers = pool();
    if (!sweep || !workers?.size) return;
    const { token, epochs } = sweep;
    while (sweep.queue.length && sweep.away < workers.size && workers.hasRoom) {
      const job = sweep.queue.shift();
      sweep.away += 1;
      workers.run('sweepModel', { token, seed: job.seed, epsilon: job.epsilon, epochs }).then(
        (json) => landed(token, job, json),
        () => landed(token, job, null),
      );
    }
  }

  // A pool worker's answer (null: it failed, and the job is trained here).
  function landed(token, job, json) {
    if (!sweep || sweep.token !== token) return;
    sweep.away -= 1;
    try {
      if (json === null) {
        sweep.here.push(job);
      } else {
        record(job, JSON.parse(json));
        sweep.done += sweep.epochs;
      }
    } catch (e) {
      post(OUT.error, { message: `Compare ε stopped: ${messageOf(e)}`, paused: false });
      stop(messageOf(e));
      return;
    }
    next();
  }

  function record(job, run) {
    sweep.runs[job.seedIndex][job.epsilonIndex] = run.models[0];
  }

  function next() {
    if (!sweep) return;
    if (sweep.generation !== currentGeneration()) {
      stop('the project was replaced');
      return;
    }
    if (sweep.runs.every((models) => models.every(Boolean))) {
      finish();
      return;
    }
    dispatch();
    postProgress();
    loop.wake();
  }

  // Here: the job in hand in slices of mini-batches steered to the paced
  // loop's budget (so that Pause, a relabel or the pair's own training get
  // in between), the jobs the pool could not take one after another.
  function slice(timed) {
    if (!sweep) return false;
    if (sweep.generation !== currentGeneration()) {
      stop('the project was replaced');
      return false;
    }
    try {
      if (!sweep.local) {
        dispatch();
        // Here: what a pool worker failed, everything without a pool, and
        // the next job when the pool took none (its every slot may be busy
        // reading photos): nothing would wake the sweep otherwise.
        const idle = !(pool()?.size > 0) || sweep.away === 0;
        const job = sweep.here.shift() ?? (idle ? sweep.queue.shift() : undefined);
        if (!job) return false; // the rest is on the pool; its answers wake the loop
        const runner = new SweepRunner(sweep.snapshot, sweep.settings, new Float32Array([job.epsilon]), job.seed, sweep.epochs);
        sweep.local = { job, runner };
      }
      const { job, runner } = sweep.local;
      let finished = false;
      const before = runner.progress();
      timed((steps) => { finished = runner.stepBatches(steps); });
      sweep.done += runner.progress() - before;
      if (finished) {
        record(job, JSON.parse(runner.resultJson()));
        runner.free();
        sweep.local = null;
        next();
        return false;
      }
    } catch (e) {
      post(OUT.error, { message: `Compare ε stopped: ${messageOf(e)}`, paused: false });
      stop(messageOf(e));
      return false;
    }
    postProgress();
    return true;
  }
  const loop = createPacedLoop({ slice, firstSteps: 4, maxSteps: 5000 });

  function finish() {
    const { seedList, epsilons, epochs, runs, generation, facts } = sweep;
    try {
      const seedRuns = runs.map((models, i) => ({ seed: seedList[i], epochs, models }));
      const rows = JSON.parse(sweepSummaryJson(JSON.stringify(seedRuns)));
      const perSeed = runs.map((models) => models.map((m, i) => ({
        epsilon: epsilons[i],
        peakAcc: m.peakTestAcc,
        finalAcc: m.finalTestAcc,
        ece: m.finalTestEce,
        memorized: m.finalMemorized,
      })));
      post(OUT.sweepResult, {
        generation, epochs, epsilons, seedList, ...facts, rows: rows.map((row, i) => pageRow(row, epsilons[i])), perSeed,
      });
      const last = progress(false, { finished: true });
      release();
      post(OUT.sweepProgress, last);
    } catch (e) {
      post(OUT.error, { message: `Compare ε failed: ${messageOf(e)}`, paused: false });
      stop(messageOf(e));
    }
  }

  return {
    get running() { return sweep !== null; },

    /**
     * Starts a sweep on the project as it is now; throws (before anything
     * changes) when it cannot.
     */
    start(handle, generation, { epsilons, seeds, epochs }) {
      const snapshot = handle.snapshot();
      const settings = handle.settingsJson();
      const dataset = JSON.parse(handle.datasetJson());
      // Checked here, once, so that a bad sweep says why before any job.
      new SweepRunner(snapshot, settings, new Float32Array(epsilons), 0, epochs).free();
      if (sweep) stop('a new comparison started');
      const base = JSON.parse(settings).seed;
      const seedList = Array.from({ length: seeds }, (_, i) => base + i);
      const queue = seedList.flatMap((seed, seedIndex) => epsilons.map((epsilon, epsilonIndex) => ({
        seed, seedIndex, epsilon, epsilonIndex,
      })));
      const token = ++sweeps;
      // Shared even with no pool worker yet: one started later gets it too.
      pool()?.share('sweepData', { token, snapshot, settings });
      sweep = {
        token, generation, snapshot, settings, epsilons, epochs, seedList, queue, here: [], local: null,
        away: 0, done: 0, total: queue.length * epochs, lastProgressAt: -Infinity,
        runs: seedList.map(() => epsilons.map(() => null)),
        facts: {
          classes: dataset.classes.length,
          images: dataset.images.filter((img) => !img.holdout).length,
          mislabeled: dataset.mislabeled,
          input: dataset.input,
        },
      };
      postProgress();
      dispatch();
      loop.wake();
    },

    /** The project was replaced: the sweep measured something else. */
    forget(generation) {
      if (sweep && sweep.generation !== generation) stop('the project was replaced');
    },

    cancel() { stop(null); },
  };
}

/**
 * A core SweepRow as the page reads it (protocol.js: sweepResult), with ε as
 * the person typed it (the core keeps it as f32: 0.05 would read 0.0500000007).
 */
function pageRow(row, epsilon) {
  return {
    epsilon,
    peakAcc: row.peakTestAcc,
    finalAcc: row.finalTestAcc,
    ece: row.finalTestEce,
    memorized: row.finalMemorized,
  };
}
