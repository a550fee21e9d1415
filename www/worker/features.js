// What the models see for a person's photos: the 1280 features of a frozen
// ImageNet backbone (EfficientNet-Lite0, in the wasm core), computed once
// per image from its original file and kept by image id, in place of the
// pixels, which carry too little for a small model to learn what a cat is.
// The built-in digits, and a project whose person chose raw pixels, keep the
// pixels. While images wait for their features training waits too; they are
// read in drop order on every core: jobs go to the pool of wasm workers
// (pool.js) while it has room, and the session worker reads a few itself
// between the loop's turns, with progress to the page. Every lane runs the
// same compiled module, so the features do not depend on which one read them.
//
// The weights are fetched while the page loads (after that the page makes
// no request at all) and built into a Backbone on first use.
import { Backbone } from '../pkg/smoothlab.js';
import { FROM_WORKER as OUT } from '../protocol.js';
import { decodeInBrowser } from './browser-decode.js';
import { messageOf, post } from './post.js';

export const FEATURES = 1280;
const SIDE = 128; // about 3× cheaper than 224 for about a point of accuracy
const BUDGET_MS = 25; // images read per turn: at least one, then until this
const PROGRESS_EVERY_MS = 200;
// Photos this large are decoded by the browser, as they are on the way in.
const BROWSER_DECODE_PIXELS = 1_000_000;

const weights = fetch(new URL('../../data/backbone/efficientnet-lite0.bin', import.meta.url))
  .then((r) => {
    if (!r.ok) throw new Error(`the backbone's weights could not be loaded (HTTP ${r.status})`);
    return r.arrayBuffer();
  });
weights.catch(() => {}); // reported when first needed

/**
 * lab: lab.js; posting: posting.js; wake(): runs the worker's loop;
 * adding(): whether files are still being added (the features are then
 * applied once they are all in); pool(): the pool of wasm workers, once the
 * wasm module has loaded.
 */
export function createFeatures({ lab, posting, wake, adding, pool }) {
  let mode = 'features'; // for a person's photos: 'features' | 'pixels'
  let backbone = null;
  let weightBytes = null;
  let cache = new Map(); // image id → Float32Array, for the lab of `generation`
  let generation = -1;
  let waiting = []; // ids still to read, in dataset order
  let inFlight = new Set(); // ids a pool worker is reading
  let retry = []; // ids a pool worker failed on: the session worker reads them (with its fallbacks)
  let sharedWeights = false; // the pool has the weights
  let total = 0;
  let pooled = 0; // of the `total`, read by a pool worker
  let lastProgressAt = 0;
  let broken = null; // why the backbone cannot run
  // The images as of the last check (every change of the dataset is checked).
  let seen = { live: new Set(), side: 0 };
  let decoding = null; // the id of a photo the browser is decoding for the backbone
  const decoded = new Map(); // id → side×side RGBA from the browser, or null: use the crate

  weights.then((b) => { weightBytes = new Uint8Array(b); wake(); }, (e) => { broken = messageOf(e); });

  const wanted = () => lab.handle && !lab.isSample && mode === 'features' && !broken;

  function sameLab() {
    if (generation !== lab.generation) {
      cache = new Map();
      generation = lab.generation;
      waiting = [];
      inFlight = new Set();
      retry = [];
      total = 0;
      pooled = 0;
      decoded.clear();
      decoding = null;
      seen = { live: new Set(), side: 0 };
    }
  }

  function progress(force) {
    const now = performance.now();
    if (!force && now - lastProgressAt < PROGRESS_EVERY_MS) return;
    lastProgressAt = now;
    post(OUT.embedding, { done: total - left(), total, pooled, lanes: 1 + (pool()?.size ?? 0) });
  }

  const left = () => waiting.length + inFlight.size + retry.length;

  function fail(message) {
    broken = message;
    waiting = [];
    inFlight = new Set();
    retry = [];
    post(OUT.error, { message: `${message}; the models see the raw pixels instead.`, paused: false });
    progress(true);
  }

  // Every image has its features: the models see them (in dataset order).
  function apply(images) {
    const values = new Float32Array(images.length * FEATURES);
    images.forEach((img, i) => values.set(cache.get(img.id), i * FEATURES));
    lab.handle.setFeatures(FEATURES, values);
    posting.modelsRestarted();
    posting.dataset();
  }

  // A large photo goes to the browser's decoder first (asynchronously): true
  // while it is being decoded, and the loop is woken when it is done.
  function decodeFirst(id, file) {
    if (decoded.has(id)) return false;
    if (decoding === id) return true;
    let probe = null;
    try {
      probe = JSON.parse(lab.handle.probeImageJson(file.name, file.bytes));
    } catch {
      return false; // the crate's decoder words what is wrong
    }
    if (probe.width * probe.height < BROWSER_DECODE_PIXELS) return false;
    decoding = id;
    const forLab = lab.generation;
    decodeInBrowser(file.bytes, SIDE, probe).then((rgba) => {
      if (forLab !== lab.generation) return; // its lab is gone (ids start again)
      decoded.set(id, rgba);
      decoding = null;
      wake();
    });
    return true;
  }

  // The session worker's own read of an image, with every fallback: the
  // browser's decode, the file, and last the lab's own pixels.
  function embedOne(id, side) {
    const file = lab.files.get(id);
    const rgba = decoded.get(id);
    decoded.delete(id);
    if (rgba) return backbone.embedRgba(rgba, SIDE);
    if (file) {
      try {
        return backbone.embedFile(file.name, file.bytes);
      } catch { /* the lab's own pixels below */ }
    }
    return backbone.embedRgba(lab.handle.thumbnailRgba(id), side);
  }

  // What a pool worker needs to read an image (the file's bytes are copied:
  // the lab keeps them).
  function jobFor(id, side) {
    const rgba = decoded.get(id);
    decoded.delete(id);
    if (rgba) return { rgba, size: SIDE };
    const file = lab.files.get(id);
    if (file) return { name: file.name, bytes: file.bytes };
    return { rgba: lab.handle.thumbnailRgba(id), size: side };
  }

  // The next image to read, in drop order, or null when there is none or
  // the first waits for the browser's decode.
  function takeNext() {
    const { live } = seen;
    while (waiting.length) {
      const id = waiting[0];
      const file = lab.files.get(id);
      if (live.has(id) && !cache.has(id) && file && decodeFirst(id, file)) return null;
      waiting.shift();
      if (live.has(id) && !cache.has(id) && !inFlight.has(id)) return id;
    }
    return null;
  }

  // Hands images to the pool while it has room.
  function dispatch() {
    const workers = pool();
    if (!workers?.size) return;
    if (!sharedWeights) {
      workers.share('backbone', { weights: weightBytes, side: SIDE });
      sharedWeights = true;
    }
    while (workers.hasRoom) {
      const id = takeNext();
      if (id === null) return;
      const forLab = lab.generation;
      inFlight.add(id);
      workers.run('embed', jobFor(id, seen.side)).then(
        (values) => landed(forLab, id, values),
        () => landed(forLab, id, null),
      );
    }
  }

  // A pool worker's answer; null: it failed, the session worker tries.
  function landed(forLab, id, values) {
    if (forLab !== lab.generation || !inFlight.delete(id)) return;
    if (values) {
      cache.set(id, values);
      pooled += 1;
    } else {
      retry.push(id);
    }
    dispatch();
    progress(!left());
    if (!left()) api.check();
    wake(); // training waits for the features: it may go on now
  }

  const api = {
    get mode() { return mode; },
    /** True while images wait for their features (training waits too). */
    get pending() { return left() > 0 && wanted(); },
    /**
     * Whether embedSome() has work now (not only a browser decode or the
     * pool's answers to wait for).
     */
    get runnable() {
      return this.pending && weightBytes !== null && (retry.length > 0 || (waiting.length > 0 && decoding === null));
    },
    cached: (id) => (generation === lab.generation ? cache.get(id) : undefined),

    /** The person's choice: 'features' or 'pixels'. */
    setMode(next) {
      mode = next === 'pixels' ? 'pixels' : 'features';
      this.check();
    },

    /** Features read back from storage for the lab just opened. */
    adopt(stored) {
      sameLab();
      for (const [id, values] of stored) if (values?.length === FEATURES) cache.set(id, values);
    },

    /**
     * After every change of the dataset (`ds`: its datasetJson, parsed, when
     * the caller has it): what is missing, and whether the models see features.
     */
    check(ds = lab.handle && lab.dataset()) {
      if (!lab.handle) return;
      sameLab();
      seen = { live: new Set(ds.images.map((img) => img.id)), side: ds.side };
      if (!wanted()) {
        waiting = [];
        inFlight = new Set(); // their answers are dropped
        retry = [];
        if (ds.input === 'features') {
          lab.handle.clearFeatures();
          posting.modelsRestarted();
          posting.dataset();
        }
        return;
      }
      const missing = ds.images.filter((img) => !cache.has(img.id)).map((img) => img.id);
      if (missing.length) {
        if (!left()) {
          total = 0;
          pooled = 0;
        }
        const known = new Set([...waiting, ...inFlight, ...retry]);
        for (const id of missing) if (!known.has(id)) { waiting.push(id); total += 1; }
        progress(true);
        wake();
      } else if (ds.input !== 'features' && ds.images.length && !adding()) {
        waiting = [];
        apply(ds.images);
      }
    },

    /** Reads a few images (one turn of the worker's loop). */
    embedSome() {
      if (!weightBytes) return; // still loading: the fetch wakes the loop
      try {
        backbone ??= new Backbone(weightBytes, SIDE);
      } catch (e) {
        fail(`The image backbone could not start (${messageOf(e)})`);
        return;
      }
      const { side } = seen;
      const start = performance.now();
      dispatch();
      while (performance.now() - start < BUDGET_MS) {
        const id = retry.length ? retry.shift() : takeNext();
        if (id === null) break;
        try {
          cache.set(id, embedOne(id, side));
        } catch (e) {
          fail(`The image backbone failed (${messageOf(e)})`);
          return;
        }
      }
      progress(!left());
      if (!left()) this.check();
    },
  };
  return api;
}
