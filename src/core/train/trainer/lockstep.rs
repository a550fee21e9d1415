//! A run's models trained in more than one worker, in lockstep. The owner
//! (the session's trainer) lends a model to a pool worker: a trainer of that
//! model alone, at the same place in the run, on its own copy of the data.
//! Each slice, every side runs the same number of steps on the same batches
//! (the order is drawn from the run's seed, so each side draws it alike),
//! stopping at the same point of the curves; the lent side measures its
//! model there and sends the measurement back. The owner then resolves the
//! slice for all: the point stands, or (a model broke) every model goes back
//! to the last point. So the reports, the per-image values and the data
//! maps are those of training every model in one worker, bit for bit.
//!
//! A change to the data, ε or the settings enters between slices, on every
//! side alike; the caller copies it to the lent side before the next slice.

use super::Trainer;
use crate::core::data::Dataset;
use crate::core::error::{LabError, Result};
use crate::core::train::{Cartography, Evaluation};

/// How one side's slice went.
#[derive(Debug, Clone, PartialEq)]
pub struct SliceEnd {
    /// Steps taken; the last one broke a model if `failure` is set.
    pub steps: usize,
    /// Where the batches stand after them.
    pub cursor: usize,
    /// The last step ended at a point of the curves (measured on this side).
    pub point: bool,
    pub epoch_end: bool,
    /// The model (by index in the run) that broke, and why.
    pub failure: Option<(usize, String)>,
}

/// What every side does with the slice once the owner has every answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// The slice stands, with its point if it ended at one.
    Commit,
    /// A model broke: every model goes back to the last point, and the
    /// batches go on from `cursor` (just past the step that broke it).
    RollBack { cursor: usize },
}

/// A lent model's answer to a slice.
#[derive(Debug, Clone)]
pub struct LockstepReply {
    /// The model's index in the run.
    pub model: usize,
    pub end: SliceEnd,
    /// At a point: the model's measurement.
    pub evaluation: Option<Evaluation>,
    /// At an epoch end: the model's data map.
    pub cartography: Option<Cartography>,
}

impl Trainer {
    /// Runs up to `max` steps of the models trained here, stopping after a
    /// step that ends at a point (whose measurement is then begun) or that
    /// breaks a model (nothing is undone yet). Every side calls this with the
    /// same `max`, so all stop at the same step unless a model breaks.
    pub fn lockstep_steps(&mut self, ds: &Dataset, max: usize) -> Result<SliceEnd> {
        let mut end = SliceEnd {
            steps: 0,
            cursor: self.cursor,
            point: false,
            epoch_end: false,
            failure: None,
        };
        while end.steps < max.max(1) {
            let batch = self.train_batch(ds)?;
            end.steps += 1;
            end.cursor = self.cursor;
            match batch {
                super::Batch::Plain => continue,
                super::Batch::Diverged { model, what } => end.failure = Some((model, what)),
                super::Batch::Point { epoch_end } => {
                    self.begin_point(ds, epoch_end);
                    (end.point, end.epoch_end) = (true, epoch_end);
                }
            }
            break;
        }
        Ok(end)
    }

    /// The lent side's answer: its slice, with its measurement at a point
    /// and its data map at an epoch end. `model` is its index in the run.
    pub fn lockstep_reply(&self, model: usize, end: SliceEnd) -> LockstepReply {
        let measured = self.pending.as_ref().filter(|_| end.point);
        LockstepReply {
            model,
            evaluation: measured.and_then(|p| p.evaluations.first().cloned().flatten()),
            cartography: end
                .epoch_end
                .then(|| self.cartography.first().cloned())
                .flatten(),
            end,
        }
    }

    /// The owner's side: its own slice and the lent models' replies make
    /// one step of the run. Returns what every lent side must apply, and the
    /// epochs the slice completed, or why training stopped (the models are
    /// then back at the last point, as when training in one worker).
    pub fn lockstep_finish(
        &mut self,
        own: SliceEnd,
        replies: Vec<LockstepReply>,
    ) -> (Resolution, Result<usize>) {
        // The step that broke a model first; on the same step, the model
        // first in the run, as one worker would have stepped them in order.
        let first = std::iter::once(&own)
            .chain(replies.iter().map(|r| &r.end))
            .filter_map(|end| {
                end.failure
                    .as_ref()
                    .map(|(m, what)| (end.steps, *m, what, end.cursor))
            })
            .min_by_key(|&(steps, model, _, _)| (steps, model));
        if let Some((_, _, what, cursor)) = first {
            let what = what.clone();
            let resolution = Resolution::RollBack { cursor };
            self.resolve(resolution);
            return (resolution, Err(LabError::Diverged(what)));
        }
        let apart = replies.iter().any(|r| {
            let (a, b) = (&r.end, &own);
            (a.steps, a.cursor, a.point, a.epoch_end) != (b.steps, b.cursor, b.point, b.epoch_end)
        });
        let missing = replies
            .iter()
            .any(|r| !self.lent.get(r.model).copied().unwrap_or(false));
        if apart || missing {
            let resolution = Resolution::RollBack { cursor: own.cursor };
            self.resolve(resolution);
            let why = "the workers training the models fell out of step";
            return (resolution, Err(LabError::Dataset(why.into())));
        }
        if !own.point {
            return (Resolution::Commit, Ok(0));
        }
        let mut measured = Vec::new();
        let mut maps = Vec::new();
        for r in replies {
            if let Some(e) = r.evaluation {
                measured.push((r.model, e));
            }
            if let Some(map) = r.cartography {
                maps.push((r.model, map));
            }
        }
        match self.finish_point(measured) {
            Ok(_) => {
                for (model, map) in maps {
                    self.cartography[model] = map;
                }
                (Resolution::Commit, Ok(own.epoch_end as usize))
            }
            Err(e) => (
                Resolution::RollBack {
                    cursor: self.cursor,
                },
                Err(e),
            ),
        }
    }

    /// Applies the owner's resolution of the last slice (on the lent side,
    /// or on the owner itself).
    pub fn resolve(&mut self, resolution: Resolution) {
        match resolution {
            Resolution::Commit => self.pending = None,
            Resolution::RollBack { cursor } => {
                if let Some(p) = self.pending.take() {
                    self.undo_point(p.undo);
                }
                let _ = self.diverged(String::new());
                self.cursor = cursor.min(self.order.len());
            }
        }
    }

    /// Whether model `index` is lent to another worker.
    pub fn is_lent(&self, index: usize) -> bool {
        self.lent.get(index).copied().unwrap_or(false)
    }

    /// Lends model `index`: a trainer of that model alone, at the same place
    /// in the run, for another worker to train in lockstep with this one.
    pub fn lend(&mut self, index: usize) -> Result<Trainer> {
        if self.pending.is_some() || self.is_lent(index) || index >= self.learners.len() {
            return Err(LabError::Dataset(format!(
                "model {index} cannot be lent now"
            )));
        }
        self.lent[index] = true;
        Ok(self.alone(
            vec![self.learners[index].clone()],
            vec![self.cartography[index].clone()],
        ))
    }

    /// A trainer at this one's place in the run with only these models.
    fn alone(&self, learners: Vec<super::Learner>, cartography: Vec<Cartography>) -> Trainer {
        Trainer {
            config: self.config.clone(),
            lent: vec![false; learners.len()],
            learners,
            shuffle: self.shuffle.clone(),
            order: self.order.clone(),
            cursor: self.cursor,
            epoch: self.epoch,
            restarts: self.restarts,
            seen_revision: self.seen_revision,
            shape: self.shape,
            batch_x: ndarray::Array2::zeros((0, 0)),
            labels: Vec::new(),
            reports: Vec::new(),
            evaluations: Vec::new(),
            cartography,
            last_point: self.last_point,
            pending: None,
        }
    }

    /// Takes model `index` back from the trainer it was lent to, which must
    /// stand at the same place in the run.
    pub fn take_back(&mut self, index: usize, mut from: Trainer) -> Result<()> {
        let same_place = from.cursor == self.cursor
            && from.epoch == self.epoch
            && from.order == self.order
            && from.restarts == self.restarts;
        if !self.is_lent(index) || from.learners.len() != 1 || from.pending.is_some() || !same_place
        {
            return Err(LabError::Dataset(format!(
                "model {index} came back from another point of the run"
            )));
        }
        // ε may have moved here since the last slice told the other side:
        // the owner's is the one in force.
        let epsilon = self.learners[index].epsilon;
        self.learners[index] = from.learners.remove(0);
        self.learners[index].epsilon = epsilon;
        self.cartography[index] = from.cartography.remove(0);
        self.lent[index] = false;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
