//! The pure-Rust core: data, noise, model, loss, training and reports.
//! Nothing here knows about the browser.

pub mod dataset;
pub mod digits;
pub mod error;
pub mod imagefolder;
pub mod ingest;
pub mod rng;

pub use dataset::{Dataset, Sample};
pub use error::{LabError, Result};
