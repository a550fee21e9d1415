//! The held-out split: stratified, seeded, and stable as images come and
//! go; and which images train.

use super::dataset::Dataset;
use crate::core::error::{LabError, Result};
use crate::core::rng::hash_id;

impl Dataset {
    /// Sets the held-out share and seed and redraws the split.
    pub fn set_split(&mut self, fraction: f64, seed: u64) -> Result<()> {
        if !(0.0..=0.5).contains(&fraction) || !fraction.is_finite() {
            return Err(LabError::setting(
                "held-out fraction",
                "between 0 and 0.5",
                fraction,
            ));
        }
        self.holdout_fraction = fraction;
        self.split_seed = seed;
        self.resplit();
        Ok(())
    }

    /// Stratified split: within each (reference) class, samples are ranked by
    /// a seeded hash of their id and the first round(f·n) are held out, never
    /// all of a class. Ranking by id hash keeps the split stable when images
    /// are added or removed: only the boundary sample of a class can move.
    pub fn resplit(&mut self) {
        self.revision += 1;
        let k = self.classes.len();
        let mut by_class: Vec<Vec<(u64, usize)>> = vec![Vec::new(); k];
        for (i, s) in self.samples.iter().enumerate() {
            by_class[s.reference_label()].push((hash_id(self.split_seed, s.id), i));
        }
        for members in &mut by_class {
            members.sort_unstable();
            let n = members.len();
            let held =
                ((self.holdout_fraction * n as f64).round() as usize).min(n.saturating_sub(1));
            for (rank, &(_, i)) in members.iter().enumerate() {
                self.samples[i].holdout = rank < held;
            }
        }
    }

    /// A copy in which exactly the marked samples form the training split
    /// (for cross-validation folds). The copy is not re-split.
    pub fn with_training_subset(&self, train: &[bool]) -> Dataset {
        let mut copy = self.clone();
        for (s, &t) in copy.samples.iter_mut().zip(train) {
            s.holdout = !t;
        }
        copy.revision += 1;
        copy
    }

    pub fn train_indices(&self) -> Vec<usize> {
        (0..self.len())
            .filter(|&i| !self.samples[i].holdout)
            .collect()
    }

    pub fn holdout_indices(&self) -> Vec<usize> {
        (0..self.len())
            .filter(|&i| self.samples[i].holdout)
            .collect()
    }

    /// Whether a model can be trained: at least two classes, and every class
    /// has a training image. The message says what to do.
    pub fn check_trainable(&self) -> Result<()> {
        if self.classes.len() < 2 {
            return Err(LabError::Dataset(
                "add at least two classes to train a classifier".into(),
            ));
        }
        let mut train_counts = vec![0usize; self.classes.len()];
        for s in self.samples.iter().filter(|s| !s.holdout) {
            train_counts[s.given] += 1;
        }
        if let Some(empty) = train_counts.iter().position(|&c| c == 0) {
            return Err(LabError::Dataset(format!(
                "class \"{}\" has no training images; add some or remove the class",
                self.classes[empty]
            )));
        }
        Ok(())
    }
}
