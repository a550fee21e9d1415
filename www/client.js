// Talks to the training worker: `send` posts a command, and every message
// that comes back is turned into a state change here (and only here).
import { FROM_WORKER as OUT, TO_WORKER as IN } from './protocol.js';
import { downloadBytes, stampedName } from './download.js';
import {
  addMessage, addReports, addThumbnails, adoptLimits, adoptProjectSettings, setEmbedding, setBanner, setDataset, setFindings,
  setDataMap, setFindProgress, setLosses, setReady, setSampleLoading, setStatus, setStorage, setSweepProgress,
  setSweepResult, state,
} from './state.js';

let worker = null;
const pending = []; // commands sent before the worker said ready
let hooks = { ready: () => {}, nothingSaved: () => {}, restored: () => {}, sampleLoaded: () => {} };

// The training stream (reports, losses, status) is applied in one go at most
// every STREAM_MS: every frame that changes something costs a repaint of the
// page, so a dozen well-filled frames a second beat many thin ones (and the
// plot still redraws more than 10 times a second).
const STREAM_MS = 60;
const stream = { reports: [], reset: false, losses: null, dataMap: null, status: null, timer: null };

function queue(update) {
  update(stream);
  if (stream.timer === null) stream.timer = setTimeout(flush, STREAM_MS);
}

function flush() {
  stream.timer = null;
  if (stream.reset || stream.reports.length) addReports(stream.reports, stream.reset);
  if (stream.losses) setLosses(stream.losses);
  if (stream.dataMap) setDataMap(stream.dataMap);
  if (stream.status) setStatus(stream.status);
  Object.assign(stream, { reports: [], reset: false, losses: null, dataMap: null, status: null });
}

const apply = {
  [OUT.ready]: ({ limits }) => {
    adoptLimits(limits);
    setReady();
    for (const [msg, transfer] of pending.splice(0)) worker.postMessage(msg, transfer);
    hooks.ready();
  },
  [OUT.dataset]: (m) => setDataset(m),
  [OUT.thumbnails]: (m) => addThumbnails(m.generation, m.items),
  [OUT.imageError]: (m) => addMessage('error', m.message.startsWith(m.fileName)
    ? m.message : `${m.fileName}: ${m.message}`),
  [OUT.ingestDone]: ({ added, failed, kind, name }) => {
    const images = `${added} image${added === 1 ? '' : 's'}`;
    const lead = { drop: `Added ${images}`, restore: `Restored your saved project: ${images}`,
      import: `Imported ${name}: ${images}`, sample: `Loaded ${name}: ${images}` }[kind] ?? `Added ${images}`;
    const parts = [lead];
    if (failed) parts.push(`${failed} file${failed === 1 ? '' : 's'} could not be read`);
    addMessage(failed ? 'warn' : 'info', `${parts.join('; ')}.`);
    if (kind === 'restore') hooks.restored();
    if (kind === 'sample') hooks.sampleLoaded();
  },
  [OUT.opened]: ({ found, settings, side, isSample }) => {
    if (!found) {
      hooks.nothingSaved();
      return;
    }
    adoptProjectSettings(settings, isSample ? undefined : side);
  },
  [OUT.exported]: ({ bytes, isSample }) => {
    downloadBytes(bytes, stampedName(isSample ? 'smoothlab-digits' : 'smoothlab-project', 'zip'),
      'application/zip');
  },
  [OUT.embedding]: (m) => setEmbedding(m),
  [OUT.sampleLoading]: ({ type, ...loading }) => setSampleLoading(loading),
  [OUT.lossesCsv]: ({ csv, epoch }) => {
    downloadBytes(new TextEncoder().encode(csv), stampedName(`smoothlab-losses-epoch-${epoch}`, 'csv'), 'text/csv');
  },
  [OUT.storage]: (m) => {
    setStorage(m);
    if (!m.ok && !m.repeated) {
      addMessage('error', `${m.message}: your work stays in this tab but is not saved. Export a .zip to keep it.`);
    }
    if (m.ok && m.recovered) addMessage('info', 'Saving works again: your project is saved in this browser.');
  },
  [OUT.reports]: (m) => queue((q) => {
    // What was measured before the restart and is still waiting here belongs
    // to the old models.
    if (m.reset) Object.assign(q, { reports: [], reset: true, losses: null, dataMap: null });
    q.reports.push(...m.reports);
  }),
  [OUT.losses]: (m) => queue((q) => { q.losses = m; }),
  [OUT.dataMap]: (m) => queue((q) => { q.dataMap = m; }),
  // A status sent before the worker heard our last play/pause is stale.
  [OUT.status]: (m) => { if (m.seq >= controlSeq) queue((q) => { q.status = m; }); },
  [OUT.notice]: (m) => addMessage('info', m.message),
  [OUT.findProgress]: ({ type, ...progress }) => setFindProgress(progress),
  [OUT.findings]: ({ type, ...findings }) => setFindings(findings),
  [OUT.sweepProgress]: ({ type, ...progress }) => setSweepProgress(progress),
  [OUT.sweepResult]: ({ type, ...result }) => setSweepResult(result),
  [OUT.error]: (m) => {
    if (m.paused) setBanner(`Training stopped: ${m.message}`);
    else addMessage('error', m.message);
    if (m.paused) queue((q) => { q.status = { ...(q.status ?? state), playing: false }; });
  },
};

/**
 * Starts the worker. Hooks: ready (the wasm module has loaded),
 * nothingSaved (no saved project to read back), restored (it was read back).
 */
export function startWorker(given) {
  hooks = { ...hooks, ...given };
  worker = new Worker(new URL('./worker/main.js', import.meta.url), { type: 'module' });
  worker.onmessage = ({ data }) => {
    const handler = apply[data.type];
    if (handler) handler(data);
  };
  worker.onerror = (e) => {
    e.preventDefault();
    setBanner(`The training worker failed: ${e.message || 'it could not start'}.`);
  };
  // First of all: the pool of wasm workers starts while the page loads.
  send(IN.setCores, { cores: state.settings.cores });
}

let controlSeq = 0;

/** Sends play or pause, numbered so that older status messages can be told apart. */
export function sendControl(type, payload = {}) {
  controlSeq += 1;
  stream.status = null; // whatever was pending predates this command
  send(type, { ...payload, seq: controlSeq });
}

/** Posts one command to the worker (queued until the worker is ready). */
export function send(type, payload = {}, transfer = []) {
  if (!(type in IN)) throw new Error(`unknown command ${type}`);
  const msg = { type, ...payload };
  if (state.ready) worker.postMessage(msg, transfer);
  else pending.push([msg, transfer]);
}
