//! The ε sweep: several label-smoothing ε trained in lockstep (the same
//! initial weights, the same batches), repeated over a few seeds, so that
//! what ε changes can be told from what chance changes.
//!
//! The dataset comes fixed — its held-out split and its noise are drawn
//! once — and a seed changes only the initial weights and the batch order:
//! the spread over seeds is then the training's own luck, not a different
//! test set or different mislabels.
//!
//! One seed is one [`SweepSeed`], stepped an epoch at a time so that a page
//! can run seeds in separate workers and show progress; [`summarise`]
//! (`summary.rs`) puts the seeds' results together per ε.

use serde::{Deserialize, Serialize};

use crate::core::config::TrainConfig;
use crate::core::data::Dataset;
use crate::core::error::{LabError, Result};
use crate::core::train::{EpochReport, ModelReport, Trainer};

mod summary;

pub use summary::{summarise, Spread, SweepRow};

/// What one ε's model did in one seed's run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EpsilonRun {
    pub epsilon: f32,
    /// The best held-out accuracy at any point measured: where early
    /// stopping on a clean validation set would have stopped.
    pub peak_test_acc: Option<f64>,
    pub final_test_acc: Option<f64>,
    pub final_test_ece: Option<f64>,
    /// Share of mislabeled training samples predicted as their wrong given
    /// label at the end; None without mislabeled training samples.
    pub final_memorized: Option<f64>,
}

/// One seed's run of every ε.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SeedRun {
    pub seed: u64,
    /// Epochs trained (the last report is their end).
    pub epochs: usize,
    /// One per ε, in the order asked for.
    pub models: Vec<EpsilonRun>,
}

/// One seed of a sweep, trained an epoch at a time.
#[derive(Debug, Clone)]
pub struct SweepSeed {
    trainer: Trainer,
    seed: u64,
    epochs: usize,
}

impl SweepSeed {
    /// Every ε of `epsilons` from the same initial weights drawn from
    /// `seed` (the config's own seed is replaced), for `epochs` epochs.
    pub fn new(
        ds: &Dataset,
        config: &TrainConfig,
        epsilons: &[f32],
        seed: u64,
        epochs: usize,
    ) -> Result<Self> {
        if epsilons.is_empty() {
            return Err(LabError::setting("ε list", "at least one ε", "none"));
        }
        if epochs == 0 {
            return Err(LabError::setting("epochs", "at least 1", 0));
        }
        let trainer = Trainer::new(ds, config.with_seed(seed), epsilons)?;
        Ok(SweepSeed {
            trainer,
            seed,
            epochs,
        })
    }

    /// Trains one more epoch; true once all epochs are done (then it does
    /// nothing more).
    pub fn step_epoch(&mut self, ds: &Dataset) -> Result<bool> {
        if !self.is_done() {
            self.trainer.run_epoch(ds)?;
        }
        Ok(self.is_done())
    }

    /// Trains up to `steps` mini-batches, never past the last epoch; true
    /// once all epochs are done. The same run as [`SweepSeed::step_epoch`],
    /// in pieces small enough to share a thread with other work.
    pub fn step_batches(&mut self, ds: &Dataset, steps: usize) -> Result<bool> {
        for _ in 0..steps {
            if self.is_done() {
                break;
            }
            self.trainer.step(ds)?;
        }
        Ok(self.is_done())
    }

    pub fn is_done(&self) -> bool {
        self.trainer.epoch() >= self.epochs
    }

    /// Epochs trained so far.
    pub fn epochs_done(&self) -> usize {
        self.trainer.epoch()
    }

    pub fn epochs(&self) -> usize {
        self.epochs
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Every point measured so far, one report per ε in each.
    pub fn reports(&self) -> &[EpochReport] {
        self.trainer.reports()
    }

    /// The run so far (all of it once done): peaks over every point
    /// measured, the rest from the last one.
    pub fn result(&self) -> SeedRun {
        let reports = self.trainer.reports();
        let models = self
            .trainer
            .epsilons()
            .into_iter()
            .enumerate()
            .map(|(m, epsilon)| {
                let last: Option<&ModelReport> = reports.last().map(|r| &r.models[m]);
                let peak_test_acc = reports
                    .iter()
                    .filter_map(|r| r.models[m].test_acc)
                    .reduce(f64::max);
                EpsilonRun {
                    epsilon,
                    peak_test_acc,
                    final_test_acc: last.and_then(|r| r.test_acc),
                    final_test_ece: last.and_then(|r| r.test_ece),
                    final_memorized: last.and_then(|r| r.memorized),
                }
            })
            .collect();
        SeedRun {
            seed: self.seed,
            epochs: self.trainer.epoch(),
            models,
        }
    }
}

/// A whole sweep, one seed after another; `progress(seed, epochs done)`
/// after every epoch.
pub fn run_sweep(
    ds: &Dataset,
    config: &TrainConfig,
    epsilons: &[f32],
    seeds: &[u64],
    epochs: usize,
    mut progress: impl FnMut(u64, usize),
) -> Result<Vec<SeedRun>> {
    let mut runs = Vec::with_capacity(seeds.len());
    for &seed in seeds {
        let mut run = SweepSeed::new(ds, config, epsilons, seed, epochs)?;
        while !run.step_epoch(ds)? {
            progress(seed, run.epochs_done());
        }
        progress(seed, run.epochs_done());
        runs.push(run.result());
    }
    Ok(runs)
}

#[cfg(test)]
mod tests;
