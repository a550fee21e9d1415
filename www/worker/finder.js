// The search for mislabeled images, in the worker: k-fold cross-validation
// run in short slices by the paced loop (pacing.js, as training is), so that
// messages, and the page, get in between. When it is done, both rankings
// (out-of-sample and the baseline's in-sample one) are posted for each
// filter. Only main.js imports this.
import { FIND_FILTERS, FROM_WORKER as OUT } from '../protocol.js';
import { createPacedLoop } from './pacing.js';
import { messageOf } from './post.js';

const PROGRESS_EVERY_MS = 200;

/**
 * post(type, payload) sends to the page; onEnd(finished) runs when a search
 * stops for any reason (finished: it produced findings).
 */
export function createFinder({ post, onEnd }) {
  // The search under way, or null.
  let search = null; // {lab, generation, progress, lastProgressAt}

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
    if (now - search.lastProgressAt > PROGRESS_EVERY_MS) {
      search.lastProgressAt = now;
      post(OUT.findProgress, { ...search.progress, running: true });
    }
    return true;
  }
  const loop = createPacedLoop({ slice, firstSteps: 4, maxSteps: 5000 });

  function finish() {
    try {
      const { handle, generation } = search;
      const byFilter = {};
      let head = null;
      for (const filter of FIND_FILTERS) {
        const result = JSON.parse(handle.findIssuesJson(filter));
        head ??= result;
        byFilter[filter] = { outOfSample: result.outOfSample, inSample: result.inSample };
      }
      post(OUT.findings, { generation, folds: head.folds, epochsPerFold: head.epochsPerFold, byFilter });
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
      const progress = { fold: 0, folds, epoch: 0, epochs, fraction: 0, done: false };
      search = { handle, generation, progress, lastProgressAt: performance.now() };
      post(OUT.findProgress, { ...progress, running: true });
      loop.wake();
    },
    cancel() { stop(false); },
  };
}
