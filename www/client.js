// Talks to the training worker: `send` posts a command, and every message
// that comes back is turned into a state change here (and only here).
import { FROM_WORKER as OUT, TO_WORKER as IN } from './protocol.js';
import {
  addMessage, addReports, addThumbnails, setBanner, setDataset, setLosses,
  setReady, setStatus, state,
} from './state.js';

let worker = null;
const pending = []; // commands sent before the worker said ready
let onReady = () => {};

const apply = {
  [OUT.ready]: () => {
    setReady();
    for (const [msg, transfer] of pending.splice(0)) worker.postMessage(msg, transfer);
    onReady();
  },
  [OUT.dataset]: (m) => setDataset(m),
  [OUT.thumbnails]: (m) => addThumbnails(m.generation, m.items),
  [OUT.imageError]: (m) => addMessage('error', m.message.startsWith(m.fileName)
    ? m.message : `${m.fileName}: ${m.message}`),
  [OUT.ingestDone]: ({ added, failed }) => {
    const parts = [`Added ${added} image${added === 1 ? '' : 's'}`];
    if (failed) parts.push(`${failed} file${failed === 1 ? '' : 's'} could not be read`);
    addMessage(failed ? 'warn' : 'info', `${parts.join('; ')}.`);
  },
  [OUT.reports]: (m) => addReports(m.reports, m.reset),
  [OUT.losses]: (m) => setLosses(m),
  [OUT.status]: (m) => setStatus(m),
  [OUT.notice]: (m) => addMessage('info', m.message),
  [OUT.error]: (m) => {
    if (m.paused) setBanner(`Training stopped: ${m.message}`);
    else addMessage('error', m.message);
    if (m.paused) setStatus({ ...state, playing: false });
  },
};

/** Starts the worker; `ready` runs once the wasm module has loaded. */
export function startWorker(ready) {
  onReady = ready;
  worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  worker.onmessage = ({ data }) => {
    const handler = apply[data.type];
    if (handler) handler(data);
  };
  worker.onerror = (e) => {
    e.preventDefault();
    setBanner(`The training worker failed: ${e.message || 'it could not start'}.`);
  };
}

/** Posts one command to the worker (queued until the worker is ready). */
export function send(type, payload = {}, transfer = []) {
  if (!(type in IN)) throw new Error(`unknown command ${type}`);
  const msg = { type, ...payload };
  if (state.ready) worker.postMessage(msg, transfer);
  else pending.push([msg, transfer]);
}
