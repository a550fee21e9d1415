//! The points of the curves: when within an epoch the models are measured,
//! what a point records, and the rollback when a measurement shows that
//! training diverged.

use super::Trainer;
use crate::core::data::Dataset;
use crate::core::error::{LabError, Result};
use crate::core::nn::{Mlp, Optimizer};
use crate::core::rng::Rng;
use crate::core::train::{evaluate, Cartography, EpochReport, Evaluation};

/// A point measured by this trainer whose lent models' measurements are
/// still to come, with what it changed, to undo if it has to.
#[derive(Debug, Clone)]
pub(super) struct Pending {
    pub(super) epoch: f64,
    /// Per model: measured here, or (lent) still to come.
    pub(super) evaluations: Vec<Option<Evaluation>>,
    pub(super) undo: Undo,
}

/// The state a point replaced.
#[derive(Debug, Clone)]
pub(super) struct Undo {
    epoch: usize,
    last_point: f64,
    /// At an epoch end: the order, cursor, shuffle and revision seen.
    order: Option<(Vec<usize>, usize, Rng, u64)>,
    /// Per model measured here: the weights saved at the point before.
    snapshots: Vec<Option<(Mlp, Optimizer)>>,
    /// Per model measured here, at an epoch end: its data map before.
    cartography: Vec<Option<Cartography>>,
}

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

    /// Measures every model trained here on every sample and moves on past
    /// the point: each model's weights are saved to fall back to, the data
    /// maps take the epoch end, the epoch count and a new order move on.
    /// Lent models' measurements are still to come: [`Trainer::finish_point`]
    /// records the point, or undoes all this if a measurement shows that
    /// training diverged.
    pub(super) fn begin_point(&mut self, ds: &Dataset, epoch_end: bool) {
        let evaluations: Vec<Option<Evaluation>> = self
            .learners
            .iter()
            .zip(&self.lent)
            .map(|(l, &lent)| (!lent).then(|| evaluate(&l.model, ds, l.epsilon)))
            .collect();
        let mut undo = Undo {
            epoch: self.epoch,
            last_point: self.last_point,
            order: None,
            snapshots: Vec::new(),
            cartography: Vec::new(),
        };
        for (l, e) in self.learners.iter_mut().zip(&evaluations) {
            undo.snapshots.push(e.as_ref().map(|_| l.save()));
        }
        let mut epoch = self.epoch as f64 + self.progress_in_epoch();
        if epoch_end {
            // The data map takes p(given) once per epoch, at its end, on the
            // images as they were measured (before a new order is drawn).
            for (map, e) in self.cartography.iter_mut().zip(&evaluations) {
                undo.cartography.push(e.as_ref().map(|e| map.record(ds, e)));
            }
            self.epoch += 1;
            epoch = self.epoch as f64;
            let order = std::mem::take(&mut self.order);
            undo.order = Some((order, self.cursor, self.shuffle.clone(), self.seen_revision));
            self.new_order(ds);
        }
        self.last_point = epoch;
        self.pending = Some(Pending {
            epoch,
            evaluations,
            undo,
        });
    }

    /// Records the point begun with every model's measurement: `lent` holds
    /// those of the lent models, by model index. A model that is no longer
    /// finite rolls every model back to the point before instead.
    pub(super) fn finish_point(&mut self, lent: Vec<(usize, Evaluation)>) -> Result<&EpochReport> {
        let mut p = self
            .pending
            .take()
            .ok_or_else(|| LabError::Dataset("no point is waiting for measurements".into()))?;
        for (i, e) in lent {
            if let Some(slot) = p.evaluations.get_mut(i) {
                *slot = Some(e);
            }
        }
        let Some(evaluations) = p.evaluations.into_iter().collect::<Option<Vec<_>>>() else {
            self.undo_point(p.undo);
            return Err(self.diverged("a lent model's measurement did not come back".into()));
        };
        if let Some(bad) = evaluations.iter().find(|e| !e.report.is_finite()) {
            let what = format!("the mean loss became {}", bad.report.objective);
            self.undo_point(p.undo);
            return Err(self.diverged(what));
        }
        debug_assert!(self.reports.last().is_none_or(|r| r.epoch < p.epoch));
        self.reports.push(EpochReport {
            epoch: p.epoch,
            models: evaluations.iter().map(|e| e.report.clone()).collect(),
        });
        self.evaluations = evaluations;
        Ok(self.reports.last().expect("just pushed"))
    }

    /// Goes back to just before [`Trainer::begin_point`].
    pub(super) fn undo_point(&mut self, undo: Undo) {
        self.epoch = undo.epoch;
        self.last_point = undo.last_point;
        if let Some((order, cursor, shuffle, seen)) = undo.order {
            (self.order, self.cursor, self.shuffle, self.seen_revision) =
                (order, cursor, shuffle, seen);
        }
        for (l, saved) in self.learners.iter_mut().zip(undo.snapshots) {
            if let Some(saved) = saved {
                l.snapshot = saved;
            }
        }
        for (map, before) in self.cartography.iter_mut().zip(undo.cartography) {
            if let Some(before) = before {
                *map = before;
            }
        }
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
