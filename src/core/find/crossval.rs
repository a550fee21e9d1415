//! Out-of-sample predicted probabilities by stratified K-fold
//! cross-validation: each fold's model predicts only images it never trained
//! on. In-sample probabilities are a poor signal of label errors once a
//! model has memorized them; out-of-sample ones are what confident learning
//! needs (Northcutt et al. 2021, section 2).
//!
//! The work is a state machine that advances in steps, so that the browser
//! worker can run it in short slices and stay responsive.

use ndarray::Array2;

use crate::core::config::TrainConfig;
use crate::core::data::Dataset;
use crate::core::error::{LabError, Result};
use crate::core::limits;
use crate::core::nn::log_softmax_in_place;
use crate::core::rng::hash_id;
use crate::core::train::Trainer;

/// Fold of every sample (both splits), stratified by given label: within
/// each class, samples are ranked by a seeded hash and dealt round-robin.
pub fn stratified_folds(ds: &Dataset, folds: usize, seed: u64) -> Vec<usize> {
    let mut by_class: Vec<Vec<(u64, usize)>> = vec![Vec::new(); ds.num_classes()];
    for (i, s) in ds.samples().iter().enumerate() {
        by_class[s.given].push((hash_id(seed ^ 0xF01D, s.id), i));
    }
    let mut fold_of = vec![0; ds.len()];
    let mut next = 0;
    for members in &mut by_class {
        members.sort_unstable();
        for &(_, i) in members.iter() {
            fold_of[i] = next % folds;
            next += 1;
        }
    }
    fold_of
}

/// Progress of a cross-validation run.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    pub fold: usize,
    pub folds: usize,
    pub epoch: usize,
    pub epochs: usize,
    /// Share of all the work done, in [0, 1].
    pub fraction: f64,
    pub done: bool,
}

#[derive(Debug, Clone)]
pub struct CrossValidation {
    fold_of: Vec<usize>,
    folds: usize,
    epochs: usize,
    config: TrainConfig,
    fold: usize,
    /// The dataset with this fold's images marked as held out.
    fold_data: Option<(Dataset, Trainer)>,
    probs: Array2<f32>,
    /// Dataset revision at the start; a change invalidates the run.
    revision: u64,
}

impl CrossValidation {
    /// Plans `folds`-fold cross-validation, `epochs` epochs per fold.
    pub fn new(ds: &Dataset, config: TrainConfig, folds: usize, epochs: usize) -> Result<Self> {
        limits::FOLDS.check_whole(folds)?;
        limits::FOLD_EPOCHS.check_whole(epochs)?;
        ds.check_trainable()?;
        let counts = ds.class_counts();
        if let Some(k) = counts.iter().position(|&c| c < folds) {
            return Err(LabError::Dataset(format!(
                "class \"{}\" has {} images; {folds}-fold cross-validation needs at least {folds} per class",
                ds.classes()[k],
                counts[k]
            )));
        }
        Ok(CrossValidation {
            fold_of: stratified_folds(ds, folds, config.seed()),
            folds,
            epochs,
            fold: 0,
            fold_data: None,
            probs: Array2::from_elem((ds.len(), ds.num_classes()), f32::NAN),
            revision: ds.revision(),
            config,
        })
    }

    pub fn progress(&self) -> Progress {
        let epoch = self.fold_data.as_ref().map_or(0, |(_, t)| t.epoch());
        let total = (self.folds * self.epochs) as f64;
        Progress {
            fold: self.fold.min(self.folds - 1) + (self.fold < self.folds) as usize,
            folds: self.folds,
            epoch,
            epochs: self.epochs,
            fraction: ((self.fold * self.epochs + epoch) as f64 / total).min(1.0),
            done: self.fold >= self.folds,
        }
    }

    pub fn is_done(&self) -> bool {
        self.fold >= self.folds
    }

    /// Out-of-sample probabilities, one row per sample (NaN until done).
    pub fn probabilities(&self) -> &Array2<f32> {
        &self.probs
    }

    /// Runs up to `steps` mini-batch steps; moves to the next fold when one
    /// has trained its epochs. The dataset must not change during the run.
    pub fn step(&mut self, ds: &Dataset, steps: usize) -> Result<Progress> {
        if ds.revision() != self.revision || ds.len() != self.probs.nrows() {
            return Err(LabError::Dataset(
                "the images changed during cross-validation; start it again".into(),
            ));
        }
        if let Some((data, _)) = &mut self.fold_data {
            // Given labels may have been changed by a person since the last
            // call; a new fold copies them afresh anyway.
            for (dst, src) in data.samples_mut().iter_mut().zip(ds.samples()) {
                dst.given = src.given;
            }
        }
        let mut left = steps;
        while left > 0 && !self.is_done() {
            if self.fold_data.is_none() {
                let data = self.fold_dataset(ds);
                let trainer = Trainer::single(&data, self.config.once_per_epoch())?;
                self.fold_data = Some((data, trainer));
            }
            let (data, trainer) = self.fold_data.as_mut().expect("just set");
            trainer.step(data)?;
            left -= 1;
            if trainer.epoch() >= self.epochs {
                self.predict_fold(ds);
                self.fold_data = None;
                self.fold += 1;
            }
        }
        Ok(self.progress())
    }

    /// Runs to the end (native use).
    pub fn run(&mut self, ds: &Dataset, mut on_progress: impl FnMut(Progress)) -> Result<()> {
        while !self.is_done() {
            on_progress(self.step(ds, 64)?);
        }
        Ok(())
    }

    fn fold_dataset(&self, ds: &Dataset) -> Dataset {
        let train: Vec<bool> = self.fold_of.iter().map(|&f| f != self.fold).collect();
        ds.with_training_subset(&train)
    }

    fn predict_fold(&mut self, ds: &Dataset) {
        let (_, trainer) = self.fold_data.as_ref().expect("a fold is running");
        let model = trainer.model(0).expect("one model");
        let idx: Vec<usize> = (0..ds.len())
            .filter(|&i| self.fold_of[i] == self.fold)
            .collect();
        for chunk in idx.chunks(512) {
            let mut lp = model.logits(ds.batch(chunk).view());
            log_softmax_in_place(lp.view_mut());
            for (row, &i) in chunk.iter().enumerate() {
                for k in 0..lp.ncols() {
                    self.probs[[i, k]] = lp[[row, k]].exp();
                }
            }
        }
    }
}

/// In-sample probabilities of a trained model, for comparison.
pub fn in_sample_probabilities(model: &crate::core::nn::Mlp, ds: &Dataset) -> Array2<f32> {
    let all: Vec<usize> = (0..ds.len()).collect();
    let mut lp = model.logits(ds.batch(&all).view());
    log_softmax_in_place(lp.view_mut());
    lp.mapv_inplace(f32::exp);
    lp
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::config::Settings;
    use crate::core::rng::Rng;

    fn blobs(n: usize) -> Dataset {
        let mut ds = Dataset::new(2, 1, vec!["a".into(), "b".into(), "c".into()]).unwrap();
        let mut rng = Rng::new(2);
        for i in 0..n {
            let c = i % 3;
            let px: Vec<u8> = (0..4)
                .map(|d| if d == c { 200 } else { 50 } as u8 + rng.below(30) as u8)
                .collect();
            ds.push_sample(&i.to_string(), &px, c, Some(c)).unwrap();
        }
        ds.resplit();
        ds
    }

    #[test]
    fn folds_are_stratified_and_balanced() {
        let ds = blobs(90);
        let f = stratified_folds(&ds, 5, 1);
        for fold in 0..5 {
            for c in 0..3 {
                let n = (0..90)
                    .filter(|&i| f[i] == fold && ds.samples()[i].given == c)
                    .count();
                assert_eq!(n, 6);
            }
        }
    }

    #[test]
    fn every_sample_gets_an_out_of_sample_distribution() {
        let ds = blobs(60);
        let config = Settings {
            hidden: vec![8],
            learning_rate: 0.01,
            ..Settings::default()
        }
        .validate()
        .unwrap();
        let mut cv = CrossValidation::new(&ds, config, 3, 30).unwrap();
        let mut seen = Vec::new();
        cv.run(&ds, |p| seen.push(p)).unwrap();
        assert!(seen.last().unwrap().done);
        assert!(seen.windows(2).all(|w| w[0].fraction <= w[1].fraction));
        let p = cv.probabilities();
        for row in p.rows() {
            assert!((row.sum() - 1.0).abs() < 1e-4, "{row}");
        }
        let acc = (0..60)
            .filter(|&i| {
                crate::core::nn::argmax_rows(p.slice(ndarray::s![i..i + 1, ..]))[0] == i % 3
            })
            .count();
        assert!(acc > 50, "out-of-sample accuracy {acc}/60");
    }

    #[test]
    fn refuses_tiny_classes_and_changed_data() {
        let ds = blobs(9);
        let config = TrainConfig::default();
        let e = CrossValidation::new(&ds, config.clone(), 5, 3).unwrap_err();
        assert!(e.to_string().contains("needs at least 5 per class"), "{e}");
        let mut ds = blobs(30);
        let mut cv = CrossValidation::new(&ds, config, 3, 3).unwrap();
        ds.add_sample("new", &[0; 4], 0, Some(0)).unwrap();
        assert!(cv.step(&ds, 1).is_err());
    }
}
