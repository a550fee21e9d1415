// Contender: ConvNetJS 0.3.0. It has no label smoothing, so it trains with
// plain softmax cross-entropy; its Trainer averages gradients over a batch
// and applies SGD with momentum. It learns one sample at a time, so every
// per-sample loss is in JavaScript as soon as the sample is done.
self.window = self; // the library attaches itself to `window`
importScripts('./common.js', '../node_modules/convnetjs/build/convnet.js');

let w, pixels, labels, dim, net, trainer, vol;

function load(i) {
  const s = 1 / 255;
  const base = i * dim;
  const x = vol.w;
  for (let j = 0; j < dim; j++) x[j] = pixels[base + j] * s;
}

const contender = {
  setup(workload, px, lb) {
    w = workload;
    pixels = px;
    labels = lb;
    dim = w.side * w.side * w.channels;
    return { version: '0.3.0', loss: 'softmax (no smoothing)' };
  },
  fresh() {
    net = new convnetjs.Net();
    net.makeLayers([
      { type: 'input', out_sx: 1, out_sy: 1, out_depth: dim },
      ...w.hidden.map((h) => ({ type: 'fc', num_neurons: h, activation: 'relu' })),
      { type: 'softmax', num_classes: w.classes },
    ]);
    trainer = new convnetjs.Trainer(net, {
      method: 'sgd',
      learning_rate: w.learningRate,
      momentum: w.momentum,
      batch_size: w.batch,
      l2_decay: 0,
    });
    vol = new convnetjs.Vol(1, 1, dim, 0.0);
  },
  step(indices) {
    const losses = new Float32Array(indices.length);
    for (let r = 0; r < indices.length; r++) {
      load(indices[r]);
      losses[r] = trainer.train(vol, labels[indices[r]]).cost_loss;
    }
    return losses;
  },
  evaluate() {
    const n = labels.length;
    let loss = 0;
    let hits = 0;
    for (let i = 0; i < n; i++) {
      load(i);
      const p = net.forward(vol).w;
      const y = labels[i];
      loss -= Math.log(p[y]);
      let best = 0;
      for (let c = 1; c < w.classes; c++) if (p[c] > p[best]) best = c;
      hits += best === y ? 1 : 0;
    }
    return [loss / n, hits / n];
  },
};

serveContender(contender);
