//! The dataset: images as `u8` with given and true labels, the held-out
//! split, seeded label noise, the built-in digits, and photos with human
//! labels (CIFAR-10N).

mod classes;
mod dataset;
mod digits;
mod features;
mod human_labels;
mod labels_copy;
mod noise;
mod paged_store;
mod snapshot;
mod split;

pub use dataset::{Dataset, Sample, DEFAULT_HOLDOUT};
pub use digits::load_digits;
pub use human_labels::{read_human_labels, HumanLabels, LabelSource, LabeledPhoto};
pub use noise::{clear_noise, inject_noise, NoiseMode};
pub use paged_store::{FeatureStore, PagedStore, PixelStore};
