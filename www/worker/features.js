// What the models see for a person's photos: the 1280 features of a frozen
// ImageNet backbone (EfficientNet-Lite0, in the wasm core), computed once
// per image from its original file and kept by image id, in place of the
// pixels, which carry too little for a small model to learn what a cat is.
// The built-in digits, and a project whose person chose raw pixels, keep the
// pixels. While images wait for their features training waits too; they are
// read a few at a time between the loop's turns, with progress to the page.
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
 * applied once they are all in).
 */
export function createFeatures({ lab, posting, wake, adding }) {
  let mode = 'features'; // for a person's photos: 'features' | 'pixels'
  let backbone = null;
  let weightBytes = null;
  let cache = new Map(); // image id → Float32Array, for the lab of `generation`
  let generation = -1;
  let waiting = []; // ids still to read, in dataset order
  let total = 0;
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
      total = 0;
      decoded.clear();
      decoding = null;
      seen = { live: new Set(), side: 0 };
    }
  }

  function progress(force) {
    const now = performance.now();
    if (!force && now - lastProgressAt < PROGRESS_EVERY_MS) return;
    lastProgressAt = now;
    post(OUT.embedding, { done: total - waiting.length, total });
  }

  function fail(message) {
    broken = message;
    waiting = [];
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

  return {
    get mode() { return mode; },
    /** True while images wait for their features (training waits too). */
    get pending() { return waiting.length > 0 && wanted(); },
    /** Whether embedSome() has work now (not only a browser decode to wait for). */
    get runnable() { return this.pending && decoding === null && weightBytes !== null; },
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
        if (ds.input === 'features') {
          lab.handle.clearFeatures();
          posting.modelsRestarted();
          posting.dataset();
        }
        return;
      }
      const missing = ds.images.filter((img) => !cache.has(img.id)).map((img) => img.id);
      if (missing.length) {
        if (!waiting.length) total = 0;
        const known = new Set(waiting);
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
      const { live, side } = seen;
      const start = performance.now();
      do {
        const id = waiting[0];
        const file = lab.files.get(id);
        if (live.has(id) && !cache.has(id) && file && decodeFirst(id, file)) break;
        waiting.shift();
        if (!live.has(id) || cache.has(id)) continue;
        try {
          cache.set(id, embedOne(id, side));
        } catch (e) {
          fail(`The image backbone failed (${messageOf(e)})`);
          return;
        }
      } while (waiting.length && performance.now() - start < BUDGET_MS);
      progress(!waiting.length);
      if (!waiting.length) this.check();
    },
  };
}
