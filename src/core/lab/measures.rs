//! What the lab's models say about each image and the held-out split at
//! the last point measured: per-image losses and predictions, the
//! reliability tables and the data map, read from the trainer's
//! evaluations and aligned with the images as they are now.

use std::collections::HashMap;

use super::Lab;
use crate::core::train::{Cartography, Evaluation, MapPoint, ModelId, ReliabilityBin};

impl Lab {
    /// Per-image −log p(given) of a model at the last point measured, aligned with
    /// the current images (NaN for images added since).
    pub fn losses_given(&self, model: ModelId) -> Vec<f32> {
        self.per_image(model.index(), f32::NAN, |e, j| e.loss_given[j])
    }

    /// Per-image predicted class at the last point measured (u32::MAX if unknown).
    pub fn predictions(&self, model: ModelId) -> Vec<u32> {
        self.per_image(model.index(), u32::MAX, |e, j| e.predictions[j])
    }

    /// A model's reliability table on the held-out images at the last point
    /// measured; empty before the first.
    pub fn reliability(&self, model: ModelId) -> Vec<ReliabilityBin> {
        self.trainer
            .as_ref()
            .and_then(|t| t.evaluations().get(model.index()))
            .map(|e| e.reliability.clone())
            .unwrap_or_default()
    }

    /// A model's data map: every training image's confidence and
    /// variability over the epoch ends since the models (re)started, in
    /// dataset order (no epochs counted before the first epoch end, or
    /// since the image's given label last changed).
    pub fn data_map(&self, model: ModelId) -> Vec<MapPoint> {
        let none = Cartography::default();
        let map = self
            .trainer
            .as_ref()
            .and_then(|t| t.cartography(model.index()))
            .unwrap_or(&none);
        map.points(&self.dataset)
    }

    fn per_image<T: Copy>(
        &self,
        model: usize,
        missing: T,
        get: impl Fn(&Evaluation, usize) -> T,
    ) -> Vec<T> {
        let eval = self
            .trainer
            .as_ref()
            .and_then(|t| t.evaluations().get(model));
        let Some(eval) = eval else {
            return vec![missing; self.dataset.len()];
        };
        let position: HashMap<u64, usize> = eval
            .ids
            .iter()
            .enumerate()
            .map(|(j, &id)| (id, j))
            .collect();
        self.dataset
            .samples()
            .iter()
            .map(|s| position.get(&s.id).map_or(missing, |&j| get(eval, j)))
            .collect()
    }
}
