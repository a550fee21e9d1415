// "Compare ε": a sweep of several ε over several seeds, in the background on
// the pool, answering "does smoothing help here, and by how much?" with the
// spread over seeds beside every mean. Every seed uses the same held-out
// split and the same label noise; the seed changes the initial weights and
// the order of the batches, and every ε of a seed starts from the same
// weights on the same batches, so the comparison between ε is paired.
import { cancelSweep, startSweep } from '../actions.js';
import { addMessage, on, state } from '../state.js';
import { percent } from './percent.js';
import { measurePanel } from './sweep-plot.js';
import { wholeNumber } from './whole-number.js';

export const DEFAULT_SWEEP = Object.freeze({ epsilons: '0, 0.05, 0.1, 0.2, 0.3, 0.5', seeds: 3, epochs: 30 });
const LIMITS = { seeds: [1, 10], epochs: [1, 500], epsilons: [2, 12] };

const MEASURES = [
  { key: 'finalAcc', title: 'final held-out accuracy', higher: true },
  { key: 'peakAcc', title: 'peak held-out accuracy', higher: true },
  { key: 'ece', title: 'calibration error (ECE)', higher: false },
  { key: 'memorized', title: 'mislabeled images memorised', higher: false, chance: true },
];

const pct = (v) => percent(v, 1);

/** ε values from "0, 0.1, 0.3": sorted, distinct, each in [0, 1). */
export function parseEpsilons(text) {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  const values = parts.map(Number);
  if (!parts.length || values.some((v) => !Number.isFinite(v) || v < 0 || v >= 1)) return null;
  return [...new Set(values)].sort((a, b) => a - b);
}

/**
 * The plain verdict on one measure: the best ε against ε = 0, paired seed by
 * seed (both start from the same weights and batches), and whether that
 * difference exceeds the spread between seeds.
 */
export function verdict(result, measure) {
  const rows = result.rows.filter((r) => r[measure.key]);
  const base = rows.find((r) => r.epsilon === 0);
  if (!base || rows.length < 2) return '';
  const better = (a, b) => (measure.higher ? a > b : a < b);
  // The best smoothed ε, set against no smoothing.
  const best = rows.filter((r) => r !== base)
    .reduce((a, b) => (better(b[measure.key].mean, a[measure.key].mean) ? b : a));
  const i = result.epsilons.indexOf(best.epsilon);
  const j = result.epsilons.indexOf(0);
  const wins = result.perSeed.filter((seed) => better(seed[i][measure.key], seed[j][measure.key])).length;
  const n = result.perSeed.length;
  const diff = best[measure.key].mean - base[measure.key].mean;
  const overlap = best[measure.key].min <= base[measure.key].max && base[measure.key].min <= best[measure.key].max;
  const sign = diff >= 0 ? '+' : '−';
  const points = `${sign}${(Math.abs(diff) * 100).toFixed(1)} points`;
  const seeds = `${wins} of ${n} seed${n === 1 ? '' : 's'}`;
  const better0 = better(best[measure.key].mean, base[measure.key].mean);
  const head = better0
    ? `${measure.title}: best at ε = ${best.epsilon} (${pct(best[measure.key].mean)}) against `
      + `${pct(base[measure.key].mean)} without smoothing, ${points}; ${measure.higher ? 'higher' : 'lower'} on ${seeds}`
    : `${measure.title}: no ε did better than none (${pct(base[measure.key].mean)}); the closest, `
      + `ε = ${best.epsilon}, gave ${pct(best[measure.key].mean)} (${points}), better on ${seeds}`;
  if (n < 2) return `${head}. One seed cannot tell an effect from chance.`;
  return overlap ? `${head}, and the seeds' ranges overlap: no clear difference.`
    : `${head}, and the seeds' ranges do not overlap.`;
}

function resultTable(result) {
  const table = document.createElement('table');
  table.className = 'sweep-table';
  const cap = table.createCaption();
  cap.textContent = `Mean over ${result.perSeed.length} seeds (lowest–highest), ${result.epochs} epochs each`;
  const head = table.createTHead().insertRow();
  for (const h of ['ε', ...MEASURES.map((m) => m.title)]) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = h;
    head.append(th);
  }
  const body = table.createTBody();
  for (const r of result.rows) {
    const row = body.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = String(r.epsilon);
    row.append(th);
    for (const m of MEASURES) {
      const s = r[m.key];
      row.insertCell().textContent = s ? `${pct(s.mean)} (${pct(s.min)}–${pct(s.max)})` : '—';
    }
  }
  return table;
}

export function mountSweep(root) {
  const form = root.querySelector('#sweep-form');
  const epsInput = root.querySelector('#sweep-eps');
  const seedsInput = root.querySelector('#sweep-seeds');
  const epochsInput = root.querySelector('#sweep-epochs');
  const run = root.querySelector('#sweep-run');
  const stop = root.querySelector('#sweep-stop');
  const progressBox = root.querySelector('#sweep-progress');
  const bar = root.querySelector('#sweep-bar');
  const status = root.querySelector('#sweep-status');
  const results = root.querySelector('#sweep-results');
  const plots = root.querySelector('#sweep-plots');
  const verdicts = root.querySelector('#sweep-verdicts');
  const tableBox = root.querySelector('#sweep-table');
  const about = root.querySelector('#sweep-about');


  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const epsilons = parseEpsilons(epsInput.value);
    const okEps = epsilons && epsilons.length >= LIMITS.epsilons[0] && epsilons.length <= LIMITS.epsilons[1];
    epsInput.setAttribute('aria-invalid', String(!okEps));
    const seeds = wholeNumber(seedsInput, ...LIMITS.seeds);
    const epochs = wholeNumber(epochsInput, ...LIMITS.epochs);
    if (!okEps || seeds === undefined || epochs === undefined) {
      addMessage('error', `Compare ε: ${LIMITS.epsilons[0]} to ${LIMITS.epsilons[1]} values of ε from 0 to below 1, `
        + `separated by commas; seeds a whole number from ${LIMITS.seeds[0]} to ${LIMITS.seeds[1]}; `
        + `epochs from ${LIMITS.epochs[0]} to ${LIMITS.epochs[1]}.`);
      return;
    }
    startSweep({ epsilons, seeds, epochs });
  });
  stop.addEventListener('click', cancelSweep);

  function renderProgress() {
    const p = state.sweep.progress;
    const running = Boolean(p?.running);
    run.disabled = running || !state.ready || !state.dataset?.images.length;
    stop.hidden = !running;
    root.dataset.sweeping = String(running);
    progressBox.hidden = !p;
    if (!p) return;
    bar.value = p.total ? p.done / p.total : 0;
    if (running) status.textContent = `${p.seedsDone} of ${p.seeds} seeds done · ${p.models} models each · ${Math.round(100 * bar.value)}%`;
    else if (p.finished) status.textContent = `Done: ${p.seeds} seeds × ${p.models} models × ${p.epochs} epochs`;
    else status.textContent = p.reason ? `Stopped: ${p.reason}` : 'Stopped';
  }

  function renderResults() {
    const r = state.sweep.result;
    results.hidden = !r;
    root.dataset.sweepDone = String(Boolean(r));
    if (!r) return;
    const k = Math.max(2, r.classes);
    plots.replaceChildren(...MEASURES.filter((m) => r.rows.every((row) => row[m.key])).map((m) => {
      const figure = document.createElement('figure');
      figure.className = 'sweep-figure';
      figure.dataset.measure = m.key;
      figure.append(measurePanel(m.title, r.rows.map((row) => ({ epsilon: row.epsilon, spread: row[m.key] })),
        { chance: m.chance ? 1 / k : undefined }));
      return figure;
    }));
    verdicts.replaceChildren(...MEASURES.map((m) => verdict(r, m)).filter(Boolean).map((text) => {
      const li = document.createElement('li');
      li.textContent = text;
      return li;
    }));
    tableBox.replaceChildren(resultTable(r));
    about.textContent = `${r.images} training images (${r.mislabeled} mislabeled), ${r.input === 'features' ? 'pretrained features' : 'raw pixels'}; `
      + `seeds ${r.seedList.join(', ')}. Dots: mean; bars: lowest to highest seed; dashed: ε = 0's mean`
      + `${r.rows.every((row) => row.memorized) ? `; dotted: a guess (1 in ${k})` : ''}.`;
  }

  on('sweep status dataset', renderProgress);
  on('sweep', renderResults);
  renderProgress();
  renderResults();
}
