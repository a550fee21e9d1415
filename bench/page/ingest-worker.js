// Ingestion and memory measurements.
//   {type: 'generate', from, count, width, height} → {type: 'result', blobs, ms}
//   {type: 'open', path, blobs, side} sets up one ingestion path:
//       'rust'        image crate in wasm (Lab.addImage)
//       'lab-one'     the lab's browser-decoder calls, one file at a time:
//                     Lab.probeImageJson, www/worker/browser-decode.js, Lab.addRgba
//       'lab'         the lab's ingest pipeline as its worker runs it:
//                     www/worker/decode-ahead.js keeps a few decodes in flight
//       'browser'     createImageBitmap (crop + resize) + OffscreenCanvas
//   {type: 'chunk', indices} → {ms, perImage} ingests those images on the
//       open path (perImage only for paths that take one file at a time)
//   {type: 'close'} → {fallbacks, heapBytes}
//   {type: 'memory', n, side, classes} 10,000 small images into a lab Lab
// Every ingestion path ends at the same point: side×side×3 RGB bytes per
// image (for the lab's paths, stored in a Lab).

let mod = null;
let wasm = null;
async function load() {
  if (!mod) {
    mod = await import('../pkg/smoothlab.js');
    wasm = await mod.default({ module_or_path: '../pkg/smoothlab_bg.wasm' });
  }
}

// A photo-like picture: smooth gradients, soft shapes and fine grain, so
// that the JPEG has realistic entropy (neither flat nor pure noise).
// Random numbers one picture draws: 7 for each of 40 shapes, one per grain
// pixel. A worker making pictures from `from` on skips the numbers drawn
// for the pictures before it, so that the set is the same however split.
const RANDOM_PER_PICTURE = 40 * 7 + 256 * 256;

async function generate({ from = 0, count, width, height }) {
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d');
  const grainCanvas = new OffscreenCanvas(256, 256);
  const g = grainCanvas.getContext('2d');
  const grain = g.createImageData(256, 256);
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const t0 = performance.now();
  for (let n = 0; n < from * RANDOM_PER_PICTURE; n++) rnd();
  const blobs = [];
  for (let i = from; i < from + count; i++) {
    const grad = ctx.createLinearGradient(0, 0, width, height);
    grad.addColorStop(0, `hsl(${(i * 37) % 360} 60% 45%)`);
    grad.addColorStop(1, `hsl(${(i * 37 + 140) % 360} 50% 60%)`);
    ctx.fillStyle = grad;
    ctx.fillRect(0, 0, width, height);
    for (let s = 0; s < 40; s++) {
      ctx.fillStyle = `hsla(${rnd() * 360} 70% ${30 + rnd() * 40}% / 0.6)`;
      ctx.beginPath();
      ctx.ellipse(rnd() * width, rnd() * height, 50 + rnd() * 600, 50 + rnd() * 400, rnd() * 3, 0, 7);
      ctx.fill();
    }
    for (let p = 0; p < grain.data.length; p += 4) {
      const v = rnd() * 255;
      grain.data[p] = grain.data[p + 1] = grain.data[p + 2] = v;
      grain.data[p + 3] = 28;
    }
    g.putImageData(grain, 0, 0);
    ctx.fillStyle = ctx.createPattern(grainCanvas, 'repeat');
    ctx.fillRect(0, 0, width, height);
    blobs.push(await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 }));
  }
  const bytes = blobs.reduce((s, b) => s + b.size, 0);
  return { blobs, ms: performance.now() - t0, bytes };
}

// Each path: set up once, then `one(blob, index)` per image.
const PATHS = {
  async rust(side) {
    await load();
    const handle = new mod.Lab(JSON.stringify({ kind: 'empty', side, color: 'rgb' }), JSON.stringify({ seed: 1 }));
    handle.addClass('photos');
    return {
      async one(blob, i) {
        const bytes = new Uint8Array(await blob.arrayBuffer());
        handle.addImage(`photo${i}.jpg`, bytes, 0);
      },
      end: () => ({ heapBytes: wasm.memory.buffer.byteLength }),
    };
  },

  // The calls the lab's worker makes for one dropped photo: it keeps the
  // bytes (read here), probes them, and decodes from them in the browser.
  async 'lab-one'(side) {
    await load();
    const { decodeInBrowser } = await import('../www/worker/browser-decode.js');
    const handle = new mod.Lab(JSON.stringify({ kind: 'empty', side, color: 'rgb' }), JSON.stringify({ seed: 1 }));
    handle.addClass('photos');
    let fallbacks = 0;
    return {
      async one(blob, i) {
        const name = `photo${i}.jpg`;
        const bytes = new Uint8Array(await blob.arrayBuffer());
        const probe = JSON.parse(handle.probeImageJson(name, bytes));
        const rgba = await decodeInBrowser(bytes, side, probe);
        if (rgba) handle.addRgba(name, rgba, 0);
        else {
          fallbacks += 1;
          handle.addImage(name, bytes, 0);
        }
      },
      end: () => ({ fallbacks, heapBytes: wasm.memory.buffer.byteLength }),
    };
  },

  // The lab worker's ingest loop (www/worker/ingest-queue.js, pump and ingestOne):
  // files join the queue as their bytes arrive, decode-ahead.js starts
  // browser decodes ahead of the queue, and the head is added once ready.
  async lab(side) {
    await load();
    const { createDecodeAhead } = await import('../www/worker/decode-ahead.js');
    const handle = new mod.Lab(JSON.stringify({ kind: 'empty', side, color: 'rgb' }), JSON.stringify({ seed: 1 }));
    handle.addClass('photos');
    const queue = [];
    let wakeUp = () => {};
    const ahead = createDecodeAhead({
      queue,
      probe: (name, bytes) => JSON.parse(handle.probeImageJson(name, bytes)),
      side: () => side,
      wake: () => wakeUp(),
    });
    let fallbacks = 0;
    return {
      async many(blobs, indices) {
        let left = indices.length;
        const arrived = (async () => {
          for (const i of indices) {
            queue.push({ name: `photo${i}.jpg`, bytes: await blobs[i].arrayBuffer(), className: 'photos' });
            wakeUp();
          }
        })();
        while (left > 0) {
          const woken = new Promise((resolve) => { wakeUp = resolve; });
          ahead.pump();
          while (ahead.headReady()) {
            const item = queue.shift();
            const bytes = new Uint8Array(item.bytes);
            if (item.rgba) handle.addRgba(item.name, item.rgba, 0);
            else {
              fallbacks += 1;
              handle.addImage(item.name, bytes, 0);
            }
            left -= 1;
          }
          if (left > 0) await woken;
        }
        await arrived;
      },
      end: () => ({ fallbacks, heapBytes: wasm.memory.buffer.byteLength }),
    };
  },

  async browser(side) {
    const canvas = new OffscreenCanvas(side, side);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    const out = [];
    return {
      async one(blob) {
        // Centre square crop, resized in the decoder, as the lab's ingest
        // does; the size comes from the JPEG header, not from a full decode.
        const { width, height } = jpegSize(new Uint8Array(await blob.slice(0, 65536).arrayBuffer()));
        const s = Math.min(width, height);
        const sx = (width - s) >> 1;
        const sy = (height - s) >> 1;
        const bmp = await createImageBitmap(blob, sx, sy, s, s, {
          resizeWidth: side,
          resizeHeight: side,
          resizeQuality: 'high',
        });
        ctx.drawImage(bmp, 0, 0);
        bmp.close();
        const rgba = ctx.getImageData(0, 0, side, side).data;
        const rgb = new Uint8Array(side * side * 3);
        for (let p = 0, q = 0; p < rgba.length; p += 4, q += 3) {
          rgb[q] = rgba[p];
          rgb[q + 1] = rgba[p + 1];
          rgb[q + 2] = rgba[p + 2];
        }
        out.push(rgb);
      },
      end: () => ({ images: out.length }),
    };
  },
};

let openPath = null;
let openBlobs = null;

async function open({ path, blobs, side }) {
  openPath = await PATHS[path](side);
  openBlobs = blobs;
  return {};
}

async function chunk({ indices }) {
  const t0 = performance.now();
  const perImage = [];
  if (openPath.many) await openPath.many(openBlobs, indices);
  else {
    for (const i of indices) {
      const t = performance.now();
      await openPath.one(openBlobs[i], i);
      perImage.push(performance.now() - t);
    }
  }
  return { ms: performance.now() - t0, perImage };
}

// Width and height from a JPEG's start-of-frame marker.
function jpegSize(b) {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) throw new Error('not a JPEG');
    const marker = b[i + 1];
    const len = (b[i + 2] << 8) | b[i + 3];
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: (b[i + 5] << 8) | b[i + 6], width: (b[i + 7] << 8) | b[i + 8] };
    }
    i += 2 + len;
  }
  throw new Error('JPEG size not found in the first 64 KiB');
}

// A 24-bit BMP: the simplest format the lab's decoder reads.
function bmp(rgb, side) {
  const row = side * 3;
  const pad = (4 - (row % 4)) % 4;
  const size = 54 + (row + pad) * side;
  const b = new Uint8Array(size);
  const v = new DataView(b.buffer);
  b[0] = 66;
  b[1] = 77;
  v.setUint32(2, size, true);
  v.setUint32(10, 54, true);
  v.setUint32(14, 40, true);
  v.setInt32(18, side, true);
  v.setInt32(22, side, true);
  v.setUint16(26, 1, true);
  v.setUint16(28, 24, true);
  let o = 54;
  for (let y = side - 1; y >= 0; y--) {
    for (let x = 0; x < side; x++) {
      const p = (y * side + x) * 3;
      b[o++] = rgb[p + 2];
      b[o++] = rgb[p + 1];
      b[o++] = rgb[p];
    }
    o += pad;
  }
  return b;
}

async function memory({ n, side, classes }) {
  await load();
  const handle = new mod.Lab(JSON.stringify({ kind: 'empty', side, color: 'rgb' }), JSON.stringify({ seed: 1 }));
  for (let c = 0; c < classes; c++) handle.addClass(`class ${c}`);
  const heapEmpty = wasm.memory.buffer.byteLength;
  const rgb = new Uint8Array(side * side * 3);
  let seed = 7;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const c = i % classes;
    for (let p = 0; p < rgb.length; p++) {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      rgb[p] = (c * 23 + (p % 97) + (seed >>> 26)) & 255;
    }
    handle.addImage(`img${i}.bmp`, bmp(rgb, side), c);
  }
  const addMs = performance.now() - t0;
  const heapLoaded = wasm.memory.buffer.byteLength;
  handle.configure(JSON.stringify({ hidden: [256], batchSize: 64, optimizer: 'sgd', learningRate: 0.01 }));
  handle.step(20);
  const heapTrained = wasm.memory.buffer.byteLength;
  return {
    n,
    imageBytes: n * side * side * 3,
    heapEmpty,
    heapLoaded,
    heapTrained,
    addMs,
  };
}

const jobs = { generate, open, chunk, close: () => openPath.end(), memory };
self.onmessage = async (e) => {
  try {
    const r = await jobs[e.data.type](e.data);
    self.postMessage({ type: 'result', ...r });
  } catch (err) {
    self.postMessage({ type: 'error', message: String((err && err.stack) || err) });
  }
};
