// `make bench`: serves the benchmark page, drives it in headless Chromium,
// runs the native contender between the browser runs, and writes
// results.json and results.md. Contenders run one at a time, interleaved
// (A B C D E, A B C D E, ...), so that slow drift in the machine's load
// spreads over all of them instead of landing on one.
//
// Environment: BENCH_REPEATS (runs per contender and workload, default 2;
// BENCH_SLOW_REPEATS, default 1, for TF.js-cpu and for any run slower than
// BENCH_SLOW_RUN_S, default 40 s), BENCH_INGEST (JPEGs to ingest, default
// 200), BENCH_PAGE_S (seconds the lab page is watched while it trains,
// default 20), BENCH_OUT (output prefix).
// BENCH_SMOKE=1 checks the harness end to end on 512 images in a minute or
// two; its numbers mean nothing and it needs BENCH_OUT elsewhere.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from './server.js';
import { renderMarkdown } from './report.js';
import { measureLabPage } from './lab-page.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const repeats = Number(process.env.BENCH_REPEATS ?? 2);
// TF.js-cpu alone takes about 2 minutes per run of the 3072 workload, and
// TF.js-wasm and ConvNetJS over a minute each there, so by default a slow
// run is made in the first repeat only (its 3 timed epochs still give a
// median and a spread); this keeps `make bench` under 15 minutes.
const slowRepeats = Number(process.env.BENCH_SLOW_REPEATS ?? 1);
const SLOW = new Set(['tfjs-cpu']);
const slowRunMs = 1000 * Number(process.env.BENCH_SLOW_RUN_S ?? 40);
const pageSeconds = Number(process.env.BENCH_PAGE_S ?? 20);
const ingestCount = Number(process.env.BENCH_INGEST ?? 200);
const out = process.env.BENCH_OUT ?? join(here, 'results');
const native = join(root, 'target/native/release/examples/bench_native'); // built by `make bench`

const smoke = process.env.BENCH_SMOKE === '1';
if (smoke && !process.env.BENCH_OUT) throw new Error('BENCH_SMOKE needs BENCH_OUT (never overwrite the real results)');
const common = { classes: 10, n: smoke ? 512 : 4096, batch: 64, learningRate: 0.01, momentum: 0.9, smoothing: 0.1, seed: 1 };
const WORKLOADS = {
  'mlp784': { ...common, side: 28, channels: 1, hidden: [128] },
  'mlp3072': { ...common, side: 32, channels: 3, hidden: [256] },
  // The two models' head in features mode: 1280 backbone features → 128 → 2
  // (cat/dog). The inputs are synthetic 1280-value vectors laid out as
  // 16×16×5 "images": the cost of an epoch depends only on the shapes.
  'head1280': { ...common, classes: 2, side: 16, channels: 5, hidden: [128], features: true },
};
const BROWSER = ['smoothlab-wasm', 'smoothlab-wasm-relaxed', 'tfjs-wasm', 'tfjs-cpu', 'convnetjs'];
const CONTENDERS = [...BROWSER, 'smoothlab-native'];
const EPOCHS = 4; // one warm-up + three measured

// The products one training step makes, per workload, plus the 512³ peak.
function gemmShapes() {
  const shapes = [[512, 512, 512, 'nn']];
  for (const w of Object.values(WORKLOADS)) {
    const sizes = [w.side * w.side * w.channels, ...w.hidden, w.classes];
    for (let l = 0; l + 1 < sizes.length; l++) {
      const [i, o] = [sizes[l], sizes[l + 1]];
      shapes.push([w.batch, o, i, 'nn']); // a·W
      shapes.push([i, o, w.batch, 'tn']); // aᵀ·δ
      if (l > 0) shapes.push([w.batch, i, o, 'nt']); // δ·Wᵀ
    }
  }
  return shapes;
}

function loadAverage() {
  return os.loadavg().map((v) => Math.round(v * 100) / 100);
}

function runNative(w) {
  const text = execFileSync(native, ['train', JSON.stringify(w), String(EPOCHS)], { encoding: 'utf8' });
  return JSON.parse(text);
}

function nativeGemm([m, n, k, layout], seconds) {
  const text = execFileSync(native, ['gemm', m, n, k, layout, seconds].map(String), { encoding: 'utf8' });
  return { m, n, k, layout, ...JSON.parse(text) };
}

function nativeBackbone(side, seconds) {
  return JSON.parse(execFileSync(native, ['backbone', String(side), String(seconds)], { encoding: 'utf8', cwd: root }));
}

function lockedVersion(name) {
  const lock = readFileSync(join(root, 'Cargo.lock'), 'utf8');
  const m = lock.match(new RegExp(`name = "${name}"\\nversion = "([^"]+)"`));
  return m ? m[1] : 'unknown';
}

// How often the page applies the worker's training stream (and so may
// redraw the plot): www/client.js's STREAM_MS, if it is still there.
function streamPeriodMs() {
  const m = readFileSync(join(root, 'www/client.js'), 'utf8').match(/const STREAM_MS = (\d+)/);
  return m ? Number(m[1]) : null;
}

function log(...args) {
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...args);
}

async function main() {
  const started = Date.now();
  // www/ holds the lab's own modules and its built page (www/dist).
  const { server, port } = await serve(here, 0, { '/www/': join(root, 'www'), '/data/': join(root, 'data') });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const results = {
    date: new Date().toISOString(),
    machine: {
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cores: os.cpus().length,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      os: `${os.type()} ${os.release()}`,
      loadAtStart: loadAverage(),
    },
    chromium: browser.version(),
    matrixmultiply: lockedVersion('matrixmultiply'),
    wasmFeatures: (readFileSync(join(root, '.cargo/config.toml'), 'utf8').match(/target-feature=([^"]+)/) ?? [])[1] ?? 'none',
    rustc: execFileSync('rustc', ['--version'], { encoding: 'utf8' }).trim(),
    repeats,
    slowRepeats: { contenders: [...SLOW], slowerThanSeconds: slowRunMs / 1000, repeats: slowRepeats, runs: [] },
    epochs: { warmup: 1, measured: EPOCHS - 1 },
    workloads: WORKLOADS,
    runs: {},
  };
  try {
    const page = await browser.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') log('page:', m.text());
    });
    page.on('pageerror', (e) => log('page error:', e.message));
    await page.goto(`http://127.0.0.1:${port}/page/index.html`);
    await page.evaluate(() => window.bench.ready);
    results.browser = await page.evaluate(() => window.bench.info());
    log('setting up workers');
    results.contenderInfo = await page.evaluate(
      ([w, c]) => window.bench.setup(w, c),
      [WORKLOADS, BROWSER],
    );

    for (let r = 0; r < repeats; r++) {
      for (const key of Object.keys(WORKLOADS)) {
        for (const c of CONTENDERS) {
          const id = `${c}/${key}`;
          const slow = SLOW.has(c) || results.runs[id]?.[0].wallMs > slowRunMs;
          if (slow && r >= slowRepeats) {
            if (!results.slowRepeats.runs.includes(id)) results.slowRepeats.runs.push(id);
            continue;
          }
          const t0 = Date.now();
          const run =
            c === 'smoothlab-native'
              ? runNative(WORKLOADS[key])
              : await page.evaluate(([c, k, e]) => window.bench.run(c, k, e), [c, key, EPOCHS]);
          (results.runs[id] ??= []).push({ ...run, wallMs: Date.now() - t0, load: loadAverage() });
          const ms = run.epochMs.slice(1).map((v) => v.toFixed(0)).join(' ');
          log(`repeat ${r + 1}/${repeats} ${id}: epochs ${ms} ms, acc ${run.evalAcc.toFixed(3)} (${Date.now() - t0} ms)`);
        }
      }
    }

    log('GEMM at the training shapes');
    const shapes = gemmShapes();
    results.gemm = {
      wasm: await page.evaluate(([s, t]) => window.bench.gemm(s, t), [shapes, 0.5]),
      wasmRelaxed: await page.evaluate(([s, t]) => window.bench.gemm(s, t, 'smoothlab-wasm-relaxed'), [shapes, 0.5]),
      native: shapes.map((s) => nativeGemm(s, 0.5)),
      tfjsWasm: await page.evaluate(([s]) => window.bench.tfMatmul('tfjs-wasm', s), [shapes]),
    };

    log('the backbone: EfficientNet-Lite0 at 128 and 224, smoothlab wasm and native against TF.js wasm');
    results.backbone = {
      browser: await page.evaluate(([s, t]) => window.bench.backbone(s, t), [[128, 224], 4]),
      native: [128, 224].map((side) => nativeBackbone(side, 4)),
    };

    log('memory: 10,000 images of 32×32×3 in a lab session');
    results.memory = await page.evaluate(() => window.bench.memory(10000, 32, 10));

    log(`ingestion: ${ingestCount} JPEGs of 4000×3000`);
    results.ingest = await page.evaluate(
      ([n]) => window.bench.ingest(n, 4000, 3000, 32),
      [ingestCount],
    );
    results.ingest.count = ingestCount;

    log(`the lab page (www/dist) training the sample digits for ${pageSeconds} s`);
    results.page = {
      ...(await measureLabPage(browser, `http://127.0.0.1:${port}/www/dist/index.html`, pageSeconds)),
      load: loadAverage(),
      streamMs: streamPeriodMs(),
    };
    const worst = Math.max(0, ...results.page.longTasks.map((t) => t.duration));
    log(`page: ${results.page.longTasks.length} long tasks (longest ${worst.toFixed(0)} ms), ${results.page.redrawsPerSecond.toFixed(1)} redraws/s`);
  } finally {
    await browser.close();
    server.close();
  }
  results.machine.loadAtEnd = loadAverage();
  results.totalSeconds = Math.round((Date.now() - started) / 1000);
  const makeStarted = 1000 * Number(process.env.BENCH_MAKE_STARTED);
  if (makeStarted) results.makeSeconds = Math.round((Date.now() - makeStarted) / 1000);
  writeFileSync(`${out}.json`, JSON.stringify(results, null, 1) + '\n');
  writeFileSync(`${out}.md`, renderMarkdown(results));
  log(`wrote ${out}.json and ${out}.md in ${results.totalSeconds} s`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
