//! The training benchmark's shared pieces: a seeded synthetic image set and
//! epoch orders (so that every contender trains on the same bytes in the
//! same order), a [`BenchRun`] that trains one model with the lab's own
//! learner while keeping each sample's loss, and a [`GemmBench`] for the
//! matrix products alone. The wasm page and the native example both use it.

use ndarray::Array2;
use serde::{Deserialize, Serialize};

mod gemm;

pub use gemm::{GemmBench, Layout};

use crate::core::config::{OptimizerKind, Settings};
use crate::core::data::Dataset;
use crate::core::error::{LabError, Result};
use crate::core::nn::{argmax_rows, log_softmax_in_place, Mlp};
use crate::core::rng::Rng;
use crate::core::train::Learner;

/// One benchmark workload: the data, the model and the training settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Workload {
    pub side: usize,
    pub channels: usize,
    pub classes: usize,
    pub hidden: Vec<usize>,
    /// Number of images.
    pub n: usize,
    pub batch: usize,
    pub learning_rate: f64,
    pub momentum: f64,
    pub smoothing: f64,
    pub seed: u64,
    /// The inputs are backbone features, not pixels: smoothlab keeps them as
    /// the lab keeps features (f32, the byte values scaled to [0, 1]), and
    /// any `channels` is allowed (the layout is only a way to size them).
    #[serde(default)]
    pub features: bool,
}

impl Workload {
    pub fn dim(&self) -> usize {
        self.side * self.side * self.channels
    }

    /// Layer widths, input first.
    pub fn sizes(&self) -> Vec<usize> {
        let mut s = vec![self.dim()];
        s.extend(&self.hidden);
        s.push(self.classes);
        s
    }

    /// Multiply-adds of one forward pass of one sample.
    pub fn macs_per_sample(&self) -> usize {
        self.sizes().windows(2).map(|io| io[0] * io[1]).sum()
    }

    /// Training FLOPs per sample by the usual convention: forward, weight
    /// gradient and input gradient, 2 FLOPs per multiply-add each, so
    /// 6·MACs. (The first layer's input gradient is never needed, so the
    /// arithmetic actually done is a little less.)
    pub fn train_flops_per_sample(&self) -> f64 {
        6.0 * self.macs_per_sample() as f64
    }
}

/// A seeded image set: each class is a smooth pattern (a few sinusoids per
/// channel), each image its class pattern under a random brightness shift
/// and pixel noise. Learnable, but not in one step.
pub fn synthetic_images(w: &Workload) -> (Vec<u8>, Vec<u32>) {
    let (side, ch, k) = (w.side, w.channels, w.classes.max(1));
    let mut rng = Rng::derived(w.seed, 0xDA7A);
    let patterns: Vec<Vec<f32>> = (0..k)
        .map(|_| {
            let waves: Vec<[f64; 3]> = (0..3 * ch)
                .map(|_| {
                    [
                        1.0 + 3.0 * rng.uniform(),
                        1.0 + 3.0 * rng.uniform(),
                        std::f64::consts::TAU * rng.uniform(),
                    ]
                })
                .collect();
            let mut p = Vec::with_capacity(side * side * ch);
            for y in 0..side {
                for x in 0..side {
                    for c in 0..ch {
                        let (u, v) = (x as f64 / side as f64, y as f64 / side as f64);
                        let s: f64 = waves[3 * c..3 * c + 3]
                            .iter()
                            .map(|[fx, fy, ph]| {
                                (std::f64::consts::TAU * (fx * u + fy * v) + ph).sin()
                            })
                            .sum();
                        p.push((128.0 + 12.0 * s) as f32);
                    }
                }
            }
            p
        })
        .collect();
    let d = w.dim();
    let mut pixels = Vec::with_capacity(w.n * d);
    let mut labels = Vec::with_capacity(w.n);
    for _ in 0..w.n {
        let label = rng.below(k);
        let shift = (rng.normal() * 20.0) as f32;
        let mut bits = 0u64;
        for (j, &p) in patterns[label].iter().enumerate() {
            if j % 4 == 0 {
                bits = rng.next_u64();
            }
            // Sum of two uniform bytes: a triangular noise of ±64.
            let b = (bits >> (16 * (j % 4))) as u16;
            let noise = ((b & 0xFF) as f32 + (b >> 8) as f32 - 255.0) * 0.5;
            pixels.push((p + shift + noise).clamp(0.0, 255.0) as u8);
        }
        labels.push(label as u32);
    }
    (pixels, labels)
}

/// The sample order of one epoch: a seeded shuffle of 0..n.
pub fn epoch_order(n: usize, seed: u64, epoch: u64) -> Vec<u32> {
    let mut order: Vec<u32> = (0..n as u32).collect();
    Rng::derived(seed, 0x0BE4_C000 + epoch).shuffle(&mut order);
    order
}

/// One model trained step by step by the lab's own [`Learner`] (forward,
/// smoothed loss, backward, SGD with momentum), over a dataset kept as `u8`
/// and scaled per batch; each step returns the loss of every sample in it.
#[derive(Debug, Clone)]
pub struct BenchRun {
    ds: Dataset,
    learner: Learner,
    batch_x: Array2<f32>,
    indices: Vec<usize>,
    labels: Vec<usize>,
    losses: Vec<f32>,
}

impl BenchRun {
    /// `pixels` holds `labels.len()` images of the workload's size.
    pub fn new(w: &Workload, pixels: &[u8], labels: &[u32]) -> Result<Self> {
        let d = w.dim();
        if pixels.len() != labels.len() * d {
            return Err(LabError::Dataset(format!(
                "expected {} images of {d} values, got {} values",
                labels.len(),
                pixels.len()
            )));
        }
        let names = (0..w.classes).map(|c| format!("c{c}")).collect();
        // Features: a 1×1 gray stand-in per sample, then the values.
        let (side, channels) = if w.features {
            (1, 1)
        } else {
            (w.side, w.channels)
        };
        let mut ds = Dataset::new(side, channels, names)?;
        for (px, &y) in pixels.chunks_exact(d).zip(labels) {
            let stored = if w.features { &[0][..] } else { px };
            ds.push_sample("", stored, y as usize, Some(y as usize))?;
        }
        if w.features {
            let values: Vec<f32> = pixels.iter().map(|&p| p as f32 / 255.0).collect();
            ds.set_features(d, &values)?;
        }
        let config = Settings {
            smoothing: w.smoothing,
            learning_rate: w.learning_rate,
            hidden: w.hidden.clone(),
            batch_size: w.batch,
            optimizer: OptimizerKind::Sgd,
            momentum: w.momentum,
            weight_decay: 0.0,
            seed: w.seed,
            ..Settings::default()
        }
        .validate()?;
        let model = Mlp::new(&w.sizes(), w.seed);
        Ok(BenchRun {
            learner: Learner::new(model, &config, w.smoothing as f32),
            batch_x: Array2::zeros((w.batch, d)),
            indices: Vec::with_capacity(w.batch),
            labels: Vec::with_capacity(w.batch),
            losses: Vec::with_capacity(w.batch),
            ds,
        })
    }

    pub fn len(&self) -> usize {
        self.ds.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ds.is_empty()
    }

    /// One SGD step on the given samples; returns their smoothed losses.
    pub fn step(&mut self, batch: &[u32]) -> Result<&[f32]> {
        let n = self.ds.len();
        self.indices.clear();
        for &i in batch {
            let i = i as usize;
            if i >= n {
                return Err(LabError::OutOfRange {
                    what: "image",
                    index: i,
                    len: n,
                });
            }
            self.indices.push(i);
        }
        let b = self.indices.len();
        if self.batch_x.nrows() != b {
            self.batch_x = Array2::zeros((b, self.ds.dim()));
        }
        self.ds.fill_batch(&self.indices, self.batch_x.view_mut());
        self.labels.clear();
        let samples = self.ds.samples();
        self.labels
            .extend(self.indices.iter().map(|&i| samples[i].given));
        self.losses.clear();
        self.losses.resize(b, 0.0);
        let losses = &mut self.losses;
        let loss = self
            .learner
            .step_each(&self.batch_x, &self.labels, |i, l| losses[i] = l);
        if !loss.is_finite() || !self.learner.model.all_finite() {
            return Err(LabError::Diverged(format!("the batch loss became {loss}")));
        }
        Ok(&self.losses)
    }

    /// Plain cross-entropy (−log p(label), no smoothing) and accuracy over
    /// every image.
    pub fn evaluate(&self) -> (f64, f64) {
        let all: Vec<usize> = (0..self.ds.len()).collect();
        let (mut loss, mut hits) = (0.0f64, 0usize);
        for chunk in all.chunks(512) {
            let mut lp = self.learner.model.logits(self.ds.batch(chunk).view());
            log_softmax_in_place(lp.view_mut());
            for ((row, pred), &i) in lp.rows().into_iter().zip(argmax_rows(lp.view())).zip(chunk) {
                let y = self.ds.samples()[i].given;
                loss -= row[y] as f64;
                hits += (pred == y) as usize;
            }
        }
        let n = all.len().max(1) as f64;
        (loss / n, hits as f64 / n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Workload {
        Workload {
            side: 12,
            channels: 1,
            classes: 3,
            hidden: vec![16],
            n: 240,
            batch: 16,
            learning_rate: 0.05,
            momentum: 0.9,
            smoothing: 0.1,
            seed: 3,
            features: false,
        }
    }

    #[test]
    fn data_and_orders_are_seeded() {
        let w = small();
        assert_eq!(synthetic_images(&w), synthetic_images(&w));
        let (px, labels) = synthetic_images(&w);
        assert_eq!(px.len(), w.n * w.dim());
        assert!(labels.iter().all(|&y| (y as usize) < w.classes));
        let o = epoch_order(10, 1, 0);
        assert_eq!(o, epoch_order(10, 1, 0));
        assert_ne!(o, epoch_order(10, 1, 1));
        let mut sorted = o.clone();
        sorted.sort();
        assert_eq!(sorted, (0..10).collect::<Vec<u32>>());
    }

    #[test]
    fn trains_the_synthetic_set_with_per_sample_losses() {
        let features = Workload {
            features: true, // the same values, kept as features
            ..small()
        };
        for w in [small(), features] {
            learns(w);
        }
    }

    fn learns(w: Workload) {
        let (px, labels) = synthetic_images(&w);
        let mut run = BenchRun::new(&w, &px, &labels).unwrap();
        let (before, _) = run.evaluate();
        for epoch in 0..10 {
            for batch in epoch_order(w.n, w.seed, epoch).chunks(w.batch) {
                let losses = run.step(batch).unwrap();
                assert_eq!(losses.len(), batch.len());
                assert!(losses.iter().all(|l| l.is_finite() && *l > 0.0));
            }
        }
        let (after, acc) = run.evaluate();
        assert!(after < before, "{after} vs {before}");
        assert!(acc > 0.9, "accuracy {acc} (chance is 1/3)");
        assert!(run.step(&[w.n as u32]).is_err());
    }
}
