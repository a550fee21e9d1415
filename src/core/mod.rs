//! The pure-Rust core, one folder per stage: image files to pixels, the
//! dataset, the network, training, finding mislabels, the project format.
//! Nothing here knows about the browser.

pub mod backbone;
pub mod config;
pub mod csv;
pub mod data;
pub mod error;
pub mod find;
pub mod image;
pub mod lab;
pub mod limits;
pub mod nn;
pub mod project;
pub mod rng;
pub mod train;
pub mod view;
pub mod wire;

pub use config::{OptimizerKind, Settings, TrainConfig};
pub use data::{clear_noise, inject_noise, Dataset, NoiseMode, Sample};
pub use error::{LabError, Result};
pub use lab::Lab;
pub use train::{
    run_sweep, summarise, EpochReport, Evaluation, ModelReport, SeedRun, SweepRow, SweepSeed,
    Trainer,
};
