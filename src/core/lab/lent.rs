//! A model lent by a lab to a pool worker ([`super::Lab::lend_model`]): the
//! worker's own copy of the data, kept up to date by the lab before each
//! slice, and the lent model's trainer, which runs the same slices as the
//! lab's and replies with its measurements.

use crate::core::data::Dataset;
use crate::core::error::{LabError, Result};
use crate::core::train::{Resolution, Trainer};

/// A pool worker's lent model with its copy of the data.
#[derive(Debug, Default)]
pub struct LentModel {
    dataset: Option<Dataset>,
    /// The model's index in the lab's run, and its trainer.
    trainer: Option<(usize, Trainer)>,
}

impl LentModel {
    /// Takes model `index` lent with these bytes, replacing any other.
    pub fn lend(&mut self, index: usize, bytes: &[u8]) -> Result<()> {
        self.trainer = Some((index, Trainer::decode(bytes)?));
        Ok(())
    }

    /// Copies the data anew ([`Dataset::to_snapshot`]'s bytes).
    pub fn set_dataset(&mut self, snapshot: &[u8]) -> Result<()> {
        self.dataset = Some(Dataset::from_snapshot(snapshot)?);
        Ok(())
    }

    /// Copies the labels alone ([`Dataset::label_arrays`]).
    pub fn set_labels(&mut self, labels: &[u32]) -> Result<()> {
        self.dataset_mut()?.set_label_arrays(labels)
    }

    /// The lent model's ε from the next step on.
    pub fn set_smoothing(&mut self, epsilon: f64) -> Result<()> {
        self.trainer_mut()?.1.set_smoothing(0, epsilon)
    }

    /// Applies the lab's resolution of the last slice; first, before any copy.
    pub fn resolve(&mut self, resolution: Resolution) -> Result<()> {
        self.trainer_mut()?.1.resolve(resolution);
        Ok(())
    }

    /// Runs the slice the lab runs (up to `max` steps) and returns the reply.
    pub fn slice(&mut self, max: usize) -> Result<Vec<u8>> {
        let (Some(ds), Some((index, trainer))) = (&self.dataset, &mut self.trainer) else {
            return Err(LabError::Dataset("no model or no data was lent".into()));
        };
        let end = trainer.lockstep_steps(ds, max)?;
        Ok(trainer.lockstep_reply(*index, end).encode())
    }

    /// Gives the model back ([`super::Lab::take_back_model`]); the copy of
    /// the data stays, for the next time.
    pub fn give_back(&mut self) -> Result<Vec<u8>> {
        let (_, trainer) = self
            .trainer
            .take()
            .ok_or_else(|| LabError::Dataset("no model was lent".into()))?;
        trainer.encode()
    }

    fn dataset_mut(&mut self) -> Result<&mut Dataset> {
        self.dataset
            .as_mut()
            .ok_or_else(|| LabError::Dataset("no data was lent".into()))
    }

    fn trainer_mut(&mut self) -> Result<&mut (usize, Trainer)> {
        self.trainer
            .as_mut()
            .ok_or_else(|| LabError::Dataset("no model was lent".into()))
    }
}
