// The backbone benchmark: EfficientNet-Lite0's 1280 features of one image,
// timed per image, in smoothlab's wasm (the lab's own `Backbone`) and in
// TensorFlow.js 4.22's wasm backend (XNNPACK, one thread), the peer built
// here from the same weights file with tf.conv2d, tf.depthwiseConv2d and
// 'same' padding (TensorFlow's SAME, as the checkpoint was trained with). The
// two must agree on the features; the report gives their largest difference.
//   in:  {type: 'run', sides: [128, 224], seconds}
//   out: {type: 'result', rows: [{side, smoothlabMs: [...], tfjsMs: [...], maxDiff}]}
importScripts('../node_modules/@tensorflow/tfjs/dist/tf.min.js',
  '../node_modules/@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.min.js');
tf.wasm.setWasmPaths(new URL('../node_modules/@tensorflow/tfjs-backend-wasm/dist/', self.location.href).href);
tf.wasm.setThreadsCount(1);

const WEIGHTS = '/data/backbone/efficientnet-lite0.bin';
// (repeats, kernel, stride, expansion, in, out): the EfficientNet-B0 table.
const STAGES = [[1, 3, 1, 1, 32, 16], [2, 3, 2, 6, 16, 24], [2, 5, 2, 6, 24, 40], [3, 3, 2, 6, 40, 80],
  [3, 5, 1, 6, 80, 112], [4, 5, 2, 6, 112, 192], [1, 3, 1, 6, 192, 320]];

function f16(h) {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (m / 1024);
  if (e === 31) return m ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + m / 1024);
}

/** The weights file (data/backbone/FORMAT.md) as Map name → {shape, values}. */
function readWeights(buffer) {
  const view = new DataView(buffer);
  let at = 8 + 4; // magic, version
  const text = () => {
    const n = view.getUint16(at, true);
    at += 2;
    const s = new TextDecoder().decode(new Uint8Array(buffer, at, n));
    at += n;
    return s;
  };
  text(); // kind
  const count = view.getUint32(at, true);
  at += 4;
  const out = new Map();
  for (let t = 0; t < count; t++) {
    const name = text();
    const dtype = view.getUint8(at);
    const rank = view.getUint8(at + 1);
    at += 2;
    const shape = [];
    for (let r = 0; r < rank; r++, at += 4) shape.push(view.getUint32(at, true));
    const n = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      values[i] = dtype === 1 ? f16(view.getUint16(at + 2 * i, true)) : view.getFloat32(at + 4 * i, true);
    }
    at += n * (dtype === 1 ? 2 : 4);
    out.set(name, { shape, values });
  }
  return out;
}

/** The network in TF.js ops; returns input [1, s, s, 3] (normalised) → [1280]. */
function tfNetwork(w) {
  const t = (name, shape) => tf.tensor(w.get(name).values, shape ?? w.get(name).shape);
  const stem = [t('stem.weight'), t('stem.bias')];
  const blocks = [];
  let i = 0;
  for (const [repeats, k, stride, expand, cin, cout] of STAGES) {
    for (let r = 0; r < repeats; r++, i++) {
      const inC = r === 0 ? cin : cout;
      const mid = inC * expand;
      blocks.push({
        expand: expand === 1 ? null : [t(`blocks.${i}.expand.weight`, [1, 1, inC, mid]), t(`blocks.${i}.expand.bias`)],
        depthwise: [t(`blocks.${i}.depthwise.weight`, [k, k, mid, 1]), t(`blocks.${i}.depthwise.bias`)],
        project: [t(`blocks.${i}.project.weight`, [1, 1, mid, cout]), t(`blocks.${i}.project.bias`)],
        stride: r === 0 ? stride : 1,
        residual: r > 0 || (stride === 1 && cin === cout),
      });
    }
  }
  const head = [t('head.weight', [1, 1, 320, 1280]), t('head.bias')];
  const conv = (x, [f, b], s = 1) => tf.add(tf.conv2d(x, f, s, 'same'), b);
  return (input) => tf.tidy(() => {
    let x = tf.relu6(conv(input, stem, 2));
    for (const b of blocks) {
      let y = b.expand ? tf.relu6(conv(x, b.expand)) : x;
      y = tf.relu6(tf.add(tf.depthwiseConv2d(y, b.depthwise[0], b.stride, 'same'), b.depthwise[1]));
      y = conv(y, b.project);
      x = b.residual ? tf.add(x, y) : y;
    }
    return tf.mean(tf.relu6(conv(x, head)), [0, 1, 2]);
  });
}

/** A smooth, seeded RGBA test image (no decoder involved). */
function image(side) {
  const rgba = new Uint8Array(side * side * 4);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const o = 4 * (y * side + x);
      rgba[o] = (x * 255) / side;
      rgba[o + 1] = (y * 255) / side;
      rgba[o + 2] = 128 + 100 * Math.sin((x + y) / 9);
      rgba[o + 3] = 255;
    }
  }
  return rgba;
}

function timeEach(fn, seconds) {
  fn();
  fn(); // warm-up: first calls compile and allocate
  const ms = [];
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until || ms.length < 5) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  return ms;
}

async function run({ sides, seconds }) {
  const mod = await import('../pkg/smoothlab.js');
  await mod.default({ module_or_path: '../pkg/smoothlab_bg.wasm' });
  await tf.setBackend('wasm');
  await tf.ready();
  const buffer = await (await fetch(WEIGHTS)).arrayBuffer();
  const net = tfNetwork(readWeights(buffer));
  const rows = [];
  for (const side of sides) {
    const rgba = image(side);
    const backbone = new mod.Backbone(new Uint8Array(buffer), side);
    let ours = null;
    const smoothlabMs = timeEach(() => { ours = backbone.embedRgba(rgba, side); }, seconds);
    const rgb = new Float32Array(side * side * 3);
    for (let p = 0; p < side * side; p++) for (let c = 0; c < 3; c++) rgb[3 * p + c] = (rgba[4 * p + c] - 127) / 128;
    const input = tf.tensor(rgb, [1, side, side, 3]);
    let theirs = null;
    const tfjsMs = timeEach(() => {
      const f = net(input);
      theirs = f.dataSync();
      f.dispose();
    }, seconds);
    input.dispose();
    backbone.free();
    let maxDiff = 0;
    for (let j = 0; j < ours.length; j++) maxDiff = Math.max(maxDiff, Math.abs(ours[j] - theirs[j]));
    rows.push({ side, smoothlabMs, tfjsMs, maxDiff, featureMean: ours.reduce((a, b) => a + b, 0) / ours.length });
  }
  return { rows, tfjs: tf.version.tfjs, simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'), threads: tf.wasm.getThreadsCount() };
}

self.onmessage = async (e) => {
  try {
    self.postMessage({ type: 'result', ...(await run(e.data)) });
  } catch (err) {
    self.postMessage({ type: 'error', message: String(err && err.stack || err) });
  }
};
