// The benchmark page. It holds no training code: it makes the seeded data
// with smoothlab's wasm build, hands each contender a copy in its own
// dedicated Worker, and exposes `window.bench` for the driver (run.js),
// which decides the interleaved order of the runs.
import init, { benchImages, benchLabels, benchOrder } from '../pkg/smoothlab.js';

const WORKERS = {
  'smoothlab-wasm': './smoothlab-worker.js',
  'smoothlab-wasm-relaxed': './smoothlab-worker.js?pkg=pkg-relaxed',
  'tfjs-wasm': './tfjs-worker.js?backend=wasm',
  'tfjs-cpu': './tfjs-worker.js?backend=cpu',
  convnetjs: './convnet-worker.js',
};

const workers = new Map(); // `${contender}/${workload}` → Worker
const workloads = new Map();

function call(worker, msg) {
  return new Promise((resolve, reject) => {
    worker.onmessage = (e) => {
      if (e.data.type === 'error') reject(new Error(e.data.message));
      else resolve(e.data);
    };
    worker.onerror = (e) => reject(new Error(e.message || 'worker failed to load'));
    worker.postMessage(msg);
  });
}

function status(text) {
  document.getElementById('status').textContent = text;
}

window.bench = {
  ready: init().then(() => status('ready')),

  // EfficientNet-Lite0 per image in smoothlab's wasm and TF.js wasm (backbone-worker.js).
  async backbone(sides, seconds) {
    const worker = new Worker('./backbone-worker.js');
    try {
      return await call(worker, { type: 'run', sides, seconds });
    } finally {
      worker.terminate();
    }
  },

  info() {
    return {
      userAgent: navigator.userAgent,
      hardwareConcurrency: navigator.hardwareConcurrency,
      crossOriginIsolated: self.crossOriginIsolated,
    };
  },

  // Starts one worker per (contender, workload) and gives it the data.
  async setup(named, contenders) {
    await this.ready;
    const infos = {};
    for (const [key, w] of Object.entries(named)) {
      const json = JSON.stringify(w);
      const pixels = benchImages(json);
      const labels = benchLabels(json);
      workloads.set(key, w);
      for (const c of contenders) {
        status(`starting ${c} for ${key}`);
        const worker = new Worker(WORKERS[c]);
        workers.set(`${c}/${key}`, worker);
        const r = await call(worker, { type: 'init', workload: w, pixels: pixels.slice(), labels: labels.slice() });
        infos[c] = r.info;
      }
    }
    return infos;
  },

  // One run: a fresh model, then one epoch per order (the first is the
  // warm-up), then an untimed evaluation.
  async run(contender, key, epochs) {
    const w = workloads.get(key);
    const orders = [];
    for (let e = 0; e < epochs; e++) orders.push(benchOrder(w.n, w.seed, e));
    status(`${contender} on ${key}`);
    const r = await call(workers.get(`${contender}/${key}`), { type: 'run', orders });
    return { epochMs: r.epochMs, epochLoss: r.epochLoss, evalLoss: r.evalLoss, evalAcc: r.evalAcc };
  },

  async gemm(specs, seconds, contender = 'smoothlab-wasm') {
    const worker = new Worker(WORKERS[contender]);
    const out = [];
    for (const [m, n, k, layout] of specs) {
      status(`gemm ${m}x${k}·${k}x${n} ${layout}`);
      const r = await call(worker, { type: 'gemm', m, n, k, layout, seconds });
      out.push({ m, n, k, layout, gflops: r.gflops, best: r.best });
    }
    worker.terminate();
    return out;
  },

  // TF.js's matrix products alone, in an already started TF.js worker.
  async tfMatmul(contender, shapes) {
    const key = [...workloads.keys()][0];
    status(`${contender} matrix products`);
    const r = await call(workers.get(`${contender}/${key}`), { type: 'matmul', shapes });
    return r.shapes;
  },

  // Each measurement in a fresh worker, so that one path's memory or caches
  // never help or hurt the other.
  async job(msg) {
    const worker = new Worker('./ingest-worker.js');
    try {
      status(msg.type);
      const r = await call(worker, msg);
      return r;
    } finally {
      worker.terminate();
    }
  },

  // Each ingestion path in its own Worker, fed the same images a chunk at
  // a time in rotating order (each path first, second, ... in turn), so
  // that the machine's load, drifting over minutes, weighs on all alike.
  async ingest(count, width, height, side, chunkSize = 20) {
    // Two workers make the pictures (not timed), a half each.
    const half = count >> 1;
    const parts = await Promise.all([
      this.job({ type: 'generate', from: 0, count: half, width, height }),
      this.job({ type: 'generate', from: half, count: count - half, width, height }),
    ]);
    const blobs = parts.flatMap((p) => p.blobs);
    const paths = ['rust', 'lab-one', 'lab', 'browser'];
    const workers = paths.map(() => new Worker('./ingest-worker.js'));
    try {
      for (const [j, path] of paths.entries()) {
        await call(workers[j], { type: 'open', path, blobs, side });
      }
      const ms = paths.map(() => 0);
      const perImage = paths.map(() => []);
      for (let c = 0, k = 0; c < count; c += chunkSize, k++) {
        status(`ingesting images ${c + 1} to ${Math.min(count, c + chunkSize)} of ${count}`);
        const indices = [];
        for (let i = c; i < Math.min(count, c + chunkSize); i++) indices.push(i);
        for (let r = 0; r < paths.length; r++) {
          const j = (k + r) % paths.length;
          const out = await call(workers[j], { type: 'chunk', indices });
          ms[j] += out.ms;
          perImage[j].push(...out.perImage);
        }
      }
      const runs = [];
      for (const [j, path] of paths.entries()) {
        const { type, ...end } = await call(workers[j], { type: 'close' });
        runs.push({ path, ms: ms[j], perImage: perImage[j], ...end });
      }
      return {
        generateMs: Math.max(...parts.map((p) => p.ms)),
        bytes: parts.reduce((s, p) => s + p.bytes, 0),
        order: `rotating, ${chunkSize} images at a time`,
        runs,
      };
    } finally {
      workers.forEach((w) => w.terminate());
    }
  },

  memory(n, side, classes) {
    return this.job({ type: 'memory', n, side, classes });
  },
};
