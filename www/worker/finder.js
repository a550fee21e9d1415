// The search for mislabeled images, in the worker: k-fold cross-validation
// run in short slices by the paced loop (pacing.js, as training is), so that
// messages, and the page, get in between. When it is done, both rankings
// (out-of-sample and the baseline's in-sample one) are posted for each
// filter. Only main.js imports this.
//
// With a pool of wasm workers (pool.js) the folds run on every core: each
// pool worker gets a copy of the dataset (a snapshot) and whole folds to
// train, as many at a time as there are workers, while this worker trains
// the others in slices; the core checks that every fold comes back once, and
// a fold whose worker failed is trained here. Each fold is trained the same
// way wherever it runs, so the findings are the bits of a serial run (as
// long as nothing changes during the search: a relabel reaches only the
// folds trained here).
import { FIND_FILTERS, FROM_WORKER as OUT } from '../protocol.js';
import { createPacedLoop } from './pacing.js';
import { messageOf } from './post.js';

const PROGRESS_EVERY_MS = 200;

/**
 * post(type, payload) sends to the page; onEnd(finished) runs when a search
 * stops for any reason (finished: it produced findings); pool(): the pool of
 * wasm workers (pool.js), or null before the module has loaded.
 */
export function createFinder({ post, onEnd, pool }) {
  // The search under way, or null.
  let search = null; // {handle, generation, token, folds, epochs, away, progress, lastProgressAt}
  let searches = 0; // numbers each search, so that a late pool answer finds its own

  // Hands folds to the pool, one per worker at a time.
  function dispatch() {
    const workers = pool();
    if (!search || !workers?.size) return;
    const { handle, token, folds, epochs } = search;
    while (search.away < workers.size && workers.hasRoom) {
      const fold = handle.findIssuesTakeFold();
      if (fold < 0) return;
      search.away += 1;
      workers.run('fold', { token, folds, epochs, fold }).then(
        (rows) => landed(token, fold, rows),
        () => landed(token, fold, null),
      );
    }
  }

  // A pool worker's answer (null: it failed, the fold is trained here).
  function landed(token, fold, rows) {
    if (!search || search.token !== token) return;
    search.away -= 1;
    try {
      if (rows) {
        search.handle.findIssuesAcceptFold(fold, rows);
        search.pooled += 1;
      } else {
        search.handle.findIssuesReleaseFold(fold);
      }
    } catch (e) {
      post(OUT.error, { message: `Finding mislabeled images stopped: ${messageOf(e)}`, paused: false });
      stop(false);
      return;
    }
    loop.wake();
  }

  function stop(finished) {
    if (!search) return;
    const { progress } = search;
    search = null;
    post(OUT.findProgress, { ...progress, running: false });
    onEnd(finished);
  }

  function slice(timed) {
    if (!search) return false;
    let now;
    try {
      ({ now } = timed((steps) => { search.progress = JSON.parse(search.handle.findIssuesStep(steps)); }));
    } catch (e) {
      post(OUT.error, { message: `Finding mislabeled images stopped: ${messageOf(e)}`, paused: false });
      stop(false);
      return false;
    }
    if (search.progress.done) {
      finish();
      return false;
    }
    dispatch();
    if (now - search.lastProgressAt > PROGRESS_EVERY_MS) {
      search.lastProgressAt = now;
      post(OUT.findProgress, { ...search.progress, running: true });
    }
    // Idle: every fold left is on the pool; its answers wake the loop.
    return !search.progress.idle;
  }
  const loop = createPacedLoop({ slice, firstSteps: 4, maxSteps: 5000 });

  function finish() {
    try {
      const { handle, generation, pooled } = search;
      const byFilter = {};
      let head = null;
      for (const filter of FIND_FILTERS) {
        const result = JSON.parse(handle.findIssuesJson(filter));
        head ??= result;
        byFilter[filter] = { outOfSample: result.outOfSample, inSample: result.inSample };
      }
      post(OUT.findings, {
        generation, folds: head.folds, epochsPerFold: head.epochsPerFold, byFilter, pooledFolds: pooled,
      });
      stop(true);
    } catch (e) {
      post(OUT.error, { message: `Finding mislabeled images failed: ${messageOf(e)}`, paused: false });
      stop(false);
    }
  }

  return {
    get running() { return search !== null; },
    /** Starts a search; throws (before anything changes) when it cannot. */
    start(handle, generation, { folds, epochs }) {
      if (search) stop(false);
      handle.startFindIssues(folds, epochs);
      const token = ++searches;
      const workers = pool();
      if (workers?.size) {
        workers.share('foldData', { token, snapshot: handle.findIssuesSnapshot(), settings: handle.findIssuesSettingsJson() });
      }
      const progress = { fold: 0, folds, epoch: 0, epochs, fraction: 0, done: false };
      search = { handle, generation, token, folds, epochs, away: 0, pooled: 0, progress, lastProgressAt: performance.now() };
      post(OUT.findProgress, { ...progress, running: true });
      dispatch();
      loop.wake();
    },
    cancel() { stop(false); },
  };
}
