// Shared by the classic peer workers (loaded with importScripts): the
// message loop every training contender speaks.
//   in:  {type: 'init', workload, pixels: Uint8Array, labels: Uint32Array}
//        {type: 'run', orders: [Uint32Array, ...]}   first order = warm-up
//   out: {type: 'ready', info} | {type: 'result', ...} | {type: 'error', message}
// A contender provides `setup(workload, pixels, labels)` → info,
// `fresh()` (new model), `step(indices)` → Float32Array of per-sample losses,
// and `evaluate()` → [plain cross-entropy, accuracy].
function serveContender(contender) {
  let ctx = null;
  self.onmessage = async (e) => {
    const msg = e.data;
    try {
      if (msg.type === 'init') {
        ctx = msg;
        const info = await contender.setup(msg.workload, msg.pixels, msg.labels);
        self.postMessage({ type: 'ready', info });
      } else if (msg.type === 'run') {
        self.postMessage({ type: 'result', ...(await runEpochs(contender, ctx.workload, msg.orders)) });
      }
    } catch (err) {
      self.postMessage({ type: 'error', message: String(err && err.stack || err) });
    }
  };
}

async function runEpochs(contender, w, orders) {
  await contender.fresh();
  const epochMs = [];
  const epochLoss = [];
  for (const order of orders) {
    const t0 = performance.now();
    let total = 0;
    for (let s = 0; s < order.length; s += w.batch) {
      const losses = contender.step(order.subarray(s, Math.min(s + w.batch, order.length)));
      for (let i = 0; i < losses.length; i++) total += losses[i];
    }
    epochMs.push(performance.now() - t0);
    epochLoss.push(total / order.length);
  }
  const [evalLoss, evalAcc] = await contender.evaluate();
  return { epochMs, epochLoss, evalLoss, evalAcc };
}

// Gathers rows of u8 images into a float batch scaled to [0, 1].
function fillBatch(pixels, dim, indices, out) {
  const s = 1 / 255;
  for (let r = 0; r < indices.length; r++) {
    const src = indices[r] * dim;
    const dst = r * dim;
    for (let j = 0; j < dim; j++) out[dst + j] = pixels[src + j] * s;
  }
}
