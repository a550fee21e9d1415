// The worker's search for mislabeled images: k-fold cross-validation run in
// short slices (like training), so that messages, and the page, get in
// between. When it is done, both rankings (out-of-sample and the baseline's
// in-sample one) are posted for each filter. Only main.js imports this.
import { FIND_FILTERS, FROM_WORKER as OUT } from '../protocol.js';

const SLICE_MS = 12;
const PROGRESS_EVERY_MS = 200;

/**
 * post(type, payload) sends to the page; onEnd(finished) runs when a search
 * stops for any reason (finished: it produced findings).
 */
export function createFinder({ post, onEnd }) {
  let session = null;
  let generation = 0;
  let running = false;
  let steps = 4;
  let lastProgressAt = 0;
  let progress = null;
  const ticker = new MessageChannel();

  function stop(finished) {
    if (!running) return;
    running = false;
    session = null;
    post(OUT.findProgress, { ...progress, running: false });
    onEnd(finished);
  }

  function slice() {
    if (!running) return;
    const start = performance.now();
    try {
      progress = JSON.parse(session.findIssuesStep(steps));
    } catch (e) {
      post(OUT.error, { message: `Finding mislabeled images stopped: ${e instanceof Error ? e.message : e}`, paused: false });
      stop(false);
      return;
    }
    const now = performance.now();
    const ideal = (steps * SLICE_MS) / Math.max(now - start, 0.05);
    steps = Math.max(1, Math.min(5000, Math.round((steps + ideal) / 2)));
    if (progress.done) {
      finish();
      return;
    }
    if (now - lastProgressAt > PROGRESS_EVERY_MS) {
      lastProgressAt = now;
      post(OUT.findProgress, { ...progress, running: true });
    }
    ticker.port2.postMessage(null);
  }
  ticker.port1.onmessage = slice;

  function finish() {
    try {
      const byFilter = {};
      let head = null;
      for (const filter of FIND_FILTERS) {
        const result = JSON.parse(session.findIssuesJson(filter));
        head ??= result;
        byFilter[filter] = { outOfSample: result.outOfSample, inSample: result.inSample };
      }
      post(OUT.findings, { generation, folds: head.folds, epochsPerFold: head.epochsPerFold, byFilter });
      stop(true);
    } catch (e) {
      post(OUT.error, { message: `Finding mislabeled images failed: ${e instanceof Error ? e.message : e}`, paused: false });
      stop(false);
    }
  }

  return {
    get running() { return running; },
    /** Starts a search; throws (before anything changes) when it cannot. */
    start(next, nextGeneration, { folds, epochs }) {
      if (running) stop(false);
      next.startFindIssues(folds, epochs);
      session = next;
      generation = nextGeneration;
      running = true;
      progress = { fold: 0, folds, epoch: 0, epochs, fraction: 0, done: false };
      lastProgressAt = performance.now();
      post(OUT.findProgress, { ...progress, running: true });
      ticker.port2.postMessage(null);
    },
    cancel() { stop(false); },
  };
}
