// How good the flags are, where the truth is known: precision (the share of
// flagged images that are truly mislabeled) and recall (the share of truly
// mislabeled images that were flagged), for the out-of-sample ranking and the
// baseline's own in-sample one side by side. Each card picks the list shown.
import { setFinderView, state } from '../state.js';

const RANKINGS = [
  { key: 'outOfSample', title: 'Out-of-sample', note: (f) => `${f.folds} folds × ${f.epochsPerFold} epochs; each image scored by a model that never saw it` },
  { key: 'inSample', title: 'In-sample', note: (f) => `the baseline's own view at epoch ${f.epoch ?? '?'}, trained on these very labels` },
];

const pct = (x) => `${(100 * x).toFixed(0)}%`;

export function renderQuality(root) {
  const f = state.finder.findings;
  root.replaceChildren(...RANKINGS.map(({ key, title, note }) => {
    const ranking = f.byFilter[state.finder.filter]?.[key] ?? null;
    const card = document.createElement('button');
    card.type = 'button';
    card.className = 'quality-card';
    card.dataset.ranking = key;
    card.setAttribute('aria-pressed', String(state.finder.ranking === key));
    card.disabled = !ranking;
    card.addEventListener('click', () => setFinderView({ ranking: key, cell: null }));
    const name = document.createElement('span');
    name.className = 'fact-label';
    name.textContent = title;
    card.append(name);
    const q = ranking?.quality;
    if (q) {
      const numbers = document.createElement('span');
      numbers.className = 'quality-numbers';
      numbers.append(metric('precision', q.precision), metric('recall', q.recall));
      const found = document.createElement('span');
      found.className = 'quality-found';
      found.textContent = `found ${q.hits} of ${q.mislabeled} known mislabeled · ${q.flagged} flagged`;
      card.append(numbers, found);
    } else {
      const none = document.createElement('span');
      none.className = 'quality-found';
      none.textContent = ranking
        ? `${ranking.issues.length} flagged · the true labels are unknown, so no precision or recall`
        : 'no trained baseline to ask yet';
      card.append(none);
    }
    const small = document.createElement('span');
    small.className = 'fact-note';
    small.textContent = note(f);
    card.append(small);
    return card;
  }));
}

function metric(label, value) {
  const box = document.createElement('span');
  box.className = 'quality-metric';
  box.dataset.metric = label;
  box.dataset.value = value.toFixed(4);
  const v = document.createElement('span');
  v.className = 'fact-big';
  v.textContent = pct(value);
  const l = document.createElement('span');
  l.className = 'quality-metric-label';
  l.textContent = label;
  box.append(v, l);
  return box;
}
