//! Training settings: parsed loosely at the edge ([`Settings`]), validated
//! once into a [`TrainConfig`] that the rest of the core trusts.

use serde::{Deserialize, Serialize};

use crate::core::error::{LabError, Result};
use crate::core::limits;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OptimizerKind {
    Sgd,
    Adam,
}

impl std::str::FromStr for OptimizerKind {
    type Err = LabError;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "sgd" => Ok(OptimizerKind::Sgd),
            "adam" => Ok(OptimizerKind::Adam),
            _ => Err(LabError::setting("optimizer", "\"sgd\" or \"adam\"", s)),
        }
    }
}

/// Settings as a person or a URL gives them; every field has a default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Settings {
    /// Label-smoothing factor ε of the smoothed model.
    pub smoothing: f64,
    pub learning_rate: f64,
    /// Widths of the hidden layers (none: a linear model).
    pub hidden: Vec<usize>,
    /// Widths of the hidden layers when the models see backbone features
    /// instead of pixels; by default none, a linear head. On 1280 features a
    /// head with a hidden layer memorises a few hundred photos' wrong labels within an
    /// epoch or two, while raw pixels need one to learn at all; so photos
    /// and pixels want different heads (docs/features-defaults.md).
    pub features_hidden: Vec<usize>,
    pub batch_size: usize,
    pub optimizer: OptimizerKind,
    /// SGD momentum (ignored by Adam).
    pub momentum: f64,
    /// L2 weight decay on the weights (not the biases).
    pub weight_decay: f64,
    pub seed: u64,
    /// How many times per epoch the models are measured on every sample
    /// (a point of the curves). More than one matters on small sets, where
    /// a head on pretrained features memorises the wrong labels within a
    /// few epochs; each extra point costs a pass over the data.
    pub points_per_epoch: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            smoothing: 0.2,
            learning_rate: 1e-3,
            hidden: vec![128],
            features_hidden: Vec::new(),
            batch_size: 32,
            optimizer: OptimizerKind::Adam,
            momentum: 0.9,
            weight_decay: 0.0,
            seed: 1,
            points_per_epoch: 1,
        }
    }
}

/// Settings that passed validation. Only [`Settings::validate`] makes one.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainConfig {
    settings: Settings,
}

impl Settings {
    pub fn validate(self) -> Result<TrainConfig> {
        limits::SMOOTHING.check(self.smoothing)?;
        limits::LEARNING_RATE.check(self.learning_rate)?;
        for layers in [&self.hidden, &self.features_hidden] {
            limits::HIDDEN_LAYERS.check_whole(layers.len())?;
            for &w in layers {
                limits::HIDDEN_UNITS.check_whole(w)?;
            }
        }
        limits::BATCH_SIZE.check_whole(self.batch_size)?;
        limits::MOMENTUM.check(self.momentum)?;
        limits::WEIGHT_DECAY.check(self.weight_decay)?;
        limits::POINTS_PER_EPOCH.check_whole(self.points_per_epoch)?;
        Ok(TrainConfig { settings: self })
    }
}

/// ε must lie in [0, 1): at ε = 1 the target is uniform and carries no label.
pub fn check_smoothing(epsilon: f64) -> Result<f64> {
    limits::SMOOTHING.check(epsilon)
}

impl TrainConfig {
    pub fn settings(&self) -> &Settings {
        &self.settings
    }
    pub fn smoothing(&self) -> f32 {
        self.settings.smoothing as f32
    }
    pub fn learning_rate(&self) -> f32 {
        self.settings.learning_rate as f32
    }
    pub fn batch_size(&self) -> usize {
        self.settings.batch_size
    }
    pub fn seed(&self) -> u64 {
        self.settings.seed
    }
    pub fn points_per_epoch(&self) -> usize {
        self.settings.points_per_epoch
    }
    /// The hidden layers for pixels, or for backbone features.
    pub fn hidden(&self, features: bool) -> &[usize] {
        if features {
            &self.settings.features_hidden
        } else {
            &self.settings.hidden
        }
    }
    /// The same settings measured once per epoch: for runs that read only
    /// their last epoch (the finder's folds), where extra points are waste.
    pub fn once_per_epoch(&self) -> TrainConfig {
        let mut settings = self.settings.clone();
        settings.points_per_epoch = 1;
        TrainConfig { settings }
    }
    /// The same settings with another seed: new initial weights and batch
    /// order, for runs that differ by chance alone (the ε sweep's seeds).
    pub fn with_seed(&self, seed: u64) -> TrainConfig {
        let mut settings = self.settings.clone();
        settings.seed = seed;
        TrainConfig { settings }
    }
    /// Replaces ε after checking it; nothing else changes.
    pub fn with_smoothing(&self, epsilon: f64) -> Result<TrainConfig> {
        check_smoothing(epsilon)?;
        let mut settings = self.settings.clone();
        settings.smoothing = epsilon;
        Ok(TrainConfig { settings })
    }
}

impl Default for TrainConfig {
    fn default() -> Self {
        Settings::default().validate().expect("defaults are valid")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(f: impl FnOnce(&mut Settings)) -> Result<TrainConfig> {
        let mut s = Settings::default();
        f(&mut s);
        s.validate()
    }

    #[test]
    fn defaults_are_valid() {
        assert!(with(|_| {}).is_ok());
    }

    #[test]
    fn each_bad_value_names_its_field_and_range() {
        type Change = Box<dyn FnOnce(&mut Settings)>;
        let cases: Vec<(Change, &str)> = vec![
            (
                Box::new(|s| s.smoothing = 1.0),
                "smoothing must be in [0, 1)",
            ),
            (Box::new(|s| s.smoothing = -0.1), "smoothing"),
            (Box::new(|s| s.smoothing = f64::NAN), "smoothing"),
            (Box::new(|s| s.learning_rate = 0.0), "learning rate"),
            (
                Box::new(|s| s.learning_rate = f64::INFINITY),
                "learning rate",
            ),
            (
                Box::new(|s| s.batch_size = 0),
                "batch size must be between 1 and 4096",
            ),
            (Box::new(|s| s.hidden = vec![0]), "hidden units"),
            (Box::new(|s| s.hidden = vec![8; 5]), "hidden layers"),
            (Box::new(|s| s.features_hidden = vec![0]), "hidden units"),
            (Box::new(|s| s.momentum = 1.0), "momentum"),
            (Box::new(|s| s.weight_decay = -1.0), "weight decay"),
        ];
        for (f, want) in cases {
            let msg = with(f).unwrap_err().to_string();
            assert!(msg.contains(want), "{msg:?} should contain {want:?}");
        }
    }

    #[test]
    fn top_of_smoothing_range_is_accepted() {
        assert!(with(|s| s.smoothing = 0.99).is_ok());
    }

    #[test]
    fn parses_from_json_with_defaults() {
        let s: Settings =
            serde_json::from_str(r#"{"learningRate":0.01,"hidden":[64,32]}"#).unwrap();
        assert_eq!(s.learning_rate, 0.01);
        assert_eq!(s.hidden, vec![64, 32]);
        assert_eq!(s.batch_size, 32);
        assert!(serde_json::from_str::<Settings>(r#"{"lr":1}"#).is_err());
    }
}
