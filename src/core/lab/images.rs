//! What a person does to a lab's classes and images: add, rename and
//! remove classes; add images (files, browser-decoded pixels, or read back
//! with their labels); fix or mislabel them; inject or clear noise.

use super::Lab;
use crate::core::data::{clear_noise, inject_noise, NoiseMode};
use crate::core::error::Result;
use crate::core::image::{decode_image, rgba_to_channels, ColorMode};

impl Lab {
    /// Adds an image read back from a project or from storage with its given
    /// and true labels, under its old id when there is one (so the held-out
    /// split comes back the same). Returns its id.
    pub fn restore_image(
        &mut self,
        id: Option<u64>,
        file_name: &str,
        bytes: &[u8],
        given: usize,
        truth: Option<usize>,
    ) -> Result<u64> {
        // Checked before decoding, so that a bad label costs no decode.
        self.dataset.check_labels(given, truth)?;
        let side = self.dataset.side() as u32;
        let pixels = decode_image(file_name, bytes, side, self.dataset.color())?;
        self.clear_features();
        match id {
            Some(id) => self
                .dataset
                .add_sample_with_id(id, file_name, &pixels, given, truth),
            None => self.dataset.add_sample(file_name, &pixels, given, truth),
        }
    }

    // Classes: any change of K needs new models.

    pub fn add_class(&mut self, name: &str) -> Result<usize> {
        let k = self.dataset.add_class(name)?;
        self.trainer = None;
        Ok(k)
    }
    pub fn rename_class(&mut self, class: usize, name: &str) -> Result<()> {
        self.dataset.rename_class(class, name)
    }
    pub fn remove_class(&mut self, class: usize) -> Result<usize> {
        let removed = self.dataset.remove_class(class)?;
        self.trainer = None;
        Ok(removed)
    }

    /// Decodes an image file, resizes it to the project's size and adds it
    /// with `class` as both given and true label. Returns its id.
    pub fn add_image(&mut self, file_name: &str, bytes: &[u8], class: usize) -> Result<u64> {
        self.dataset.check_class(class)?;
        self.clear_features();
        let pixels = decode_image(
            file_name,
            bytes,
            self.dataset.side() as u32,
            self.dataset.color(),
        )?;
        self.dataset
            .add_sample(file_name, &pixels, class, Some(class))
    }
    /// Adds a picture decoded elsewhere (the browser's decoder) as
    /// side×side RGBA bytes, stored as `add_image` would store the same
    /// pixels. Returns its id.
    pub fn add_rgba(&mut self, name: &str, rgba: &[u8], class: usize) -> Result<u64> {
        self.dataset.check_class(class)?;
        self.clear_features();
        let pixels = rgba_to_channels(rgba, self.dataset.side(), self.dataset.color())?;
        self.dataset.add_sample(name, &pixels, class, Some(class))
    }
    pub fn set_label(&mut self, id: u64, class: usize) -> Result<()> {
        let i = self.index_of(id)?;
        self.dataset.set_label(i, class)
    }
    pub fn mislabel(&mut self, id: u64, class: usize) -> Result<()> {
        let i = self.index_of(id)?;
        self.dataset.mislabel(i, class)
    }
    pub fn remove_image(&mut self, id: u64) -> Result<()> {
        let i = self.index_of(id)?;
        self.dataset.remove_sample(i).map(|_| ())
    }
    pub fn inject_noise(&mut self, mode: NoiseMode, rate: f64, seed: u64) -> Result<usize> {
        inject_noise(&mut self.dataset, mode, rate, seed)
    }
    pub fn clear_noise(&mut self) -> usize {
        clear_noise(&mut self.dataset)
    }

    /// RGBA pixels of an image as the model sees it, for thumbnails.
    pub fn thumbnail_rgba(&self, id: u64) -> Result<Vec<u8>> {
        let i = self.index_of(id)?;
        let px = self.dataset.pixels(i);
        let rgba = match self.dataset.color() {
            ColorMode::Gray => px.iter().flat_map(|&g| [g, g, g, 255]).collect(),
            ColorMode::Rgb => px
                .chunks_exact(3)
                .flat_map(|c| [c[0], c[1], c[2], 255])
                .collect(),
        };
        Ok(rgba)
    }

    // Features: what the models see for photos (see `core::backbone`).

    /// Makes the models see `values` (`dim` backbone features per image, in
    /// dataset order) instead of the pixels; both models start afresh.
    pub fn set_features(&mut self, dim: usize, values: &[f32]) -> Result<()> {
        self.dataset.set_features(dim, values)?;
        self.trainer = None;
        Ok(())
    }

    /// Back to the pixels (an image added to a lab that sees features needs
    /// its own features first); both models start afresh.
    pub fn clear_features(&mut self) {
        if self.dataset.has_features() {
            self.dataset.clear_features();
            self.trainer = None;
        }
    }
}
