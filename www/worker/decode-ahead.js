// Decoding ahead, in the worker: dropped photos (JPEG, PNG and WebP of a
// megapixel or more) are decoded by the browser, cropped and resized inside
// its decoder (browser-decode.js), a few at a time while earlier files are
// being added, so that the ingest queue finds them ready as side×side RGBA.
// Everything else is left to the image crate: small images (it is quicker
// there than a round trip through createImageBitmap), GIF and BMP, files the
// header probe refuses (it then words the error) and anything the browser
// fails on.
import { decodeInBrowser } from './browser-decode.js';

const IN_FLIGHT = 4;
const BROWSER_FROM_PIXELS = 1_000_000;
const LOOK_AHEAD = 256; // queue items examined per pump

/**
 * queue: the ingest queue (items of a drop are {name, bytes, className});
 * probe(name, bytes) reads the header (Lab.probeImageJson, parsed); side() is the
 * project's image size; wake() is called when an item becomes ready.
 */
export function createDecodeAhead({ queue, probe, side, wake }) {
  let inFlight = 0;

  function header(item) {
    try {
      return probe(item.name, item.bytes);
    } catch {
      return null; // the crate will refuse it with the same message
    }
  }

  /** Starts decoding the next waiting photos, up to IN_FLIGHT at a time. */
  function pump() {
    const end = Math.min(queue.length, LOOK_AHEAD);
    for (let i = 0; i < end && inFlight < IN_FLIGHT; i += 1) {
      const item = queue[i];
      if (item.end || item.restore || item.decode) continue;
      item.bytes = new Uint8Array(item.bytes);
      const probed = header(item);
      if (!probed || probed.width * probed.height < BROWSER_FROM_PIXELS) {
        item.decode = 'done';
        continue;
      }
      inFlight += 1;
      item.decode = 'running';
      decodeInBrowser(item.bytes, side(), probed)
        .then((rgba) => { item.rgba = rgba; }, () => { item.rgba = null; })
        .finally(() => {
          inFlight -= 1;
          item.decode = 'done';
          pump();
          wake();
        });
    }
  }

  return {
    pump,
    /** Whether the queue's first item can be added now. */
    headReady: () => queue.length > 0
      && (queue[0].end !== undefined || queue[0].restore || queue[0].decode === 'done'),
  };
}
