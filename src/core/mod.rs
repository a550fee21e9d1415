//! The pure-Rust core: data, noise, model, loss, training and reports.
//! Nothing here knows about the browser.

pub mod bench;
pub mod confident;
pub mod config;
pub mod crossval;
pub mod dataset;
pub mod digits;
pub mod error;
pub mod export;
pub mod finder;
pub mod imagefolder;
pub mod ingest;
pub mod lab;
mod learner;
pub mod loss;
pub mod model;
pub mod noise;
pub mod optim;
pub mod pixels;
pub mod project;
pub mod report;
pub mod rgba;
pub mod rng;
mod sniff;
pub mod trainer;

pub use config::{OptimizerKind, Settings, TrainConfig};
pub use dataset::{Dataset, Sample};
pub use error::{LabError, Result};
pub use lab::Lab;
pub use noise::{clear_noise, inject_noise, NoiseMode};
pub use report::{EpochReport, Evaluation, ModelReport};
pub use trainer::Trainer;
