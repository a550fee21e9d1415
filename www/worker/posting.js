// What the page is sent about the project and its two models: the dataset
// after every change, thumbnails, new points of the curves and the
// per-image losses, each as often as the page needs it and no more, and the
// data map at epoch ends. It keeps what was last sent (the dataset version,
// how many points, when the losses went, which epoch the map is of) to know
// what is new.
import { MODELS, FROM_WORKER as OUT } from '../protocol.js';
import { post } from './post.js';

const LOSSES_EVERY_MS = 500; // per-image losses are bigger: twice a second
const DATASET_EVERY_MS = 300; // while files stream in

/** lab: the lab state (lab.js); changed(dataset) runs after each dataset post. */
export function createPosting({ lab, changed }) {
  let version = 0; // bumps on every dataset change
  let lastDatasetAt = 0;
  let reported = 0; // how many points of the curves the page has
  let resetPending = true;
  let lossesAt = -1; // the point count when the losses were last sent
  let lastLossesAt = 0;
  let mapOf = ''; // the epoch and dataset version of the data map last sent
  let lastMapAt = 0;

  function dataset() {
    const { handle } = lab;
    lastDatasetAt = performance.now();
    version += 1;
    let stepsPerEpoch = 0;
    try { stepsPerEpoch = handle.stepsPerEpoch(); } catch { /* nothing to train yet */ }
    const ds = lab.dataset();
    post(OUT.dataset, {
      dataset: ds,
      generation: lab.generation, version, stepsPerEpoch, isSample: lab.isSample, origin: lab.origin,
    });
    lossesAt = -1; // the page needs losses in the new image order
    changed(ds);
  }

  function thumbnails(items) {
    post(OUT.thumbnails, { generation: lab.generation, items }, items.map((it) => it.rgba.buffer));
  }

  return {
    dataset,
    /**
     * The whole dataset goes to the page a few times a second while files
     * stream in, not after every slice: for thousands of images it is the
     * bigger message.
     */
    datasetNowAndThen() {
      if (performance.now() - lastDatasetAt > DATASET_EVERY_MS) dataset();
    },
    thumbnails,
    allThumbnails() {
      const { handle } = lab;
      const ids = lab.dataset().images.map((img) => img.id);
      thumbnails(ids.map((id) => ({ id, rgba: handle.thumbnailRgba(id) })));
    },

    /** A new lab: its history starts over and its losses are new. */
    labReplaced() {
      resetPending = true;
      reported = 0;
      lossesAt = -1;
      mapOf = '';
    },
    /** Both models restarted: the page drops the old history. */
    modelsRestarted() {
      resetPending = true;
      mapOf = ''; // a new run may reach the old epoch before the next post
    },

    /** Posts the points not sent yet; returns true when the history restarted. */
    reports() {
      const { handle } = lab;
      const count = handle.reportCount();
      if (count < reported) resetPending = true;
      const reset = resetPending;
      if (reset) reported = 0;
      const reports = count > reported ? JSON.parse(handle.reportsJson(reported)) : [];
      if (reports.length || reset) post(OUT.reports, { reports, reset });
      resetPending = false;
      reported = count;
      return reset;
    },

    /**
     * Both models' data maps, when an epoch ended or the labels changed
     * since the last one sent (the map only moves at epoch ends; a relabel
     * starts an image over), at most every LOSSES_EVERY_MS unless forced.
     */
    dataMap(force) {
      const { handle } = lab;
      const epoch = handle.epoch();
      const key = `${epoch}:${version}`;
      const now = performance.now();
      if (key === mapOf || (!force && now - lastMapAt < LOSSES_EVERY_MS)) return;
      mapOf = key;
      lastMapAt = now;
      const maps = {};
      for (const model of Object.values(MODELS)) {
        maps[model] = { values: handle.dataMap(model), ids: handle.dataMapIds() };
      }
      post(OUT.dataMap, { generation: lab.generation, epoch, ...maps },
        Object.values(maps).flatMap((m) => [m.values.buffer, m.ids.buffer]));
    },

    /**
     * Per-image losses and predictions, and both models' held-out
     * reliability tables, at most every LOSSES_EVERY_MS unless forced. */
    losses(force) {
      const { handle } = lab;
      const points = handle.reportCount();
      const now = performance.now();
      if (!force && (points === lossesAt || now - lastLossesAt < LOSSES_EVERY_MS)) return;
      lossesAt = points;
      lastLossesAt = now;
      const reports = points ? JSON.parse(handle.reportsJson(points - 1)) : [];
      const epoch = reports.length ? reports[0].epoch : 0; // when they were measured
      const baseline = handle.lossesGiven('baseline');
      const smoothed = handle.lossesGiven('smoothed');
      const predBaseline = handle.predictions('baseline');
      const predSmoothed = handle.predictions('smoothed');
      const calibration = JSON.parse(handle.reliabilityJson());
      post(OUT.losses, { version, epoch, baseline, smoothed, predBaseline, predSmoothed, calibration },
        [baseline.buffer, smoothed.buffer, predBaseline.buffer, predSmoothed.buffer]);
    },
  };
}
