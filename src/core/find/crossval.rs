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
    /// The fold under way, from 1 (all of them once done).
    pub fold: usize,
    pub folds: usize,
    pub epoch: usize,
    pub epochs: usize,
    /// Share of all the work done, in [0, 1].
    pub fraction: f64,
    pub done: bool,
    /// Nothing is left to train here until a fold taken away comes back.
    pub idle: bool,
}

/// Where a fold stands: folds can be trained here, step by step, or taken
/// away whole (to a pool worker, see [`fold_probabilities`]) and handed back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FoldState {
    Waiting,
    Away,
    Done,
}

#[derive(Debug, Clone)]
pub struct CrossValidation {
    fold_of: Vec<usize>,
    folds: usize,
    epochs: usize,
    config: TrainConfig,
    states: Vec<FoldState>,
    /// The fold trained here: its index, its dataset (this fold's images
    /// held out) and its trainer.
    here: Option<(usize, Dataset, Trainer)>,
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
            states: vec![FoldState::Waiting; folds],
            here: None,
            probs: Array2::from_elem((ds.len(), ds.num_classes()), f32::NAN),
            revision: ds.revision(),
            config,
        })
    }

    fn done_folds(&self) -> usize {
        self.states
            .iter()
            .filter(|&&s| s == FoldState::Done)
            .count()
    }

    pub fn progress(&self) -> Progress {
        let epoch = self.here.as_ref().map_or(0, |(_, _, t)| t.epoch());
        let done = self.done_folds();
        let total = (self.folds * self.epochs) as f64;
        Progress {
            fold: (done + 1).min(self.folds),
            folds: self.folds,
            epoch,
            epochs: self.epochs,
            fraction: ((done * self.epochs + epoch) as f64 / total).min(1.0),
            done: self.is_done(),
            idle: self.here.is_none()
                && !self.states.contains(&FoldState::Waiting)
                && !self.is_done(),
        }
    }

    pub fn is_done(&self) -> bool {
        self.done_folds() == self.folds
    }

    /// Out-of-sample probabilities, one row per sample (NaN until done).
    pub fn probabilities(&self) -> &Array2<f32> {
        &self.probs
    }

    /// The settings each fold's model trains with.
    pub fn config(&self) -> &TrainConfig {
        &self.config
    }

    /// Takes a fold that nobody trains yet, to be trained elsewhere and
    /// handed back with [`CrossValidation::accept_fold`]; None when none is left.
    pub fn take_fold(&mut self) -> Option<usize> {
        let fold = self.states.iter().position(|&s| s == FoldState::Waiting)?;
        self.states[fold] = FoldState::Away;
        Some(fold)
    }

    /// A fold taken away comes back untrained (its worker failed): it is
    /// trained here instead.
    pub fn release_fold(&mut self, fold: usize) {
        if self.states.get(fold) == Some(&FoldState::Away) {
            self.states[fold] = FoldState::Waiting;
        }
    }

    /// The probabilities of a fold taken away, as [`fold_probabilities`]
    /// gives them.
    pub fn accept_fold(&mut self, fold: usize, rows: &[f32]) -> Result<()> {
        if self.states.get(fold) != Some(&FoldState::Away) {
            return Err(LabError::Dataset(format!("fold {fold} was not handed out")));
        }
        let members = fold_members(&self.fold_of, fold);
        let k = self.probs.ncols();
        if rows.len() != members.len() * k {
            return Err(LabError::Dataset(format!(
                "fold {fold}: expected {} probabilities, got {}",
                members.len() * k,
                rows.len()
            )));
        }
        for (row, &i) in rows.chunks_exact(k).zip(&members) {
            for (c, &p) in row.iter().enumerate() {
                self.probs[[i, c]] = p;
            }
        }
        self.states[fold] = FoldState::Done;
        Ok(())
    }

    /// Runs up to `steps` mini-batch steps of the folds trained here; starts
    /// the next waiting fold when one has trained its epochs. The dataset
    /// must not change during the run.
    pub fn step(&mut self, ds: &Dataset, steps: usize) -> Result<Progress> {
        if ds.revision() != self.revision || ds.len() != self.probs.nrows() {
            return Err(LabError::Dataset(
                "the images changed during cross-validation; start it again".into(),
            ));
        }
        if let Some((_, data, _)) = &mut self.here {
            // Given labels may have been changed by a person since the last
            // call; a new fold copies them afresh anyway.
            for (dst, src) in data.samples_mut().iter_mut().zip(ds.samples()) {
                dst.given = src.given;
            }
        }
        let mut left = steps;
        while left > 0 {
            if self.here.is_none() {
                let Some(fold) = self.states.iter().position(|&s| s == FoldState::Waiting) else {
                    break; // done, or the rest are away
                };
                let (data, trainer) = start_fold(ds, &self.fold_of, &self.config, fold)?;
                self.states[fold] = FoldState::Away;
                self.here = Some((fold, data, trainer));
            }
            let (fold, data, trainer) = self.here.as_mut().expect("just set");
            trainer.step(data)?;
            left -= 1;
            if trainer.epoch() >= self.epochs {
                let fold = *fold;
                let rows = predict_fold(trainer, ds, &self.fold_of, fold);
                self.here = None;
                self.accept_fold(fold, &rows)?;
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
}

/// The samples of `fold`, in dataset order.
fn fold_members(fold_of: &[usize], fold: usize) -> Vec<usize> {
    (0..fold_of.len()).filter(|&i| fold_of[i] == fold).collect()
}

/// The dataset with `fold`'s samples held out, and a fresh model for it.
fn start_fold(
    ds: &Dataset,
    fold_of: &[usize],
    config: &TrainConfig,
    fold: usize,
) -> Result<(Dataset, Trainer)> {
    let train: Vec<bool> = fold_of.iter().map(|&f| f != fold).collect();
    let data = ds.with_training_subset(&train);
    let trainer = Trainer::single(&data, config.once_per_epoch())?;
    Ok((data, trainer))
}

/// The trained fold model's probabilities for the fold's samples, a row of
/// K per sample in dataset order.
fn predict_fold(trainer: &Trainer, ds: &Dataset, fold_of: &[usize], fold: usize) -> Vec<f32> {
    let model = trainer.model(0).expect("one model");
    let members = fold_members(fold_of, fold);
    let mut out = Vec::with_capacity(members.len() * ds.num_classes());
    for chunk in members.chunks(512) {
        let mut lp = model.logits(ds.batch(chunk).view());
        log_softmax_in_place(lp.view_mut());
        out.extend(lp.iter().map(|v| v.exp()));
    }
    out
}

/// One fold, whole, the way [`CrossValidation::step`] trains it: the
/// probabilities [`CrossValidation::accept_fold`] takes. `config` is the
/// run's ([`CrossValidation::config`]); for a pool worker, which has a copy
/// of the dataset.
pub fn fold_probabilities(
    ds: &Dataset,
    config: &TrainConfig,
    folds: usize,
    epochs: usize,
    fold: usize,
) -> Result<Vec<f32>> {
    limits::FOLDS.check_whole(folds)?;
    limits::FOLD_EPOCHS.check_whole(epochs)?;
    if fold >= folds {
        return Err(LabError::Dataset(format!(
            "there is no fold {fold} of {folds}"
        )));
    }
    let fold_of = stratified_folds(ds, folds, config.seed());
    let (data, mut trainer) = start_fold(ds, &fold_of, config, fold)?;
    while trainer.epoch() < epochs {
        trainer.step(&data)?;
    }
    Ok(predict_fold(&trainer, ds, &fold_of, fold))
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
mod tests;
