//! Training: the lockstep paired trainer, one learner per model, and the
//! per-epoch reports measured on every image, and each image's data map
//! statistics over the epoch ends.

mod calibration;
mod cartography;
mod evaluate;
mod learner;
mod pair;
mod report;
mod trainer;

pub use calibration::{Reliability, ReliabilityBin, CALIBRATION_BINS};
pub use cartography::{Cartography, MapPoint, Welford};
pub use evaluate::{evaluate, Evaluation};
pub(crate) use learner::Learner;
pub use pair::{ModelId, BASELINE, MODEL_NAMES, SMOOTHED};
pub use report::{EpochReport, ModelReport};
pub use trainer::{Trainer, EXPLODED_LOSS};
