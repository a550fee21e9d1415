// Dragging thumbnails: what a drag carries and which kind of move a drop
// makes. The toolbar's mode decides; holding Shift (or Alt) while dropping
// makes the other kind of move, so both are one gesture away.
import { state } from '../state.js';

export const IDS_TYPE = 'application/x-smoothlab-ids';

/** The move a drop makes: the current mode, flipped by Shift or Alt. */
export function dropMode(event) {
  const flip = event.shiftKey || event.altKey;
  if (!flip) return state.moveMode;
  return state.moveMode === 'fix' ? 'mislabel' : 'fix';
}

/** Starts dragging the selection when the tile is in it, else the tile alone. */
export function startDrag(event, id) {
  const ids = state.selection.has(id) ? [...state.selection] : [id];
  event.dataTransfer.setData(IDS_TYPE, JSON.stringify(ids));
  event.dataTransfer.setData('text/plain', `${ids.length} image${ids.length === 1 ? '' : 's'}`);
  event.dataTransfer.effectAllowed = 'move';
  document.body.classList.add('is-dragging-images');
}

export function endDrag() {
  document.body.classList.remove('is-dragging-images');
}
