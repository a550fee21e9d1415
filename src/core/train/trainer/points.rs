//! The points of the curves: when within an epoch the models are measured,
//! what a point records, and the rollback when a measurement shows that
//! training diverged.

use super::Trainer;
use crate::core::data::Dataset;
use crate::core::error::{LabError, Result};
use crate::core::train::{evaluate, EpochReport, Evaluation};

impl Trainer {
    /// Whether the epoch's `step`-th step (from 1) ends at a point: the
    /// points share the epoch's S steps evenly, the k-th of P at the first
    /// step s with s·P/S ≥ k, so the last is the epoch end and there is at
    /// most one per step (every step when P ≥ S).
    pub(super) fn is_point(&self, step: usize) -> bool {
        let s = self.order.len().div_ceil(self.config.batch_size()).max(1);
        let p = self.config.points_per_epoch();
        step * p / s > (step - 1) * p / s
    }

    /// How far through the current epoch the batches have gone, in [0, 1].
    pub(super) fn progress_in_epoch(&self) -> f64 {
        if self.order.is_empty() {
            return 0.0;
        }
        self.cursor as f64 / self.order.len() as f64
    }

    /// Measures every model on every sample and records a point; at an
    /// epoch end, the epoch count moves on and a new order is drawn. A model
    /// that is no longer finite is rolled back instead.
    pub(super) fn measure(&mut self, ds: &Dataset, epoch_end: bool) -> Result<&EpochReport> {
        let evaluations: Vec<Evaluation> = self
            .learners
            .iter()
            .map(|l| evaluate(&l.model, ds, l.epsilon))
            .collect();
        if let Some(bad) = evaluations.iter().find(|e| !e.report.is_finite()) {
            let what = format!("the mean loss became {}", bad.report.objective);
            return Err(self.diverged(what));
        }
        for l in &mut self.learners {
            l.save();
        }
        let mut epoch = self.epoch as f64 + self.progress_in_epoch();
        if epoch_end {
            self.epoch += 1;
            self.epoch_steps = 0;
            epoch = self.epoch as f64;
            self.new_order(ds);
        }
        // A mid-epoch reorder can land a step short of the last point.
        let last = self.reports.last().map_or(0.0, |r| r.epoch);
        self.reports.push(EpochReport {
            epoch: epoch.max(last),
            models: evaluations.iter().map(|e| e.report.clone()).collect(),
        });
        self.evaluations = evaluations;
        Ok(self.reports.last().expect("just pushed"))
    }

    /// Puts every model back at its last measured point (still in lockstep)
    /// and returns the error that says why.
    pub(super) fn diverged(&mut self, what: String) -> LabError {
        for l in &mut self.learners {
            l.roll_back();
        }
        self.evaluations.clear();
        LabError::Diverged(what)
    }
}
