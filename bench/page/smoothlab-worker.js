// Contender: smoothlab's own wasm build, one BenchRun per run. The same
// worker also times the GEMM microbenchmark. (A classic worker that imports
// the wasm-pack ES module dynamically, so that it shares common.js.)
importScripts('./common.js');

let mod = null;
let wasm = null;
let w = null;
let pixels = null;
let labels = null;
let run = null;

// ?pkg=pkg-relaxed loads the relaxed-SIMD build instead of the lab's.
const pkg = new URL(self.location.href).searchParams.get('pkg') === 'pkg-relaxed' ? 'pkg-relaxed' : 'pkg';

async function load() {
  if (!mod) {
    mod = await import(`../${pkg}/smoothlab.js`);
    wasm = await mod.default({ module_or_path: `../${pkg}/smoothlab_bg.wasm` });
  }
}

const contender = {
  async setup(workload, px, lb) {
    await load();
    w = workload;
    pixels = px;
    labels = lb;
    return { simd128: WebAssembly.validate(SIMD_PROBE) };
  },
  fresh() {
    if (run) run.free();
    run = new mod.BenchRun(JSON.stringify(w), pixels, labels);
  },
  step(indices) {
    return run.step(indices);
  },
  evaluate() {
    const r = run.evaluate();
    return [r[0], r[1]];
  },
};

// (module (func (result v128) (v128.const i32x4 0 0 0 0)))
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11,
]);

async function gemm({ m, n, k, layout, seconds }) {
  await load();
  const g = new mod.Gemm(m, n, k, layout);
  g.run(2);
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    g.run(reps);
    if (performance.now() - t0 > 20) break;
    reps *= 2;
  }
  const rates = [];
  const start = performance.now();
  while (performance.now() - start < seconds * 1000 || rates.length < 3) {
    const t0 = performance.now();
    g.run(reps);
    rates.push((g.flops() * reps) / ((performance.now() - t0) / 1000) / 1e9);
  }
  g.free();
  rates.sort((a, b) => a - b);
  return { gflops: rates[rates.length >> 1], best: rates[rates.length - 1] };
}

serveContender(contender);
const loop = self.onmessage;
self.onmessage = async (e) => {
  if (e.data.type !== 'gemm') return loop(e);
  try {
    self.postMessage({ type: 'result', ...(await gemm(e.data)) });
  } catch (err) {
    self.postMessage({ type: 'error', message: String(err && err.stack || err) });
  }
};
