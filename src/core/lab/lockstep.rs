//! The lab's side of training a model in another worker, in lockstep
//! (`core::train` lockstep): the session keeps the project and the baseline,
//! lends the smoothed model to a pool worker ([`super::LentModel`] there),
//! and each slice combines its own steps with the lent model's reply. What
//! the page reads (the curves, per-image losses, the data maps) is then the
//! same, bit for bit, as when both models train here.

use super::Lab;
use crate::core::error::{LabError, Result};
use crate::core::train::{LockstepReply, Resolution, SliceEnd};

/// Where the lab's lockstep slice stands between its own steps and the
/// lent model's reply.
#[derive(Debug, Clone)]
pub struct OwnSlice {
    end: SliceEnd,
    /// The trainer it ran on: a reply for an older trainer is void.
    build: u64,
}

/// What a lockstep slice came to, once the reply is in.
#[derive(Debug, Clone, PartialEq)]
pub struct SliceOutcome {
    /// To send to the lent model before anything else.
    pub resolution: Resolution,
    /// Steps the lab took in the slice.
    pub steps: usize,
    pub epochs: usize,
    /// Why training stopped (the models are back at the last point).
    pub error: Option<String>,
    /// The reply was for a trainer since replaced (restart, new settings):
    /// nothing was recorded, and the lent model is void.
    pub void: bool,
}

impl Lab {
    /// Makes sure that a trainer fitting the data exists and that the data
    /// can be trained on (the error says why not); returns the trainer's
    /// build number, which changes whenever it is made anew.
    pub fn prepare_training(&mut self) -> Result<u64> {
        self.dataset.check_trainable()?;
        self.ensure_trainer()?;
        Ok(self.builds)
    }

    /// Whether model `index` is lent to another worker now.
    pub fn is_lent(&self, index: usize) -> bool {
        self.trainer.as_ref().is_some_and(|t| t.is_lent(index))
    }

    /// Lends model `index`: the bytes another worker's
    /// [`super::LentModel::lend`] goes on from.
    pub fn lend_model(&mut self, index: usize) -> Result<Vec<u8>> {
        self.prepare_training()?;
        let trainer = self.trainer.as_mut().expect("prepared");
        trainer.lend(index)?.encode()
    }

    /// Takes model `index` back from [`super::LentModel::give_back`]'s bytes.
    pub fn take_back_model(&mut self, index: usize, bytes: &[u8]) -> Result<()> {
        let back = crate::core::train::Trainer::decode(bytes)?;
        let trainer = self
            .trainer
            .as_mut()
            .ok_or_else(|| LabError::Dataset("no model is lent: the models restarted".into()))?;
        trainer.take_back(index, back)
    }

    /// The lent model was lost (its worker stopped): the run starts again
    /// from its first weights, as [`Lab::prepare_training`] will build them.
    pub fn restart_run(&mut self) {
        self.trainer = None;
    }

    /// The lab's own part of a lockstep slice: up to `max` steps of the
    /// models it trains; [`Lab::finish_lockstep`] then takes the reply.
    pub fn lockstep_steps(&mut self, max: usize) -> Result<OwnSlice> {
        // The caller prepared the trainer just before (the data's check is
        // not done twice a slice); this only makes sure one exists.
        self.ensure_trainer()?;
        let build = self.builds;
        let trainer = self.trainer.as_mut().expect("ensured");
        let end = trainer.lockstep_steps(&self.dataset, max)?;
        Ok(OwnSlice { end, build })
    }

    /// Combines the lab's slice with the lent models' replies.
    pub fn finish_lockstep(&mut self, own: OwnSlice, replies: &[&[u8]]) -> Result<SliceOutcome> {
        let replies = replies
            .iter()
            .map(|r| LockstepReply::decode(r))
            .collect::<Result<Vec<_>>>()?;
        let current = self.trainer.is_some() && own.build == self.builds;
        let Some(trainer) = self.trainer.as_mut().filter(|_| current) else {
            return Ok(SliceOutcome {
                resolution: Resolution::Commit,
                steps: 0,
                epochs: 0,
                error: None,
                void: true,
            });
        };
        let steps = own.end.steps;
        let (resolution, outcome) = trainer.lockstep_finish(own.end, replies);
        Ok(SliceOutcome {
            resolution,
            steps,
            epochs: *outcome.as_ref().unwrap_or(&0),
            error: outcome.err().map(|e| e.to_string()),
            void: false,
        })
    }

    /// The data's stamp for a copy elsewhere: its revision (images added,
    /// removed, re-split: copy it anew) and a digest of its labels (copy
    /// them alone).
    pub fn data_stamp(&self) -> (u64, u64) {
        (self.dataset.revision(), self.dataset.labels_digest())
    }

    /// Model `index`'s ε now (it may change between slices).
    pub fn epsilon_of(&self, index: usize) -> f32 {
        let eps = self.trainer.as_ref().map(|t| t.epsilons());
        eps.and_then(|e| e.get(index).copied()).unwrap_or(0.0)
    }
}

#[cfg(test)]
mod tests;
