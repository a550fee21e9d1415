// Training in the worker: play and pause (numbered, so that the page can
// tell stale status messages apart), the epoch budget of one play, and the
// worker's loop, a paced loop (pacing.js) whose every turn first adds
// waiting files (ingest-queue.js), then reads images waiting for their
// backbone features (features.js), and then, while playing and neither
// waits, trains one slice. The search for mislabeled images pauses training
// and lets it go on afterwards (pauseForFind, resumeAfterFind). With a
// pool worker free, each slice trains the smoothed model there, in lockstep
// with the baseline here (pair.js).
import { FROM_WORKER as OUT } from '../protocol.js';
import { createPacedLoop } from './pacing.js';
import { createPair } from './pair.js';
import { messageOf, post } from './post.js';

const STATUS_EVERY_MS = 250;

/**
 * lab: the lab state (lab.js); posting: posting.js; ingest:
 * ingest-queue.js; features: features.js; heapBytes(), poolHeapBytes(): the size of the
 * wasm memory; pool(): the pool of workers (pool.js) or null.
 */
export function createTraining({ lab, posting, ingest, features, heapBytes, poolHeapBytes, pool }) {
  let playing = false;
  let controlSeq = 0; // the last play/pause heard, echoed in status messages
  let playBudget = 0; // epochs one play may run (0: no limit)
  let stopAtEpoch = Infinity; // pause here, so that the history stays bounded
  // Play again once the search for mislabeled images ends: it was playing
  // when the search started and neither Pause nor Train was pressed since.
  let resumeAfterFind = false;
  const speed = { done: 0, windowStart: performance.now(), perSecond: 0, lastStatusAt: 0 };
  let lanes = 1; // cores the last slice ran on
  let pooledSlices = 0; // slices trained on two cores (for the page's tests)
  const pair = createPair({
    pool,
    lab,
    onLost(why) {
      playing = false;
      posting.modelsRestarted();
      post(OUT.error, {
        message: `A worker training the smoothed model stopped (${why}); both models start again from their first weights.`,
        paused: true,
      });
    },
  });

  function report() {
    if (posting.reports()) stopAtEpoch = playBudget || Infinity; // a restarted run gets a whole budget
  }

  function postStatus() {
    const { handle } = lab;
    speed.lastStatusAt = performance.now();
    let stepsPerEpoch = 0;
    try { stepsPerEpoch = handle ? handle.stepsPerEpoch() : 0; } catch { /* empty project */ }
    post(OUT.status, { playing, seq: controlSeq, epoch: handle ? handle.epoch() : 0, stepsPerEpoch,
      stepsPerSecond: speed.perSecond, heapBytes: heapBytes(), poolHeapBytes: poolHeapBytes(),
      trainingLanes: lanes, pooledSlices });
  }

  /** Training stopped: the page gets the last point's losses, maps and status. */
  function settle() {
    report();
    posting.losses(true);
    posting.dataMap(true);
    postStatus();
  }

  function stopWithError(message) {
    playing = false;
    post(OUT.error, { message, paused: true });
    report();
    postStatus();
  }

  /** After a slice of `steps` that ended at `now`: statistics, curves, budget. */
  function afterSlice(steps, now) {
    const { handle } = lab;
    speed.done += steps;
    if (now - speed.windowStart > 1000) {
      speed.perSecond = (speed.done * 1000) / (now - speed.windowStart);
      speed.done = 0;
      speed.windowStart = now;
    }
    report();
    if (handle.epoch() >= stopAtEpoch) {
      playing = false;
      post(OUT.notice, { message: `Paused after ${playBudget} epochs of training; press Train to go on.` });
      posting.losses(true);
      posting.dataMap(true);
      postStatus();
      return;
    }
    posting.losses(false);
    posting.dataMap(false);
    if (now - speed.lastStatusAt > STATUS_EVERY_MS) postStatus();
  }

  /** One slice here, both models on this core. */
  function trainHere(timed) {
    const { handle } = lab;
    let taken;
    try {
      taken = timed((steps) => handle.step(steps));
    } catch (e) {
      stopWithError(messageOf(e));
      return;
    }
    lanes = 1;
    afterSlice(taken.steps, taken.now);
  }

  /**
   * One slice on two cores (pair.js); a promise, or null when no pool
   * worker is free (the slice then trains here).
   */
  function trainOnPair(timed) {
    const { handle } = lab;
    let outcome = null;
    let thrown = null;
    const done = timed(async (steps) => {
      try {
        outcome = await pair.slice(steps);
      } catch (e) {
        thrown = e;
        return 0;
      }
      return outcome?.steps ?? 0;
    });
    return done.then(({ steps, now }) => {
      if (thrown) return stopWithError(messageOf(thrown));
      if (outcome === null) return trainHere(timed);
      if (lab.handle !== handle || outcome.lost || outcome.void) return undefined;
      if (outcome.error) return stopWithError(outcome.error);
      lanes = 2;
      pooledSlices += 1;
      afterSlice(steps, now);
      // Paused while the slice was in flight: the page gets its last point
      // (afterMessage posted the one before).
      if (!playing) settle();
      return undefined;
    });
  }

  const loop = createPacedLoop({
    maxSteps: 20000,
    slice(timed) {
      if (!lab.handle) return false;
      try {
        ingest.pump();
      } catch (e) {
        post(OUT.error, { message: messageOf(e), paused: false });
      }
      const goOn = () => playing || ingest.headReady();
      if (features.pending && !ingest.busy) {
        // Images waiting for their features come first: the models train on
        // them. A browser decode or the weights' download wakes the loop.
        if (pair.holding) return pair.giveBack().then(() => true);
        if (features.runnable) features.embedSome();
        // Done: training goes on (if playing) on the next turn.
        return features.runnable || (playing && !features.pending);
      }
      if (playing && !ingest.busy) {
        if (pair.available) return trainOnPair(timed).then(() => goOn() || pair.holding);
        trainHere(timed);
      } else if (pair.holding) {
        // A turn that does not train: the lent model comes back.
        return pair.giveBack().then(goOn);
      }
      // Files still being decoded by the browser wake the loop when they are done.
      return goOn();
    },
  });

  return {
    get playing() { return playing; },
    postStatus,
    /** Runs a turn of the loop (files came in, or a decode finished). */
    wake: loop.wake,
    /** Runs the loop if it has anything to do (a lent model to take back too). */
    kick() {
      if (playing || ingest.headReady() || pair.holding) loop.wake();
    },

    /** Takes the lent model back and lends none until resumePair(). */
    suspendPair: () => pair.suspend(),
    resumePair: () => pair.resume(),

    play({ budget, seq }) {
      controlSeq = seq ?? controlSeq;
      resumeAfterFind = false;
      playing = true;
      speed.done = 0;
      speed.windowStart = performance.now();
      playBudget = budget || 0;
      stopAtEpoch = playBudget ? lab.handle.epoch() + playBudget : Infinity;
    },
    pause({ seq } = {}) {
      controlSeq = seq ?? controlSeq;
      resumeAfterFind = false;
      playing = false;
    },

    pauseForFind() {
      resumeAfterFind = playing || resumeAfterFind;
      playing = false;
    },
    resumeAfterFind() {
      if (!resumeAfterFind || !lab.handle) return;
      resumeAfterFind = false;
      playing = true;
      postStatus();
      loop.wake();
    },
    /** The lab is about to go: a search that ends with it resumes nothing. */
    forgetResume() { resumeAfterFind = false; },

    /** Tells the page where training stands, after each message. */
    afterMessage() {
      if (!playing) {
        settle();
        return;
      }
      report();
      postStatus();
    },
  };
}
