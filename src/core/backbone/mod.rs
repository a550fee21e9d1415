//! Frozen EfficientNet-Lite0 ImageNet backbone (inference only): RGB image -> 1280 features.

mod activation;
mod arch;
mod dataset;
mod depthwise;
mod error;
mod format;
mod head;
mod model;
mod padding;
mod pointwise;
mod pool;
mod preprocess;
mod stem;

pub use arch::{CLASSES, FEATURES, FEATURES_KIND, HEAD_KIND, MAX_SIDE, MIN_SIDE};
pub use dataset::{embed_dataset, embed_file, embed_pixels};
pub use error::{BackboneError, Result};
pub use format::{crc32, f16_to_f32, Tensor, WeightsFile, MAGIC, VERSION};
pub use head::{class_names, top_k, ImagenetHead};
pub use model::Backbone;
pub use padding::{same, Same};
pub use preprocess::preprocess;
