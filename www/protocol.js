// The message protocol between the page (client.js) and the training worker
// (worker/main.js). This comment is the one place it is documented; both sides
// import the type names below, so a typo is an undefined constant, not a
// silently ignored message.
//
// Page → worker  ({type, ...})
//   loadSample    {seed, side, noise: {mode, rate, seed}, settings, epsilon}
//                 replace the project by the built-in 8×8 digits (side is
//                 kept for a user project that may follow)
//   newProject    {side, seed, settings, epsilon}   an empty RGB project
//   loadHumanSample {set, labels, flipLike, base, title, side, settings}
//                 replace the project by a CIFAR-10N sample (set: its folder
//                 under samples/ of the page's address `base`), given labels
//                 from `labels` (true, aggre, worse, random1–3) with the
//                 CIFAR-10 label as truth; flipLike: null, or a source whose
//                 count of wrong training labels is flipped at random from
//                 the truth instead. The project stays until every photo is
//                 fetched; answered by sampleLoading, then images as a drop
//   addFiles      {files: [{name, bytes: ArrayBuffer, className}], end}
//                 className is created when missing; bytes are transferred
//                 and kept by the worker (to rebuild at another image size);
//                 one drop may come in several batches, end marks its last
//   addClass      {name}
//   renameClass   {index, name}
//   removeClass   {index}                  removes its images too
//   move          {ids, classIndex, mode: "fix" | "mislabel"}
//                 fix: the new class is the truth; mislabel: truth is kept
//   removeImages  {ids}
//   injectNoise   {mode: "flip" | "uniform" | "pair", rate (0..1), seed}
//   clearNoise    {}
//   setEpsilon    {epsilon}                only the smoothed model, live
//   setInput      {input: "features" | "pixels"}   what the models see of a
//                 person's photos (the digits always show their pixels)
//   setCores      {cores: "auto" | n}     how many cores the lab may use: the
//                 session worker and n − 1 pool workers (worker/pool.js)
//   configure     {settings}               restarts both models from the seed
//   setImageSize  {side}                   re-adds every kept file at side×side
//   restart       {}                       new shared initial weights
//   play          {budget, seq}            train; pause after `budget` more epochs
//   pause         {seq}                    seq numbers play/pause commands
//   findIssues    {folds, epochs}          look for mislabeled images: k-fold
//                 cross-validation in slices, training paused meanwhile
//                 (it goes on afterwards if it was running)
//   cancelFind    {}                       stop the search; nothing is kept
//   sweep         {epsilons, seeds, epochs}   "Compare ε": for each seed
//                 (the lab's seed, +1, …) train one model per ε, all
//                 from that seed's weights on the same batches, on a copy of
//                 the project as it is now, in the background (on the pool);
//                 training goes on
//   cancelSweep   {}                       stop the sweep; nothing is kept
//   restore       {settings | null}        read the saved project back (with
//                 these training settings, or null for the saved ones);
//                 answered by `opened`
//   exportProject {}                       answered by `exported`
//   exportLosses  {}                       answered by `lossesCsv`
//   importProject {name, bytes: ArrayBuffer}   a project or ImageFolder zip
//                 replaces the project; its images come in like a drop
//
// Worker → page
//   ready         {limits}                 the wasm module is loaded; limits:
//                 the range of every setting (core::limits::Limits)
//   dataset       {dataset, generation, version, stepsPerEpoch, isSample, origin}
//                 after every change; dataset is datasetJson() parsed.
//                 generation changes when the session is rebuilt (ids are
//                 then new), version on every change. origin: null, or the
//                 CIFAR-10N sample the project was opened from {set, title,
//                 labels, flipped, leftOut, withOwnImages?}, withOwnImages once
//                 the person added images of their own to it
//   thumbnails    {generation, side, items: [{id, rgba: Uint8Array}]}
//   imageError    {fileName, message}      one bad file; the rest goes on
//   ingestDone    {added, failed, kind, name}   every file of one batch was
//                 tried; kind: "drop", "restore" (from storage), "import"
//                 (name: the zip's) or "sample" (name: the sample's title)
//   sampleLoading {title, done, total, finished}   photos of a sample fetched
//   reports       {reports, reset}         new points of the curves (reportsJson),
//                 each with its epoch (fractional between epoch ends);
//                 reset: the models restarted, drop the old history
//   losses        {version, epoch, baseline, smoothed, predBaseline,
//                  predSmoothed, calibration}  per image as of the last point
//                 (measured at `epoch`), datasetJson order, at
//                 most a few times a second; calibration: both models'
//                 held-out reliability tables (reliabilityJson)
//   dataMap       {generation, epoch, baseline, smoothed}   each model's data
//                 map (Dataset Cartography) after an epoch end or a label
//                 change, at most a few times a second: {values:
//                 Float32Array, ids: Uint32Array}, per training image 5
//                 values (confidence, variability, epochs counted, given,
//                 truth or −1; see the wasm dataMap) and its id
//   status        {playing, seq, epoch, stepsPerEpoch, stepsPerSecond, heapBytes, poolHeapBytes,
//                 trainingLanes (2: the last slice trained the smoothed model on a pool
//                 worker, in lockstep), pooledSlices (how many slices did)}
//                 seq: the last play/pause the worker had heard by then;
//                 heapBytes: the size of the wasm memory (it never shrinks);
//                 poolHeapBytes: each pool worker's, as of its last answer
//   error         {message, paused}        an action failed; paused is true
//                 when training stopped because of it
//   notice        {message}                something worth telling, not a fault
//   findProgress  {running, fold, folds, epoch, epochs, fraction}
//                 a few times a second while the search runs, and once
//                 with running false when it ends, fails or is cancelled
//   findings      {generation, folds, epochsPerFold, byFilter, pooledFolds}
//                 the search's result (pooledFolds: folds trained by pool
//                 workers); byFilter maps "prune_by_noise_rate"
//                 and "confident_joint" to findIssuesJson() parsed:
//                 {outOfSample: R, inSample: R | null}
//   sweepProgress {running, finished, reason, done, total, seedsDone, seeds,
//                 models, epochs}   done/total count epochs of every model
//   sweepResult   {generation, epochs, epsilons, seedList, classes, images,
//                 mislabeled, input, rows, perSeed}   rows: per ε {epsilon,
//                 peakAcc, finalAcc, ece, memorized}, each {mean, sd, min,
//                 max, n} (memorized null without mislabeled images);
//                 perSeed: per seed, per ε the same measures as numbers
//   opened        {found, source, name, settings, side, isSample}
//                 a project read back (source "storage") or imported
//                 ("zip"); found false: nothing was saved
//   exported      {bytes: Uint8Array, isSample}   the project zip
//   embedding     {done, total, pooled, lanes}   images read by the backbone
//                 so far, `pooled` of them by pool workers, on `lanes` cores
//                 (training waits until done === total)
//   lossesCsv     {csv, epoch}             every image's loss and prediction
//                 for both models at the last epoch end (core::csv)
//   storage       {ok, message, repeated, recovered}   how the last autosave
//                 went; message says why it failed

export const TO_WORKER = Object.freeze({
  loadSample: 'loadSample',
  newProject: 'newProject',
  loadHumanSample: 'loadHumanSample',
  addFiles: 'addFiles',
  addClass: 'addClass',
  renameClass: 'renameClass',
  removeClass: 'removeClass',
  move: 'move',
  removeImages: 'removeImages',
  injectNoise: 'injectNoise',
  clearNoise: 'clearNoise',
  setEpsilon: 'setEpsilon',
  setInput: 'setInput',
  setCores: 'setCores',
  configure: 'configure',
  setImageSize: 'setImageSize',
  restart: 'restart',
  play: 'play',
  pause: 'pause',
  findIssues: 'findIssues',
  cancelFind: 'cancelFind',
  sweep: 'sweep',
  cancelSweep: 'cancelSweep',
  restore: 'restore',
  exportProject: 'exportProject',
  exportLosses: 'exportLosses',
  importProject: 'importProject',
});

export const FROM_WORKER = Object.freeze({
  ready: 'ready',
  dataset: 'dataset',
  thumbnails: 'thumbnails',
  imageError: 'imageError',
  ingestDone: 'ingestDone',
  reports: 'reports',
  losses: 'losses',
  dataMap: 'dataMap',
  status: 'status',
  error: 'error',
  notice: 'notice',
  findProgress: 'findProgress',
  findings: 'findings',
  sweepProgress: 'sweepProgress',
  sweepResult: 'sweepResult',
  opened: 'opened',
  exported: 'exported',
  lossesCsv: 'lossesCsv',
  embedding: 'embedding',
  storage: 'storage',
  sampleLoading: 'sampleLoading',
});

export const MOVE_MODES = Object.freeze({ fix: 'fix', mislabel: 'mislabel' });
export const NOISE_MODES = Object.freeze(['flip', 'uniform', 'pair']);
export const MODELS = Object.freeze({ baseline: 'baseline', smoothed: 'smoothed' });
export const FIND_FILTERS = Object.freeze(['prune_by_noise_rate', 'confident_joint']);
