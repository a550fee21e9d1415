// The pair on two cores: the session's lab keeps the baseline and lends the
// smoothed model to a pool worker, which trains it in lockstep (the core's
// lockstep training): every slice, the worker gets what changed since the
// last one (the lab's resolution of that slice first, then the data, only
// the labels when only they changed, and ε), both sides run the same steps
// at once, and the lab combines its own with the worker's reply. The curves
// and every per-image number are those of training both models here.
//
// The worker is kept for the pair while training runs slice after slice;
// whenever a turn does not train (pause, images coming in, the search for
// mislabeled images), the model comes back (giveBack) and the worker takes
// other jobs again.
import { messageOf } from './post.js';

const SMOOTHED = 1;

/**
 * pool(): the pool (pool.js), or null before the module is compiled; lab:
 * lab.js's state; onLost(message): the lent model was lost and the run
 * starts again from its first weights.
 */
export function createPair({ pool, lab, onLost }) {
  let peer = null; // {entry, generation, owed}: the worker the model is lent to
  // Slices and give-backs run one after another: a give-back asked for while
  // a slice is in flight waits for its reply (and its resolution).
  let queue = Promise.resolve();
  let suspended = false; // while the pool changes size: no new lend
  const serial = (work) => {
    const next = queue.then(work);
    queue = next.catch(() => {});
    return next;
  };
  // What the last worker the pair used holds of the data, so that a project
  // that did not change is not copied to it again: {entry, generation, stamp}.
  let copy = null;

  function release() {
    if (peer && pool()?.alive(peer.entry)) pool().release(peer.entry);
    peer = null;
  }

  /** The lent model is gone with its worker: the run starts again here. */
  function lost(handle, why) {
    if (lab.handle === handle && handle.isLent(SMOOTHED)) {
      handle.restartRun();
      onLost(why);
    }
    copy = null;
    release();
  }

  /** The data the worker lacks: all of it, only the labels, or nothing. */
  function dataFor(handle, entry, generation) {
    const stamp = handle.dataStamp();
    const held = copy?.entry === entry && copy.generation === generation ? copy.stamp : null;
    copy = { entry, generation, stamp };
    if (held?.split(':')[0] !== stamp.split(':')[0]) return { snapshot: handle.snapshot() };
    if (held !== stamp) return { labels: handle.labelArrays() };
    return {};
  }

  async function slice(steps) {
    if (suspended && !peer) return null;
    const { handle, generation } = lab;
    handle.prepareTraining();
    if (peer && peer.generation !== generation) release(); // its model went with the old project
    if (peer && !pool().alive(peer.entry)) {
      lost(handle, 'it stopped between two slices');
      return { lost: true };
    }
    if (!peer) {
      // A model lent and no worker holding it cannot train anywhere.
      if (handle.isLent(SMOOTHED)) {
        lost(handle, 'no worker holds it any more');
        return { lost: true };
      }
      const entry = pool()?.reserve(copy?.entry);
      if (!entry) return null;
      peer = { entry, generation, owed: null };
    }
    const message = { model: SMOOTHED, max: steps, lend: null, resolution: null };
    if (!handle.isLent(SMOOTHED)) message.lend = handle.lendModel(SMOOTHED);
    else message.resolution = peer.owed;
    Object.assign(message, dataFor(handle, peer.entry, generation));
    message.epsilon = handle.epsilonOf(SMOOTHED);
    const moved = [message.lend, message.snapshot, message.labels].filter(Boolean).map((a) => a.buffer);
    const reply = pool().runOn(peer.entry, 'pairSlice', message, moved);
    peer.owed = null;
    try {
      handle.lockstepSteps(steps);
    } catch (e) {
      // The worker ran a slice this side did not: the two are out of step.
      reply.catch(() => {});
      lost(handle, messageOf(e));
      return { lost: messageOf(e) };
    }
    let bytes;
    try {
      bytes = await reply;
    } catch (e) {
      lost(handle, messageOf(e));
      return { lost: messageOf(e) };
    }
    // The project was replaced meanwhile: its handle is gone.
    if (lab.handle !== handle) return { void: true, steps: 0, epochs: 0, error: null };
    const out = JSON.parse(handle.lockstepFinish([bytes]));
    if (peer) peer.owed = out.void ? null : out.resolution;
    return out;
  }

  async function giveBack() {
    if (!peer) return;
    const { entry, owed } = peer;
    const { handle } = lab;
    if (!handle?.isLent(SMOOTHED) || peer.generation !== lab.generation) {
      release();
      return;
    }
    if (!pool().alive(entry)) {
      lost(handle, 'it stopped before giving the model back');
      return;
    }
    peer.owed = null;
    try {
      const bytes = await pool().runOn(entry, 'pairGiveBack', { resolution: owed });
      if (lab.handle === handle && handle.isLent(SMOOTHED)) handle.takeBackModel(SMOOTHED, bytes);
    } catch (e) {
      lost(handle, messageOf(e));
      return;
    }
    release();
  }

  return {
    /** Whether the model is lent now (a turn that does not train gives it back). */
    get holding() { return peer !== null; },

    /** Whether the next slice can train on two cores. */
    get available() { return peer !== null || (!suspended && (pool()?.size ?? 0) > 0); },

    /**
     * One slice of `steps` on both sides; a promise of the lab's
     * lockstepFinish answer ({resolution, steps, epochs, error, void}), or
     * null when no worker was free (the caller trains here instead), or
     * {lost: message} when the worker failed. Throws, before anything is
     * sent, why the data cannot be trained on.
     */
    slice: (steps) => serial(() => slice(steps)),

    /** Takes the model back (if it is still lent) and frees the worker. */
    giveBack: () => serial(giveBack),

    /**
     * Takes the model back and lends it to no worker until resume(): the
     * pool can then stop workers without losing it.
     */
    suspend() {
      suspended = true;
      return serial(giveBack);
    },
    resume() { suspended = false; },
  };
}
