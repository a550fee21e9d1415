//! What one point of training looked like for one model, measured on every
//! sample.
//!
//! The curves use −log p(given label), not the smoothed objective: the
//! objective's floor H(q′) grows with ε, so it would hide how far a model has
//! moved toward a mislabeled target.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ModelReport {
    /// The label smoothing this model trained with at this epoch (ε can
    /// change live, so it is recorded per point).
    pub epsilon: f64,
    /// Mean smoothed objective over the training split (what was minimised).
    pub objective: f64,
    /// Mean −log p(given) over correctly labeled training samples.
    pub clean_loss: Option<f64>,
    /// Mean −log p(given) over mislabeled training samples.
    pub noisy_loss: Option<f64>,
    /// Mean −log p(true) over mislabeled training samples.
    pub noisy_true_loss: Option<f64>,
    /// Accuracy against the given labels on the training split.
    pub train_acc: f64,
    /// Share of mislabeled samples predicted as their (wrong) given label.
    pub memorized: Option<f64>,
    /// Share of mislabeled samples predicted as their true label.
    pub corrected: Option<f64>,
    /// Accuracy and mean −log p(true) on the clean held-out split.
    pub test_acc: Option<f64>,
    pub test_loss: Option<f64>,
    /// Expected calibration error on the clean held-out split, 15 bins
    /// (see `calibration.rs`).
    pub test_ece: Option<f64>,
    /// Co-teaching's "pure ratio" (Han et al. 2018): the share of clean
    /// samples among the n_clean training samples with the lowest
    /// −log p(given), i.e. how well the small-loss trick would separate them.
    pub pure_ratio: Option<f64>,
    pub n_clean: usize,
    pub n_noisy: usize,
    pub n_test: usize,
}

impl ModelReport {
    /// Every reported number is finite (a diverged model is not).
    pub fn is_finite(&self) -> bool {
        let opts = [
            self.clean_loss,
            self.noisy_loss,
            self.noisy_true_loss,
            self.test_loss,
        ];
        self.objective.is_finite() && opts.iter().all(|v| v.is_none_or(f64::is_finite))
    }
}

/// One point of the curves of a (paired) run: a report per model, baseline
/// first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EpochReport {
    /// Epochs trained when measured: whole at an epoch end, a fraction
    /// between them when the settings ask for several points per epoch.
    pub epoch: f64,
    pub models: Vec<ModelReport>,
}

impl EpochReport {
    /// The epoch as text for tables and CSV: whole at epoch ends ("3"), to
    /// three decimals between them ("2.333").
    pub fn epoch_text(&self) -> String {
        let text = format!("{:.3}", self.epoch);
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}
