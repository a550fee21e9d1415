// Thumbnails as the model sees them (side×side pixels from the worker), as
// <img>s of a tiny PNG data URL made once per image; CSS scales them up.
// (Not a <canvas> per tile: each canvas becomes a compositor layer of its
// own, and dozens of them make every frame of the page slower.)
import { state } from '../state.js';

const urls = new WeakMap(); // ImageData → data URL; dropped with the pixels
let scratch = null;

function urlOf(pixels) {
  let url = urls.get(pixels);
  if (!url) {
    scratch ??= document.createElement('canvas');
    scratch.width = pixels.width;
    scratch.height = pixels.height;
    scratch.getContext('2d').putImageData(pixels, 0, 0);
    url = scratch.toDataURL();
    urls.set(pixels, url);
  }
  return url;
}

/** An <img> showing image `id`; kind is a CSS modifier (tile, mini). */
export function drawThumb(id, kind) {
  const img = document.createElement('img');
  img.className = `thumb thumb-${kind}`;
  img.alt = '';
  img.draggable = false;
  paint(img, id);
  return img;
}

/** Shows image `id` in an existing <img>; false while it is not decoded yet. */
export function paint(img, id) {
  const pixels = state.thumbs.get(id);
  if (!pixels) {
    img.classList.add('is-pending');
    return false;
  }
  img.src = urlOf(pixels);
  img.classList.remove('is-pending');
  img.classList.toggle('is-pixelated', pixels.width <= 16);
  return true;
}
