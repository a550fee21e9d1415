// The buttons that act on the selected images, wherever a panel shows them
// (the labeling toolbar over the grid, the data map): "Move to…" a class,
// clear the selection, remove the images. One selection (state.selection)
// serves them all, so each only wires its controls here.
import { moveImages, removeImages } from '../actions.js';
import { setSelection, state } from '../state.js';

/** moveTo: a <select> of class indices (its first option is a prompt). */
export function wireSelectionActions({ moveTo, clear, remove }) {
  clear.addEventListener('click', () => setSelection([]));
  remove.addEventListener('click', () => removeImages(state.selection));
  moveTo.addEventListener('change', () => {
    const index = Number(moveTo.value);
    moveTo.value = '';
    if (Number.isInteger(index) && state.selection.size) moveImages(state.selection, index);
  });
}
