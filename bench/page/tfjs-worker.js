// Contender: TensorFlow.js 4.22 with the backend named in the URL (?backend=
// wasm | cpu). A custom loop (optimizer.minimize), not model.fit, so that no
// UI yielding slows it; per-sample losses are read back every step.
importScripts('./common.js', '../node_modules/@tensorflow/tfjs/dist/tf.min.js');
const backend = new URL(self.location.href).searchParams.get('backend');
if (backend === 'wasm') {
  importScripts('../node_modules/@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.min.js');
  tf.wasm.setWasmPaths(new URL('../node_modules/@tensorflow/tfjs-backend-wasm/dist/', self.location.href).href);
  // One thread for the main table (it cannot use more without cross-origin
  // isolation anyway; this makes it explicit).
  tf.wasm.setThreadsCount(1);
}

let w, pixels, labels, dim, vars, opt, xbuf, ybuf;

function logits(x) {
  let a = x;
  for (let l = 0; l < vars.length; l += 2) {
    a = tf.add(tf.matMul(a, vars[l]), vars[l + 1]);
    if (l + 2 < vars.length) a = tf.relu(a);
  }
  return a;
}

const contender = {
  async setup(workload, px, lb) {
    if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} unavailable`);
    await tf.ready();
    w = workload;
    pixels = px;
    labels = lb;
    dim = w.side * w.side * w.channels;
    const info = { backend: tf.getBackend(), version: tf.version.tfjs };
    if (backend === 'wasm') {
      info.simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
      info.multithread = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
      info.threads = tf.wasm.getThreadsCount();
    }
    return info;
  },
  fresh() {
    if (vars) vars.forEach((v) => v.dispose());
    if (opt) opt.dispose();
    const sizes = [dim, ...w.hidden, w.classes];
    vars = [];
    for (let l = 0; l + 1 < sizes.length; l++) {
      const std = Math.sqrt(2 / sizes[l]);
      vars.push(tf.variable(tf.randomNormal([sizes[l], sizes[l + 1]], 0, std, 'float32', w.seed + l)));
      vars.push(tf.variable(tf.zeros([sizes[l + 1]])));
    }
    opt = tf.train.momentum(w.learningRate, w.momentum);
    xbuf = new Float32Array(w.batch * dim);
    ybuf = new Float32Array(w.batch * w.classes);
  },
  step(indices) {
    const b = indices.length;
    const xv = b === w.batch ? xbuf : new Float32Array(b * dim);
    fillBatch(pixels, dim, indices, xv);
    const yv = b === w.batch ? ybuf : new Float32Array(b * w.classes);
    yv.fill(0);
    for (let r = 0; r < b; r++) yv[r * w.classes + labels[indices[r]]] = 1;
    const xs = tf.tensor2d(xv, [b, dim]);
    const ys = tf.tensor2d(yv, [b, w.classes]);
    let per = null;
    opt.minimize(
      () => {
        per = tf.keep(
          tf.losses.softmaxCrossEntropy(ys, logits(xs), undefined, w.smoothing, tf.Reduction.NONE),
        );
        return tf.mean(per);
      },
      false,
      vars,
    );
    const losses = per.dataSync();
    per.dispose();
    xs.dispose();
    ys.dispose();
    return losses;
  },
  evaluate() {
    const n = labels.length;
    let loss = 0;
    let hits = 0;
    for (let s = 0; s < n; s += 512) {
      const idx = new Uint32Array(Math.min(512, n - s)).map((_, i) => s + i);
      const xv = new Float32Array(idx.length * dim);
      fillBatch(pixels, dim, idx, xv);
      const lp = tf.tidy(() => tf.logSoftmax(logits(tf.tensor2d(xv, [idx.length, dim]))));
      const v = lp.dataSync();
      lp.dispose();
      for (let r = 0; r < idx.length; r++) {
        const row = v.subarray(r * w.classes, (r + 1) * w.classes);
        const y = labels[idx[r]];
        loss -= row[y];
        let best = 0;
        for (let c = 1; c < w.classes; c++) if (row[c] > row[best]) best = c;
        hits += best === y ? 1 : 0;
      }
    }
    return [loss / n, hits / n];
  },
};

serveContender(contender);

// TF.js's own matrix products at the training shapes, to explain its
// training speed: {type: 'matmul', shapes: [[m, n, k, layout], ...]}.
function matmuls(shapes) {
  const out = [];
  for (const [m, n, k, layout] of shapes) {
    const a = tf.randomNormal(layout === 'tn' ? [k, m] : [m, k]);
    const b = tf.randomNormal(layout === 'nt' ? [n, k] : [k, n]);
    const f = () => tf.tidy(() => tf.matMul(a, b, layout === 'tn', layout === 'nt').dataSync());
    f();
    const times = [];
    const start = performance.now();
    while (times.length < 3 || (performance.now() - start < 1000 && times.length < 50)) {
      const t0 = performance.now();
      f();
      times.push(performance.now() - t0);
    }
    a.dispose();
    b.dispose();
    times.sort((x, y) => x - y);
    const ms = times[times.length >> 1];
    out.push({ m, n, k, layout, ms, gflops: (2 * m * n * k) / ms / 1e6 });
  }
  return out;
}
const loop = self.onmessage;
self.onmessage = (e) => {
  if (e.data.type !== 'matmul') return loop(e);
  try {
    self.postMessage({ type: 'result', shapes: matmuls(e.data.shapes) });
  } catch (err) {
    self.postMessage({ type: 'error', message: String((err && err.stack) || err) });
  }
};
