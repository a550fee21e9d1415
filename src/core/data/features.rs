//! What the models see for photos: each image's features from a frozen
//! ImageNet backbone (computed elsewhere, once per image), in place of its
//! pixels. Raw pixels carry too little for a small head to learn what a cat
//! is; the backbone's 1280 values do.

use super::dataset::Dataset;
use super::paged_store::FeatureStore;
use crate::core::error::{LabError, Result};

impl Dataset {
    /// Makes the models see `values`, one row of `dim` per sample in dataset
    /// order, instead of the pixels (which stay, for thumbnails and export).
    pub fn set_features(&mut self, dim: usize, values: &[f32]) -> Result<()> {
        if dim == 0 || values.len() != dim * self.len() {
            return Err(LabError::Dataset(format!(
                "expected {} images × {dim} features, got {} values",
                self.len(),
                values.len()
            )));
        }
        if let Some(bad) = values.iter().position(|v| !v.is_finite()) {
            return Err(LabError::Dataset(format!(
                "feature {} of image {} is not a finite number",
                bad % dim,
                bad / dim
            )));
        }
        let mut store = FeatureStore::new(dim);
        for row in values.chunks_exact(dim) {
            store.push(row);
        }
        self.features = Some(store);
        self.revision += 1;
        Ok(())
    }

    /// Back to the pixels.
    pub fn clear_features(&mut self) {
        self.features = None;
        self.revision += 1;
    }

    pub fn has_features(&self) -> bool {
        self.features.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_replace_pixels_for_the_models_and_follow_removals() {
        let mut ds = Dataset::new(2, 1, vec!["a".into(), "b".into()]).unwrap();
        for i in 0..4u8 {
            ds.add_sample("x", &[i; 4], (i % 2) as usize, None).unwrap();
        }
        assert_eq!(ds.dim(), 4);
        assert!(ds.set_features(3, &[0.0; 11]).is_err());
        assert!(ds.set_features(3, &[f32::NAN; 12]).is_err());
        let values: Vec<f32> = (0..12).map(|v| v as f32).collect();
        ds.set_features(3, &values).unwrap();
        assert_eq!((ds.dim(), ds.pixel_dim()), (3, 4));
        assert_eq!(ds.batch(&[2]).into_raw_vec_and_offset().0, [6.0, 7.0, 8.0]);
        ds.remove_sample(0).unwrap();
        assert_eq!(ds.batch(&[0]).into_raw_vec_and_offset().0, [3.0, 4.0, 5.0]);
        ds.remove_class(0).unwrap(); // images 0 and 2 of the four go
        assert_eq!(
            ds.batch(&[0, 1]).into_raw_vec_and_offset().0,
            [3.0, 4.0, 5.0, 9.0, 10.0, 11.0]
        );
        assert!(ds.add_sample("late", &[0; 4], 0, None).is_err());
        ds.clear_features();
        assert_eq!(ds.dim(), 4);
    }
}
