// The review panel: "Find mislabeled images" with its folds and epochs, the
// search's progress, then the flagged images (ui/review-grid.js) beside the
// confusion matrix of given vs suggested class (ui/confusion.js), under the
// precision and recall of both rankings (ui/quality.js).
import { cancelFind, findIssues } from '../actions.js';
import { limit } from '../settings.js';
import { addMessage, on, setFinderView, state } from '../state.js';
import { renderConfusion } from './confusion.js';
import { currentRanking, openIssues } from './flagged.js';
import { renderQuality } from './quality.js';
import { mountReviewGrid } from './review-grid.js';
import { wholeNumber } from './whole-number.js';


export function mountReview(root) {
  const form = root.querySelector('#find-form');
  const folds = root.querySelector('#find-folds');
  const epochs = root.querySelector('#find-epochs');
  const run = root.querySelector('#find-run');
  const cancel = root.querySelector('#find-cancel');
  const progressBox = root.querySelector('#find-progress');
  const bar = root.querySelector('#find-bar');
  const status = root.querySelector('#find-status');
  const results = root.querySelector('#review-results');
  const summary = root.querySelector('#review-summary');
  const quality = root.querySelector('#review-quality');
  const filter = root.querySelector('#review-filter');
  const count = root.querySelector('#review-count');
  const showAll = root.querySelector('#review-all');
  const confusion = root.querySelector('#review-confusion');
  const grid = mountReviewGrid(root);


  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const [foldBound, epochBound] = [limit('folds'), limit('foldEpochs')];
    if (!foldBound || !epochBound) return; // the worker is still loading
    const k = wholeNumber(folds, foldBound.min, foldBound.max);
    const n = wholeNumber(epochs, epochBound.min, epochBound.max);
    if (k === undefined || n === undefined) {
      addMessage('error', `Folds: a whole number from ${foldBound.min} to ${foldBound.max}; epochs per fold: from ${epochBound.min} to ${epochBound.max}.`);
      return;
    }
    findIssues(k, n);
  });
  cancel.addEventListener('click', cancelFind);
  filter.addEventListener('change', () => setFinderView({ filter: filter.value, cell: null }));
  showAll.addEventListener('click', () => setFinderView({ cell: null }));

  function renderProgress() {
    const p = state.finder.progress;
    const running = Boolean(p?.running);
    run.disabled = running || !state.dataset?.images.length;
    cancel.hidden = !running;
    progressBox.hidden = !p;
    root.dataset.finding = String(running);
    if (!p) return;
    bar.value = p.fraction;
    const fold = Math.min(p.fold + 1, p.folds);
    if (running) status.textContent = `Fold ${fold} of ${p.folds} · epoch ${Math.min(p.epoch + 1, p.epochs)} of ${p.epochs} · ${Math.round(100 * p.fraction)}%`;
    else if (p.done) status.textContent = `Done: ${p.folds} folds × ${p.epochs} epochs`;
    else status.textContent = 'Stopped';
  }

  function renderResults() {
    const f = state.finder.findings;
    results.hidden = !f;
    if (!f) {
      summary.textContent = '';
      grid.render([]);
      return;
    }
    filter.value = state.finder.filter;
    renderQuality(quality);
    const ranking = currentRanking();
    const { open, shown } = openIssues();
    const cell = state.finder.cell;
    const flagged = ranking?.issues.length ?? 0;
    const done = flagged - open.length;
    summary.textContent = `${open.length} to review${done ? ` · ${done} handled` : ''}`;
    const classes = state.dataset.classes;
    count.textContent = cell
      ? `${shown.length} given “${classes[cell.given]}”, suggested “${classes[cell.suggested]}”`
      : `${open.length} flagged, the most doubtful first`;
    showAll.hidden = !cell;
    renderConfusion(confusion, open);
    grid.render(shown);
  }

  // The inputs' ranges are the core's (they arrive with the worker).
  on('settings', () => {
    for (const [input, name] of [[folds, 'folds'], [epochs, 'foldEpochs']]) {
      const bound = limit(name);
      if (bound) Object.assign(input, { min: String(bound.min), max: String(bound.max) });
    }
  });
  on('findProgress status dataset', renderProgress);
  on('finder dataset', renderResults);
  let thumbsPending = false;
  on('thumbs', () => {
    if (thumbsPending) return;
    thumbsPending = true;
    requestAnimationFrame(() => { thumbsPending = false; grid.repaint(); });
  });
  renderProgress();
  renderResults();
}
