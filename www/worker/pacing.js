// Long work in the worker (training, the search for mislabeled images) runs
// as a step-and-yield loop: one slice of steps at a time, each steered
// towards SLICE_MS, well under the page's 20 ms budget, and a yield to the
// event loop between slices so that messages get in. This is the one place
// that loop is written; training.js and finder.js each run one.

const SLICE_MS = 12;

/**
 * A step-and-yield loop. wake() asks for one turn (asking again before it
 * ran asks once); a turn calls slice(timed), which returns true to go on.
 * Inside it, timed(work) runs work(steps), steps being the count steered
 * towards SLICE_MS, from firstSteps, at most maxSteps.
 */
export function createPacedLoop({ slice, firstSteps = 1, maxSteps }) {
  let steps = firstSteps;
  let scheduled = false;
  // A MessageChannel yields to the event loop without setTimeout's 4 ms clamp.
  const channel = new MessageChannel();

  function wake() {
    if (scheduled) return;
    scheduled = true;
    channel.port2.postMessage(null);
  }

  /**
   * Runs work(steps) and steers the next count towards SLICE_MS, halfway
   * each time so that one slow slice (an epoch-end evaluation) does not
   * swing it wildly. Returns the steps taken and when the slice ended;
   * work that throws leaves the count as it was.
   */
  function timed(work) {
    const taken = steps;
    const start = performance.now();
    work(taken);
    const now = performance.now();
    const ideal = (taken * SLICE_MS) / Math.max(now - start, 0.05);
    steps = Math.max(1, Math.min(maxSteps, Math.round((taken + ideal) / 2)));
    return { steps: taken, now };
  }

  channel.port1.onmessage = () => {
    scheduled = false;
    if (slice(timed)) wake();
  };

  return { wake };
}
