//! Measuring a model on every image: −log p(given) and p(true) per image,
//! and the means and shares of one epoch's report.

use ndarray::s;

use super::calibration::{Reliability, ReliabilityBin};
use super::report::ModelReport;
use crate::core::data::Dataset;
use crate::core::nn::{argmax_rows, log_softmax_in_place, smoothed_nll, Mlp};

/// A report plus the per-sample values behind it, in dataset order.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub report: ModelReport,
    /// −log p(given label) for every sample (both splits).
    pub loss_given: Vec<f32>,
    /// −log p(true label), NaN where the truth is unknown.
    pub loss_true: Vec<f32>,
    pub predictions: Vec<u32>,
    /// The id of the image each value belongs to (images may be added or
    /// removed after a point is measured).
    pub ids: Vec<u64>,
    /// The held-out images' reliability table (15 equal-width confidence
    /// bins), from which `report.test_ece` is computed.
    pub reliability: Vec<ReliabilityBin>,
}

#[derive(Default)]
struct Mean {
    sum: f64,
    n: usize,
}

impl Mean {
    fn add(&mut self, v: f64) {
        self.sum += v;
        self.n += 1;
    }
    fn get(&self) -> Option<f64> {
        (self.n > 0).then(|| self.sum / self.n as f64)
    }
}

const EVAL_CHUNK: usize = 512;

/// Runs the model over every sample (in chunks, to bound memory) and
/// summarises it; `epsilon` is the model's own smoothing, for the objective.
pub fn evaluate(model: &Mlp, ds: &Dataset, epsilon: f32) -> Evaluation {
    let n = ds.len();
    let mut loss_given = Vec::with_capacity(n);
    let mut loss_true = Vec::with_capacity(n);
    let mut predictions = Vec::with_capacity(n);
    let (mut objective, mut clean, mut noisy, mut noisy_true) = (
        Mean::default(),
        Mean::default(),
        Mean::default(),
        Mean::default(),
    );
    let (mut train_hit, mut memorized, mut corrected) =
        (Mean::default(), Mean::default(), Mean::default());
    let (mut test_hit, mut test_loss) = (Mean::default(), Mean::default());
    let mut calibration = Reliability::default();

    let mut small_loss: Vec<(f32, bool)> = Vec::new();
    let all: Vec<usize> = (0..n).collect();
    for chunk in all.chunks(EVAL_CHUNK) {
        let mut lp = model.logits(ds.batch(chunk).view());
        log_softmax_in_place(lp.view_mut());
        let preds = argmax_rows(lp.view());
        for (row, &i) in chunk.iter().enumerate() {
            let s = &ds.samples()[i];
            let lp_row = lp.slice(s![row, ..]);
            let given = -lp_row[s.given] as f64;
            let truth = s.truth.map_or(f32::NAN, |t| -lp_row[t]);
            loss_given.push(given as f32);
            loss_true.push(truth);
            let pred = preds[row];
            predictions.push(pred as u32);
            if s.holdout {
                let r = s.reference_label();
                test_hit.add((pred == r) as u8 as f64);
                test_loss.add(-lp_row[r] as f64);
                calibration.add((lp_row[pred] as f64).exp(), pred == r);
                continue;
            }
            let obj = smoothed_nll(lp.slice(s![row..row + 1, ..]), &[s.given], epsilon)[0];
            objective.add(obj as f64);
            train_hit.add((pred == s.given) as u8 as f64);
            small_loss.push((given as f32, s.is_mislabeled()));
            if s.is_mislabeled() {
                noisy.add(given);
                noisy_true.add(truth as f64);
                memorized.add((pred == s.given) as u8 as f64);
                corrected.add((Some(pred) == s.truth) as u8 as f64);
            } else {
                clean.add(given);
            }
        }
    }
    Evaluation {
        ids: ds.samples().iter().map(|s| s.id).collect(),
        report: ModelReport {
            epsilon: epsilon as f64,
            objective: objective.get().unwrap_or(f64::NAN),
            clean_loss: clean.get(),
            noisy_loss: noisy.get(),
            noisy_true_loss: noisy_true.get(),
            train_acc: train_hit.get().unwrap_or(f64::NAN),
            memorized: memorized.get(),
            corrected: corrected.get(),
            test_acc: test_hit.get(),
            test_loss: test_loss.get(),
            test_ece: calibration.ece(),
            pure_ratio: pure_ratio(&mut small_loss, clean.n, noisy.n),
            n_clean: clean.n,
            n_noisy: noisy.n,
            n_test: test_hit.n,
        },
        loss_given,
        loss_true,
        predictions,
        reliability: calibration.bins(),
    }
}

/// Share of clean samples among the `keep` lowest losses; None without noise.
fn pure_ratio(losses: &mut [(f32, bool)], keep: usize, noisy: usize) -> Option<f64> {
    if noisy == 0 || keep == 0 {
        return None;
    }
    losses.sort_by(|a, b| a.0.total_cmp(&b.0));
    let clean = losses[..keep].iter().filter(|(_, bad)| !bad).count();
    Some(clean as f64 / keep as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_counts_and_undefined_means() {
        let mut ds = Dataset::new(1, 1, vec!["a".into(), "b".into()]).unwrap();
        for i in 0..10u8 {
            ds.add_sample("x", &[i * 20], (i % 2) as usize, Some((i % 2) as usize))
                .unwrap();
        }
        let model = Mlp::new(&[1, 4, 2], 0);
        let e = evaluate(&model, &ds, 0.1);
        assert_eq!(e.report.n_clean + e.report.n_test, 10);
        assert_eq!(e.report.n_noisy, 0);
        assert_eq!(e.report.noisy_loss, None);
        assert_eq!(e.loss_given.len(), 10);
        assert!(e.report.is_finite());
        // The reliability table holds every held-out image once, and the
        // ECE in the report is the one its bins give.
        let bins = &e.reliability;
        assert_eq!(bins.len(), 15);
        let n: usize = bins.iter().map(|b| b.count).sum();
        assert_eq!(n, e.report.n_test);
        let ece: f64 = bins
            .iter()
            .filter(|b| b.count > 0)
            .map(|b| b.count as f64 / n as f64 * (b.accuracy - b.confidence).abs())
            .sum();
        assert!((ece - e.report.test_ece.unwrap()).abs() < 1e-12);

        ds.mislabel(
            ds.train_indices()[0],
            1 - ds.samples()[ds.train_indices()[0]].given,
        )
        .unwrap();
        let e = evaluate(&model, &ds, 0.1);
        assert_eq!(e.report.n_noisy, 1);
        let i = ds.train_indices()[0];
        // For K = 2, p(given) + p(true) = 1 for the flipped sample.
        let (g, t) = (e.loss_given[i] as f64, e.loss_true[i] as f64);
        assert!(((-g).exp() + (-t).exp() - 1.0).abs() < 1e-5);
        assert_eq!(e.report.noisy_loss, Some(g));
        assert_eq!(
            e.report.memorized.unwrap() + e.report.corrected.unwrap(),
            1.0
        );
    }
}
