// Long work in the worker (training, the search for mislabeled images) runs
// as a step-and-yield loop: one slice of steps at a time, each steered
// towards SLICE_MS, well under the page's 20 ms budget, and a yield to the
// event loop between slices so that messages get in. This is the one place
// that loop is written; training.js and finder.js each run one.

const SLICE_MS = 12;

/**
 * A step-and-yield loop. wake() asks for one turn (asking again before it
 * ran asks once); a turn calls slice(timed), which returns true to go on,
 * or a promise of that (a slice that waits for a pool worker: no other turn
 * starts until it settles). Inside it, timed(work) runs work(steps), steps
 * being the count steered towards SLICE_MS, from firstSteps, at most maxSteps.
 */
export function createPacedLoop({ slice, firstSteps = 1, maxSteps }) {
  let steps = firstSteps;
  let scheduled = false;
  let running = false; // a turn's promise has not settled yet
  let again = false; // woken meanwhile
  // A MessageChannel yields to the event loop without setTimeout's 4 ms clamp.
  const channel = new MessageChannel();

  function wake() {
    if (running) {
      again = true;
      return;
    }
    if (scheduled) return;
    scheduled = true;
    channel.port2.postMessage(null);
  }

  function steer(taken, start, now) {
    const ideal = (taken * SLICE_MS) / Math.max(now - start, 0.05);
    steps = Math.max(1, Math.min(maxSteps, Math.round((taken + ideal) / 2)));
  }

  /**
   * Runs work(steps) and steers the next count towards SLICE_MS, halfway
   * each time so that one slow slice (an epoch-end evaluation) does not
   * swing it wildly. Returns the steps taken and when the slice ended, or a
   * promise of them when work returns one; work may answer with the number
   * of steps it really took (a slice that stops at a point of the curves).
   * Work that throws leaves the count as it was.
   */
  function timed(work) {
    const asked = steps;
    const start = performance.now();
    const done = (value) => {
      const now = performance.now();
      const taken = typeof value === 'number' ? value : asked;
      if (taken > 0) steer(taken, start, now);
      return { steps: taken, now, value };
    };
    const result = work(asked);
    return result && typeof result.then === 'function' ? result.then(done) : done(result);
  }

  // A turn runs alone: a wake() while it runs (even from inside it) asks
  // for the next turn once it has ended.
  function ended(more) {
    running = false;
    const wanted = more || again;
    again = false;
    if (wanted) wake();
  }

  channel.port1.onmessage = () => {
    scheduled = false;
    running = true;
    let more;
    try {
      more = slice(timed);
    } catch (e) {
      ended(false);
      throw e;
    }
    if (more && typeof more.then === 'function') more.then((m) => m, () => true).then(ended);
    else ended(more);
  };

  return { wake };
}
