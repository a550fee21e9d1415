//! The points of the curves: when within an epoch the models are measured,
//! what a point records, and the rollback when a measurement shows that
//! training diverged.

use super::Trainer;
use crate::core::data::Dataset;
use crate::core::error::{LabError, Result};
use crate::core::train::{evaluate, EpochReport, Evaluation};

impl Trainer {
    /// Whether the step that moved the epoch's cursor from `before` to
    /// `after` (of N samples) ends at a point: the k-th of P points falls at
    /// the first step whose cursor reaches k·N/P, so the points share the
    /// epoch evenly, the last is the epoch end, and there is at most one per
    /// step (every step when P is at least the steps per epoch).
    pub(super) fn is_point(&self, before: usize, after: usize) -> bool {
        let (n, p) = (self.order.len().max(1), self.config.points_per_epoch());
        after * p / n > before * p / n
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
            // The data map takes p(given) once per epoch, at its end, on the
            // images as they were measured (before a new order is drawn).
            for (map, e) in self.cartography.iter_mut().zip(&evaluations) {
                map.record(ds, e);
            }
            self.epoch += 1;
            epoch = self.epoch as f64;
            self.new_order(ds);
        }
        debug_assert!(self.reports.last().is_none_or(|r| r.epoch < epoch));
        self.reports.push(EpochReport {
            epoch,
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
