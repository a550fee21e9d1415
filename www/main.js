// Wiring: mounts each part of the page on its element, starts the training
// worker and the service worker that keeps the lab for offline use, and on
// load reads the saved project back or, when there is none,
// brings up the digits with label noise, training.
import { loadSample, openSaved, play } from './actions.js';
import { startWorker } from './client.js';
import { registerOffline } from './offline/register.js';
import { state, writeHash } from './state.js';
import { mountBuckets } from './ui/buckets.js';
import { mountCalibration } from './ui/calibration.js';
import { mountControls } from './ui/controls.js';
import { mountDataMap } from './ui/datamap.js';
import { mountDropzone } from './ui/dropzone.js';
import { mountExports } from './ui/exports.js';
import { mountGrid } from './ui/grid.js';
import { mountTouchDrag } from './ui/touch-drag.js';
import { mountLabelbar } from './ui/labelbar.js';
import { mountMeasured } from './ui/measured.js';
import { mountSweep } from './ui/sweep.js';
import { mountMessages } from './ui/messages.js';
import { mountNoise } from './ui/noise.js';
import { mountPlot } from './ui/plot.js';
import { mountProject } from './ui/project.js';
import { mountPureRatio } from './ui/pureratio.js';
import { mountReview } from './ui/review.js';
import { mountSamples } from './ui/samples.js';
import { mountSmoothing } from './ui/smoothing.js';

const $ = (selector) => document.querySelector(selector);

mountMessages($('#toasts'), $('#banner'));
mountControls($('#topbar'), $('#training'));
mountProject($('#topbar'), $('#confirm'));
mountSamples($('#open-samples'), $('#samples-dialog'), $('#sample-about'));
mountDropzone($('#drop-overlay'), $('#file-picker'), $('#folder-picker'));
mountBuckets($('#buckets'));
mountNoise($('#noise'));
mountSmoothing($('#smoothing'));
const plot = mountPlot($('#plot'));
mountExports($('#plot'), plot.panels);
mountPureRatio($('#pure-ratio'));
mountMeasured($('#measured-now'));
mountCalibration($('#calibration'));
mountSweep($('#sweep'));
const dataMap = mountDataMap($('#datamap'));
mountReview($('#review'));
mountLabelbar($('#images'));
mountGrid($('#images'));
mountTouchDrag($('#grid'), $('#bucket-list'));

// The address always carries every setting, so it can be copied as it is;
// a pasted link with other settings is a new run: start it from scratch.
const addressHasSettings = location.hash.length > 1;
writeHash();
window.addEventListener('hashchange', () => location.reload());

startWorker({
  ready: () => openSaved({ addressHasSettings }),
  nothingSaved: () => loadSample({ autoplay: true }),
  // The digits train on arrival, as on a first visit; a person's own
  // project waits for Train.
  restored: () => { if (state.isSample) play(); },
  // A photo sample trains once its photos are in (and read by the backbone).
  sampleLoaded: play,
});

registerOffline();

// Read-only handles for the end-to-end tests (and the curious console user).
window.__smoothlab = {
  state, plotPoints: plot.points, plotLossColumns: plot.lossColumns, dataMapAt: dataMap.positionOf,
};
