//! Every range a setting may take, defined once. The core checks values
//! against these bounds, and the page reads the same table (through the wasm
//! API) for its inputs and messages, so that the two cannot disagree.

use serde::Serialize;

use crate::core::error::{LabError, Result};

/// A closed or half-open interval with the words a message uses for it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Bound {
    /// The setting's name in messages.
    pub name: &'static str,
    pub min: f64,
    pub max: f64,
    pub min_exclusive: bool,
    pub max_exclusive: bool,
    /// Only whole numbers.
    pub whole: bool,
    /// How a message says the range, e.g. "between 1 and 256".
    pub words: &'static str,
}

impl Bound {
    const fn closed(name: &'static str, min: f64, max: f64, words: &'static str) -> Bound {
        Bound {
            name,
            min,
            max,
            min_exclusive: false,
            max_exclusive: false,
            whole: false,
            words,
        }
    }
    const fn whole(name: &'static str, min: f64, max: f64, words: &'static str) -> Bound {
        Bound {
            whole: true,
            ..Bound::closed(name, min, max, words)
        }
    }
    const fn below(name: &'static str, min: f64, max: f64, words: &'static str) -> Bound {
        Bound {
            max_exclusive: true,
            ..Bound::closed(name, min, max, words)
        }
    }

    pub fn contains(&self, v: f64) -> bool {
        let above = if self.min_exclusive {
            v > self.min
        } else {
            v >= self.min
        };
        let under = if self.max_exclusive {
            v < self.max
        } else {
            v <= self.max
        };
        v.is_finite() && above && under && (!self.whole || v.fract() == 0.0)
    }

    /// The value, or an error that names the setting and its range.
    pub fn check(&self, v: f64) -> Result<f64> {
        if self.contains(v) {
            Ok(v)
        } else {
            Err(LabError::setting(self.name, self.words, v))
        }
    }

    /// [`Bound::check`] for whole numbers.
    pub fn check_whole(&self, v: usize) -> Result<usize> {
        self.check(v as f64).map(|_| v)
    }
}

pub const IMAGE_SIZE: Bound = Bound::whole("image size", 1.0, 256.0, "between 1 and 256 pixels");
pub const SMOOTHING: Bound = Bound::below("smoothing", 0.0, 1.0, "in [0, 1)");
pub const LEARNING_RATE: Bound = Bound {
    min_exclusive: true,
    ..Bound::closed(
        "learning rate",
        0.0,
        1e6,
        "greater than 0 and at most 1,000,000",
    )
};
pub const HIDDEN_LAYERS: Bound = Bound::whole("hidden layers", 0.0, 4.0, "at most 4 layers");
pub const HIDDEN_UNITS: Bound = Bound::whole("hidden units", 1.0, 4096.0, "between 1 and 4096");
pub const BATCH_SIZE: Bound = Bound::whole("batch size", 1.0, 4096.0, "between 1 and 4096");
pub const MOMENTUM: Bound = Bound::below("momentum", 0.0, 1.0, "in [0, 1)");
pub const WEIGHT_DECAY: Bound = Bound::below("weight decay", 0.0, 1.0, "in [0, 1)");
/// Seeds cross the wasm boundary as whole JS numbers of 32 bits.
pub const SEED: Bound = Bound::whole("seed", 0.0, u32::MAX as f64, "between 0 and 4294967295");
pub const NOISE_RATE: Bound = Bound::closed("noise rate", 0.0, 1.0, "between 0 and 1");
pub const POINTS_PER_EPOCH: Bound = Bound::whole("points per epoch", 1.0, 16.0, "between 1 and 16");
pub const FOLDS: Bound = Bound::whole("folds", 2.0, 20.0, "between 2 and 20");
pub const FOLD_EPOCHS: Bound = Bound::whole("epochs per fold", 1.0, 1000.0, "between 1 and 1000");

/// The whole table, as the page reads it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Limits {
    pub image_size: Bound,
    pub smoothing: Bound,
    pub learning_rate: Bound,
    pub hidden_layers: Bound,
    pub hidden_units: Bound,
    pub batch_size: Bound,
    pub momentum: Bound,
    pub weight_decay: Bound,
    pub seed: Bound,
    pub noise_rate: Bound,
    pub points_per_epoch: Bound,
    pub folds: Bound,
    pub fold_epochs: Bound,
}

pub const LIMITS: Limits = Limits {
    image_size: IMAGE_SIZE,
    smoothing: SMOOTHING,
    learning_rate: LEARNING_RATE,
    hidden_layers: HIDDEN_LAYERS,
    hidden_units: HIDDEN_UNITS,
    batch_size: BATCH_SIZE,
    momentum: MOMENTUM,
    weight_decay: WEIGHT_DECAY,
    seed: SEED,
    noise_rate: NOISE_RATE,
    points_per_epoch: POINTS_PER_EPOCH,
    folds: FOLDS,
    fold_epochs: FOLD_EPOCHS,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_hold_their_ends_as_stated() {
        assert!(IMAGE_SIZE.contains(1.0) && IMAGE_SIZE.contains(256.0));
        assert!(!IMAGE_SIZE.contains(257.0) && !IMAGE_SIZE.contains(2.5));
        assert!(SMOOTHING.contains(0.0) && SMOOTHING.contains(0.999) && !SMOOTHING.contains(1.0));
        assert!(!LEARNING_RATE.contains(0.0) && LEARNING_RATE.contains(1e6));
        assert!(!NOISE_RATE.contains(f64::NAN));
        assert_eq!(
            SMOOTHING.check(1.5).unwrap_err().to_string(),
            "smoothing must be in [0, 1) (got 1.5)"
        );
        let json = serde_json::to_value(&LIMITS).unwrap();
        assert_eq!(json["foldEpochs"]["max"], 1000.0);
        assert_eq!(json["imageSize"]["whole"], true);
    }
}
