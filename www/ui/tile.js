// One thumbnail tile of the image grid: the picture, its given class (and the
// true one when they differ), and a bar for its current loss so that the
// images the model finds hardest stand out.
import { startDrag, endDrag } from './dragging.js';
import { drawThumb, paint } from './thumbs.js';

/** An empty tile; `showImage` puts an image in it (tiles are reused). */
export function createTile() {
  const tile = document.createElement('div');
  tile.className = 'tile';
  tile.setAttribute('role', 'option');
  tile.tabIndex = -1;
  tile.draggable = true;
  const bar = document.createElement('div');
  bar.className = 'tile-loss';
  bar.append(document.createElement('span'));
  const caption = document.createElement('div');
  caption.className = 'tile-caption';
  const tag = document.createElement('span');
  tag.className = 'tile-tag';
  const picture = document.createElement('div');
  picture.className = 'tile-picture';
  picture.append(drawThumb(-1, 'tile'), tag);
  tile.append(picture, ' ', bar, ' ', caption); // spaced, so that its words do not run together when read
  tile.addEventListener('dragstart', (e) => startDrag(e, Number(tile.dataset.id)));
  tile.addEventListener('dragend', endDrag);
  tile.addEventListener('pointerenter', () => { tile.title = tips.get(tile) ?? ''; });
  return tile;
}

/** Points a tile at image `id` (re-sorting reuses tiles instead of moving them). */
export function showImage(tile, id) {
  if (tile.dataset.id === String(id)) return;
  tile.dataset.id = String(id);
  written.delete(tile);
  paint(tile.querySelector('img'), id);
}

export function repaintTile(tile) {
  const img = tile.querySelector('img');
  if (img.classList.contains('is-pending')) paint(img, Number(tile.dataset.id));
}

// Tiles are refreshed a few times a second: write to the DOM only what changed.
const written = new WeakMap();
const tips = new WeakMap(); // tile → its tooltip text, put in `title` on hover
function changed(tile, key, value) {
  let last = written.get(tile);
  if (!last) written.set(tile, (last = {}));
  if (last[key] === value) return false;
  last[key] = value;
  return true;
}

/**
 * Brings a tile up to date. info: {img, classes, loss, lossScale, predicted,
 * model, selected}; loss is NaN before the first point of the curves.
 */
export function updateTile(tile, { img, classes, loss, lossScale, predicted, model, selected }) {
  const given = classes[img.given] ?? '?';
  const truth = img.truth === null ? null : classes[img.truth] ?? '?';
  if (changed(tile, 'selected', selected)) {
    tile.classList.toggle('is-selected', selected);
    tile.setAttribute('aria-selected', String(selected));
  }
  const known = Number.isFinite(loss);
  const share = known ? Math.min(1, loss / lossScale) : 0;
  // In 2% steps, and as a transform: a bar that moves needs no layout.
  const step = Math.round(share * 50) / 50;
  if (changed(tile, 'bar', step)) {
    const bar = tile.querySelector('.tile-loss span');
    bar.style.transform = `scaleX(${step})`;
    bar.style.background = `hsl(${Math.round(140 - 140 * step)} 70% ${Math.round(45 - 5 * step)}%)`;
  }
  const high = known && share >= 0.5;
  if (changed(tile, 'high', high)) tile.classList.toggle('is-high-loss', high);
  const label = `${img.given}|${img.truth}|${img.holdout}|${given}|${truth}`;
  if (changed(tile, 'label', label)) {
    tile.classList.toggle('is-mislabeled', img.mislabeled);
    tile.classList.toggle('is-holdout', img.holdout);
    tile.dataset.given = String(img.given);
    tile.dataset.mislabeled = String(img.mislabeled);
    caption(tile, img, given, truth);
  }
  if (changed(tile, 'title', `${label}|${known ? loss.toFixed(2) : ''}|${predicted}|${model}`)) {
    describe(tile, { img, given, truth, known, loss, predicted, model, classes });
  }
}

function caption(tile, img, given, truth) {
  const tag = tile.querySelector('.tile-tag');
  const tagText = img.holdout ? 'held out' : '';
  if (tag.textContent !== tagText) tag.textContent = tagText;
  const caption = tile.querySelector('.tile-caption');
  if (img.mislabeled) {
    const g = document.createElement('span');
    g.textContent = `given ${given}`;
    const t = document.createElement('span');
    t.className = 'tile-truth';
    t.textContent = `true ${truth}`;
    caption.replaceChildren(g, ' ', t); // the space: its accessible text reads "given a true b"
  } else caption.textContent = given;
}

function describe(tile, { img, given, truth, known, loss, predicted, model, classes }) {
  const lines = [img.name, img.mislabeled ? `given: ${given}, true: ${truth}` : `class: ${given}`];
  if (img.holdout) lines.push('held out: never trained on, used for the accuracy curve');
  if (known) lines.push(`${model} loss −log p(given) = ${loss.toFixed(2)}`);
  if (known && predicted !== undefined) lines.push(`${model} predicts: ${classes[predicted] ?? '?'}`);
  // The tooltip is set when the pointer arrives: writing `title` restyles
  // the tile, and the losses change twice a second.
  tips.set(tile, lines.join('\n'));
  if (tile.matches(':hover')) tile.title = tips.get(tile);
  // The words on the tile come first, as they are shown (a person using
  // speech input names a tile by what they see), then what only the
  // tooltip says.
  const shown = [img.holdout ? 'held out' : null, img.mislabeled ? `given ${given} true ${truth}` : given];
  const label = [...shown.filter(Boolean), img.name].join(', ');
  tile.setAttribute('aria-label', `${label}${known ? `, loss ${loss.toFixed(2)}` : ''}`);
}
