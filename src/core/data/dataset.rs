//! Images stored as `u8` with class names, and for each sample the *given*
//! label (what training sees) beside the *true* label (where known).

use ndarray::{Array2, ArrayViewMut2};

use crate::core::data::{FeatureStore, PixelStore};
use crate::core::error::{LabError, Result};
use crate::core::image::ColorMode;
use crate::core::limits;

/// One image's labels; its pixels live in the dataset's paged store.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// Stable across removals of other samples; the UI refers to images by it.
    pub id: u64,
    pub name: String,
    /// The label training uses.
    pub given: usize,
    /// The label we believe is right, where known.
    pub truth: Option<usize>,
    /// In the clean held-out split (never noised, never trained on).
    pub holdout: bool,
}

impl Sample {
    /// Given and true label differ.
    pub fn is_mislabeled(&self) -> bool {
        self.truth.is_some_and(|t| t != self.given)
    }

    /// The label the held-out score and the noise injection trust.
    pub fn reference_label(&self) -> usize {
        self.truth.unwrap_or(self.given)
    }
}

/// The images of one project, all S×S×C once decoded.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub(super) side: usize,
    pub(super) channels: usize,
    pub(super) classes: Vec<String>,
    pub(super) samples: Vec<Sample>,
    pub(super) pixels: PixelStore,
    /// When set, what the models see instead of the pixels: one row of
    /// backbone features per sample (see `features.rs`).
    pub(super) features: Option<FeatureStore>,
    pub(super) next_id: u64,
    pub(super) holdout_fraction: f64,
    pub(super) split_seed: u64,
    /// Bumped whenever sample indices or the split may have changed, so a
    /// trainer knows its epoch order is stale.
    pub(super) revision: u64,
}

pub const DEFAULT_HOLDOUT: f64 = 0.2;

impl Dataset {
    /// An empty dataset of `side`×`side` images with 1 (gray) or 3 (RGB) channels.
    pub fn new(side: usize, channels: usize, classes: Vec<String>) -> Result<Self> {
        limits::IMAGE_SIZE.check_whole(side)?;
        if channels != 1 && channels != 3 {
            return Err(LabError::setting(
                "channels",
                "1 (gray) or 3 (RGB)",
                channels,
            ));
        }
        let mut ds = Dataset {
            side,
            channels,
            classes: Vec::new(),
            samples: Vec::new(),
            pixels: PixelStore::new(side * side * channels),
            features: None,
            next_id: 0,
            holdout_fraction: DEFAULT_HOLDOUT,
            split_seed: 0,
            revision: 0,
        };
        for name in classes {
            ds.add_class(&name)?;
        }
        Ok(ds)
    }

    pub fn side(&self) -> usize {
        self.side
    }
    pub fn channels(&self) -> usize {
        self.channels
    }
    /// Gray or RGB: the one place that reads it off the channel count.
    pub fn color(&self) -> ColorMode {
        if self.channels == 1 {
            ColorMode::Gray
        } else {
            ColorMode::Rgb
        }
    }
    /// Values per image as stored: S·S·C.
    pub fn pixel_dim(&self) -> usize {
        self.side * self.side * self.channels
    }
    /// Values per image as the models see them: the pixels, or the
    /// backbone's features when the dataset has them.
    pub fn dim(&self) -> usize {
        self.features
            .as_ref()
            .map_or(self.pixel_dim(), FeatureStore::dim)
    }
    pub fn len(&self) -> usize {
        self.samples.len()
    }
    pub fn is_empty(&self) -> bool {
        self.samples.is_empty()
    }
    pub fn classes(&self) -> &[String] {
        &self.classes
    }
    pub fn num_classes(&self) -> usize {
        self.classes.len()
    }
    pub fn samples(&self) -> &[Sample] {
        &self.samples
    }
    pub fn sample(&self, index: usize) -> Result<&Sample> {
        self.samples.get(index).ok_or(LabError::OutOfRange {
            what: "image",
            index,
            len: self.samples.len(),
        })
    }
    pub fn pixels(&self, index: usize) -> &[u8] {
        self.pixels.get(index)
    }
    pub fn index_of(&self, id: u64) -> Option<usize> {
        self.samples.iter().position(|s| s.id == id)
    }
    pub fn holdout_fraction(&self) -> f64 {
        self.holdout_fraction
    }
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Adds an image already decoded to S×S×C and returns its id. The held-out
    /// split is refreshed so that it stays stratified.
    pub fn add_sample(
        &mut self,
        name: &str,
        pixels: &[u8],
        given: usize,
        truth: Option<usize>,
    ) -> Result<u64> {
        self.push_sample(name, pixels, given, truth)?;
        self.resplit();
        Ok(self.next_id - 1)
    }

    /// Adds an image under an id it had before (a restored project keeps its
    /// ids, and so its held-out split). The id must be free.
    pub fn add_sample_with_id(
        &mut self,
        id: u64,
        name: &str,
        pixels: &[u8],
        given: usize,
        truth: Option<usize>,
    ) -> Result<u64> {
        if self.index_of(id).is_some() {
            return Err(LabError::Dataset(format!(
                "{name}: image id {id} is already taken"
            )));
        }
        let next = self.next_id;
        self.next_id = id;
        let pushed = self.push_sample(name, pixels, given, truth);
        self.next_id = match pushed {
            Ok(_) => next.max(id.saturating_add(1)),
            Err(_) => next,
        };
        pushed?;
        self.resplit();
        Ok(id)
    }

    /// Adds many samples, splitting once at the end (for bulk loads).
    pub(crate) fn push_sample(
        &mut self,
        name: &str,
        pixels: &[u8],
        given: usize,
        truth: Option<usize>,
    ) -> Result<u64> {
        self.check_labels(given, truth)?;
        if self.features.is_some() {
            return Err(LabError::Dataset(format!(
                "{name}: the models see backbone features; add images before embedding them"
            )));
        }
        if pixels.len() != self.pixel_dim() {
            return Err(LabError::Dataset(format!(
                "{name}: expected {} values ({}×{}×{}), got {}",
                self.pixel_dim(),
                self.side,
                self.side,
                self.channels,
                pixels.len()
            )));
        }
        let id = self.next_id;
        self.next_id += 1;
        self.revision += 1;
        self.pixels.push(pixels);
        self.samples.push(Sample {
            id,
            name: name.to_string(),
            given,
            truth,
            holdout: false,
        });
        Ok(id)
    }

    pub fn remove_sample(&mut self, index: usize) -> Result<Sample> {
        self.sample(index)?;
        self.pixels.remove(index);
        if let Some(f) = &mut self.features {
            f.remove(index);
        }
        let s = self.samples.remove(index);
        self.resplit();
        Ok(s)
    }

    /// Fixes a label: the class becomes both the given and the true label.
    pub fn set_label(&mut self, index: usize, class: usize) -> Result<()> {
        self.check_class(class)?;
        self.sample(index)?;
        let s = &mut self.samples[index];
        s.given = class;
        s.truth = Some(class);
        self.resplit();
        Ok(())
    }

    /// Mislabels on purpose: the given label changes, the truth is kept (and
    /// becomes the old given label if it was unknown).
    pub fn mislabel(&mut self, index: usize, class: usize) -> Result<()> {
        self.check_class(class)?;
        self.sample(index)?;
        let s = &mut self.samples[index];
        s.truth = Some(s.truth.unwrap_or(s.given));
        s.given = class;
        Ok(())
    }

    pub(crate) fn samples_mut(&mut self) -> &mut [Sample] {
        &mut self.samples
    }

    /// Number of images given each class (all splits).
    pub fn class_counts(&self) -> Vec<usize> {
        let mut counts = vec![0; self.classes.len()];
        for s in &self.samples {
            counts[s.given] += 1;
        }
        counts
    }

    pub fn mislabeled_count(&self) -> usize {
        self.samples.iter().filter(|s| s.is_mislabeled()).count()
    }

    /// Mislabeled images of the training split: the ones the models are
    /// taught wrong. A held-out image with a wrong given label (a person's
    /// or a project's human labels) is scored on its true label instead.
    pub fn mislabeled_in_training(&self) -> usize {
        self.samples
            .iter()
            .filter(|s| !s.holdout && s.is_mislabeled())
            .count()
    }

    /// Writes the chosen images, as the models see them, into the rows of
    /// `out`: their features, or their pixels scaled to [0, 1]. Pixels stay
    /// `u8` and are normalised per batch, which keeps memory at a quarter
    /// of an f32 copy.
    pub fn fill_batch(&self, indices: &[usize], mut out: ArrayViewMut2<f32>) {
        let d = self.dim();
        debug_assert_eq!(out.ncols(), d);
        if let Some(features) = &self.features {
            for (row, &i) in out.rows_mut().into_iter().zip(indices) {
                let dst = row.into_slice().expect("batch rows are contiguous");
                dst.copy_from_slice(features.get(i));
            }
            return;
        }
        for (row, &i) in out.rows_mut().into_iter().zip(indices) {
            let src = self.pixels.get(i);
            let dst = row.into_slice().expect("batch rows are contiguous");
            for (o, &p) in dst.iter_mut().zip(src) {
                *o = p as f32 * (1.0 / 255.0);
            }
        }
    }

    /// The chosen images as a new matrix (for evaluation).
    pub fn batch(&self, indices: &[usize]) -> Array2<f32> {
        let mut out = Array2::zeros((indices.len(), self.dim()));
        self.fill_batch(indices, out.view_mut());
        out
    }
}

#[cfg(test)]
mod tests;
