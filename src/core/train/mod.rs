//! Training: the lockstep paired trainer, one learner per model, the
//! per-epoch reports measured on every image, each image's data map
//! statistics over the epoch ends, and the ε sweep over seeds.

mod calibration;
mod cartography;
mod evaluate;
mod learner;
mod pair;
mod report;
mod sweep;
mod trainer;
mod wire;

pub use calibration::{Reliability, ReliabilityBin, CALIBRATION_BINS};
pub use cartography::{Cartography, MapPoint, Welford};
pub use evaluate::{evaluate, Evaluation};
pub(crate) use learner::Learner;
pub use pair::{ModelId, BASELINE, MODEL_NAMES, SMOOTHED};
pub use report::{EpochReport, ModelReport};
pub use sweep::{run_sweep, summarise, EpsilonRun, SeedRun, Spread, SweepRow, SweepSeed};
pub use trainer::{LockstepReply, Resolution, SliceEnd, Trainer, EXPLODED_LOSS};
