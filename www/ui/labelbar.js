// The labeling toolbar: which kind of move a drag or a number key makes
// ("fix label": the new class becomes the truth; "mislabel on purpose": the
// truth is kept and the image counts as mislabeled), what is selected, and
// "Move to…" as the single-pointer alternative to dragging.
import { on, setMoveMode, state } from '../state.js';
import { wireSelectionActions } from './selection-actions.js';

export function mountLabelbar(root) {
  const modeButtons = [...root.querySelectorAll('[data-move-mode]')];
  const count = root.querySelector('#selection-count');
  const moveTo = root.querySelector('#move-to');
  const clear = root.querySelector('#clear-selection');
  const remove = root.querySelector('#remove-selected');
  const live = root.querySelector('#label-status');
  const help = root.querySelector('#mode-help');

  for (const b of modeButtons) b.addEventListener('click', () => setMoveMode(b.dataset.moveMode));
  wireSelectionActions({ moveTo, clear, remove });

  function renderMode() {
    for (const b of modeButtons) b.setAttribute('aria-pressed', String(b.dataset.moveMode === state.moveMode));
    document.body.dataset.moveMode = state.moveMode;
    help.textContent = state.moveMode === 'fix'
      ? 'Moving an image fixes its label: the new class becomes its true class.'
      : 'Moving an image mislabels it on purpose: its true class is kept, and it is marked mislabeled.';
  }

  function renderSelection() {
    const n = state.selection.size;
    count.textContent = n ? `${n} selected` : 'None selected';
    moveTo.disabled = !n;
    clear.disabled = !n;
    remove.disabled = !n;
  }

  function renderClasses() {
    const classes = state.dataset?.classes ?? [];
    const first = new Option('Move to…', '');
    first.disabled = true;
    moveTo.replaceChildren(first, ...classes.map((c, i) => new Option(i < 9 ? `${i + 1}  ${c}` : c, String(i))));
    moveTo.value = '';
    renderSelection();
  }

  // Says what the last change did, for screen readers and as a visible hint.
  let lastMislabeled = null;
  on('dataset', () => {
    const n = state.dataset?.mislabeled ?? 0;
    if (lastMislabeled !== null && n !== lastMislabeled) live.textContent = `${n} image${n === 1 ? '' : 's'} mislabeled now.`;
    lastMislabeled = n;
    renderClasses();
  });
  on('mode', renderMode);
  on('selection', renderSelection);
  renderMode();
  renderClasses();
}
