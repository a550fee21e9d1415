//! The lab's "find mislabeled images" run: out-of-sample probabilities by
//! cross-validation, then confident learning, reported by image id, beside
//! the in-sample ranking of the model being trained (which memorized noise
//! hides), and scored against the truth where the truth is known.

use serde::Serialize;

use crate::core::config::TrainConfig;
use crate::core::data::Dataset;
use crate::core::error::Result;
use crate::core::find::{find_label_issues, flag_quality, Filter, FlagQuality, LabelIssue};
use crate::core::find::{in_sample_probabilities, CrossValidation, Progress};
use crate::core::nn::Mlp;

pub const DEFAULT_FOLDS: usize = 5;
pub const DEFAULT_EPOCHS_PER_FOLD: usize = 10;

/// One flagged image, by id, for the page.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FlaggedImage {
    pub id: u64,
    pub given: usize,
    pub suggested: usize,
    pub self_confidence: f64,
    /// Whether the label is truly wrong, where the truth is known.
    pub truly_mislabeled: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Ranking {
    pub issues: Vec<FlaggedImage>,
    pub thresholds: Vec<f64>,
    pub confident_joint: Vec<Vec<usize>>,
    /// Precision and recall against the known truth (None if no image is
    /// known to be mislabeled).
    pub quality: Option<FlagQuality>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FinderReport {
    pub folds: usize,
    pub epochs_per_fold: usize,
    /// Out-of-sample ranking (what to act on).
    pub out_of_sample: Ranking,
    /// In-sample ranking from the baseline model being trained, if any.
    pub in_sample: Option<Ranking>,
}

#[derive(Debug, Clone)]
pub struct IssueFinder {
    cv: CrossValidation,
    folds: usize,
    epochs: usize,
    ids: Vec<u64>,
}

impl IssueFinder {
    /// Plans the run; the model is trained without smoothing.
    pub fn new(ds: &Dataset, config: &TrainConfig, folds: usize, epochs: usize) -> Result<Self> {
        let plain = config.with_smoothing(0.0)?;
        Ok(IssueFinder {
            cv: CrossValidation::new(ds, plain, folds, epochs)?,
            folds,
            epochs,
            ids: ds.samples().iter().map(|s| s.id).collect(),
        })
    }

    pub fn step(&mut self, ds: &Dataset, steps: usize) -> Result<Progress> {
        self.cv.step(ds, steps)
    }

    pub fn progress(&self) -> Progress {
        self.cv.progress()
    }

    /// Folds trained elsewhere: see [`CrossValidation::take_fold`].
    pub fn cross_validation(&mut self) -> &mut CrossValidation {
        &mut self.cv
    }

    pub fn folds(&self) -> usize {
        self.folds
    }

    pub fn epochs(&self) -> usize {
        self.epochs
    }

    pub fn cross_validation_config(&self) -> &TrainConfig {
        self.cv.config()
    }

    /// The rankings; an error until cross-validation is done.
    pub fn report(
        &self,
        ds: &Dataset,
        filter: Filter,
        trained: Option<&Mlp>,
    ) -> Result<FinderReport> {
        let out_of_sample = rank(ds, self.cv.probabilities().view(), filter)?;
        let in_sample = match trained {
            Some(model) if model.sizes()[0] == ds.dim() => {
                Some(rank(ds, in_sample_probabilities(model, ds).view(), filter)?)
            }
            _ => None,
        };
        debug_assert_eq!(self.ids.len(), ds.len());
        Ok(FinderReport {
            folds: self.folds,
            epochs_per_fold: self.epochs,
            out_of_sample,
            in_sample,
        })
    }
}

fn rank(ds: &Dataset, probs: ndarray::ArrayView2<f32>, filter: Filter) -> Result<Ranking> {
    let given: Vec<usize> = ds.samples().iter().map(|s| s.given).collect();
    let found = find_label_issues(probs, &given, filter)?;
    let truth: Vec<bool> = ds.samples().iter().map(|s| s.is_mislabeled()).collect();
    let quality = truth
        .iter()
        .any(|&m| m)
        .then(|| flag_quality(&found.issues, &truth));
    let view = |i: &LabelIssue| {
        let s = &ds.samples()[i.index];
        FlaggedImage {
            id: s.id,
            given: i.given,
            suggested: i.suggested,
            self_confidence: i.self_confidence,
            truly_mislabeled: s.truth.map(|t| t != s.given),
        }
    };
    Ok(Ranking {
        issues: found.issues.iter().map(view).collect(),
        thresholds: found.thresholds,
        confident_joint: found.confident_joint,
        quality,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::config::Settings;
    use crate::core::data::load_digits;
    use crate::core::data::{inject_noise, NoiseMode};

    #[test]
    fn finds_flipped_digits_by_id_in_slices() {
        let mut ds = load_digits();
        inject_noise(&mut ds, NoiseMode::Flip, 0.2, 1).unwrap();
        let config = Settings {
            hidden: vec![64],
            ..Settings::default()
        }
        .validate()
        .unwrap();
        let mut f = IssueFinder::new(&ds, &config, 3, 3).unwrap();
        assert!(f.report(&ds, Filter::PruneByNoiseRate, None).is_err());
        let mut slices = 0;
        while !f.step(&ds, 20).unwrap().done {
            slices += 1;
        }
        assert!(slices > 10);
        let r = f.report(&ds, Filter::PruneByNoiseRate, None).unwrap();
        let q = r.out_of_sample.quality.unwrap();
        assert!(
            q.precision.unwrap() > 0.7 && q.recall.unwrap() > 0.7,
            "{q:?}"
        );
        let first = &r.out_of_sample.issues[0];
        let s = &ds.samples()[ds.index_of(first.id).unwrap()];
        assert_eq!(first.given, s.given);
        assert_eq!(first.truly_mislabeled, Some(s.is_mislabeled()));
        assert!(r.in_sample.is_none());
    }
}
