//! The dataset: images as `u8` with given and true labels, the held-out
//! split, seeded label noise, and the built-in digits.

mod classes;
mod dataset;
mod digits;
mod features;
mod noise;
mod paged_store;
mod split;

pub use dataset::{Dataset, Sample, DEFAULT_HOLDOUT};
pub use digits::load_digits;
pub use noise::{clear_noise, inject_noise, NoiseMode};
pub use paged_store::{FeatureStore, PagedStore, PixelStore};
