// Decodes a dropped photo with the browser's own decoder, cropped and resized
// inside the decoder: for a 12-megapixel JPEG that is faster than the `image`
// crate in wasm. It takes the same centre square as the core's ingest
// (src/core/ingest.rs, square_resize) and returns side×side RGBA for
// Lab.addRgba, or null whenever this path should not be used; the caller
// then falls back to Lab.addImage, which also words the errors.
//
// Usable in a worker. `probe` is Lab.probeImageJson(name, bytes), parsed:
// {format, width, height, orientation}, read from the header in wasm, which
// has already refused files over the size limits.

const MIME = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' }; // GIF, BMP: the crate

// A 16×8 gray JPEG, left half black, right half gray 128, with EXIF
// orientation 6 (turn 90° clockwise): see orientationHonoured().
const TURNED_JPEG = '/9j/4AAQSkZJRgABAQAAAQABAAD/4QAiRXhpZgAATU0AKgAAAAgAAQESAAMAAAABAAYAAAAAAAD/2wBDAAIBAQEB'
  + 'AQIBAQECAgICAgQDAgICAgUEBAMEBgUGBgYFBgYGBwkIBgcJBwYGCAsICQoKCgoKBggLDAsKDAkKCgr/wAALCAAIABABAREA'
  + '/8QAFAABAAAAAAAAAAAAAAAAAAAACv/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AP+QA/9k=';

let canvas = null;
let context = null;
let turnedCheck = null; // a promise, made once

/**
 * side×side RGBA bytes of the image's centre square (transparency laid over
 * white), or null if the browser path is not available for this file.
 * `source`: the dropped File (or any Blob) where there is one, else the
 * file's bytes (Uint8Array or ArrayBuffer). Pass the File: Chromium decoded a
 * Blob made here from the bytes about 50 ms slower per 12-megapixel JPEG.
 */
export async function decodeInBrowser(source, side, probe) {
  const type = MIME[probe?.format];
  if (!type || typeof createImageBitmap !== 'function' || typeof OffscreenCanvas !== 'function') return null;
  if (probe.orientation !== 1 && !(await orientationHonoured())) return null;
  try {
    const blob = source instanceof Blob ? source : new Blob([source], { type });
    return await cropResize(blob, side, probe);
  } catch {
    return null; // the crate will decode it, or say what is wrong with it
  }
}

/** The crop box of the core's square_resize, in upright coordinates. */
export function squareCrop({ width, height, orientation }, side) {
  const turned = orientation >= 5; // orientations 5 to 8 swap width and height
  const [w, h] = turned ? [height, width] : [width, height];
  const square = Math.min(w, h);
  const factor = Math.max(1, Math.floor(square / (2 * side)));
  const size = Math.floor(square / factor) * factor;
  return { x: Math.floor((w - size) / 2), y: Math.floor((h - size) / 2), size };
}

// Chromium's resize in the decoder samples the picture rather than averaging
// it (its three resizeQuality settings return the same pixels), so fine
// detail aliases. Decoding to k times the side and averaging k×k blocks here
// came within 0.8 of 255 levels of an exact area average on 12-megapixel
// photos (the image crate: 1.7; the decoder alone: 6.5), at the same speed.
const MAX_OVERSAMPLED = 1024;

function oversampling(side, size) {
  let k = 8;
  while (k > 1 && (side * k > size || side * k > MAX_OVERSAMPLED)) k /= 2;
  return k;
}

async function cropResize(blob, side, probe) {
  const { x, y, size } = squareCrop(probe, side);
  const k = oversampling(side, size);
  const n = side * k;
  const bitmap = await createImageBitmap(blob, x, y, size, size, {
    resizeWidth: n,
    resizeHeight: n,
    resizeQuality: 'high',
    imageOrientation: 'from-image',
    // Premultiplied, so that the shrink averages colours weighted by their
    // opacity: the same as the core, which lays alpha over white before it
    // shrinks. Straight alpha would bleed hidden colours into the edges.
    premultiplyAlpha: 'premultiply',
    colorSpaceConversion: 'none', // the crate ignores colour profiles too
  });
  try {
    // A browser that ignores the resize options hands back the crop itself.
    if (bitmap.width !== n || bitmap.height !== n) return null;
    if (!canvas || canvas.width !== n) {
      canvas = new OffscreenCanvas(n, n);
      context = canvas.getContext('2d', { willReadFrequently: true });
    }
    context.fillStyle = '#fff';
    context.fillRect(0, 0, n, n);
    context.drawImage(bitmap, 0, 0);
    const rgba = context.getImageData(0, 0, n, n).data;
    return k === 1 ? new Uint8Array(rgba.buffer) : averageBlocks(rgba, side, k);
  } finally {
    bitmap.close();
  }
}

/** Means of k×k blocks of an opaque (side·k)² RGBA picture, rounded. */
function averageBlocks(rgba, side, k) {
  const n = side * k;
  const out = new Uint8Array(side * side * 4);
  const sums = new Uint32Array(side * 3);
  const half = (k * k) / 2;
  for (let oy = 0; oy < side; oy++) {
    sums.fill(0);
    for (let row = oy * k; row < (oy + 1) * k; row++) {
      for (let col = 0, p = row * n * 4; col < n; col++, p += 4) {
        const s = ((col / k) | 0) * 3;
        sums[s] += rgba[p];
        sums[s + 1] += rgba[p + 1];
        sums[s + 2] += rgba[p + 2];
      }
    }
    for (let ox = 0; ox < side; ox++) {
      const q = (oy * side + ox) * 4;
      out[q] = Math.floor((sums[ox * 3] + half) / (k * k));
      out[q + 1] = Math.floor((sums[ox * 3 + 1] + half) / (k * k));
      out[q + 2] = Math.floor((sums[ox * 3 + 2] + half) / (k * k));
      out[q + 3] = 255;
    }
  }
  return out;
}

// Whether this browser applies EXIF orientation before it crops, so that the
// crop box can be given in upright coordinates. Checked once on a tiny turned
// JPEG: upright it is 8×16, black above gray; a browser that cropped the
// stored 16×8 picture instead would reach past its edge and return white.
function orientationHonoured() {
  turnedCheck ??= (async () => {
    try {
      const bytes = Uint8Array.from(atob(TURNED_JPEG), (c) => c.charCodeAt(0));
      const probe = { format: 'jpeg', width: 16, height: 8, orientation: 6 };
      const px = await cropResize(new Blob([bytes], { type: 'image/jpeg' }), 2, probe);
      if (!px) return false;
      const red = [0, 1, 2, 3].map((i) => px[4 * i]); // top row, then bottom row
      return red.slice(0, 2).every((v) => v < 40) && red.slice(2).every((v) => v > 90 && v < 170);
    } catch {
      return false;
    }
  })();
  return turnedCheck;
}
