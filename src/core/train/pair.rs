//! The paired run's two models: the baseline (ε = 0) and the smoothed model,
//! by index in reports and trainer, and by the name the page and CSV use.

use crate::core::error::{LabError, Result};

/// Index of the baseline (ε = 0) and the smoothed model in a paired run.
pub const BASELINE: usize = 0;
pub const SMOOTHED: usize = 1;

/// The models of a paired run, in report order.
pub const MODEL_NAMES: [&str; 2] = ["baseline", "smoothed"];

/// One of the paired run's two models.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelId {
    Baseline,
    Smoothed,
}

impl ModelId {
    /// Its index in a paired run's reports and trainer.
    pub fn index(self) -> usize {
        match self {
            ModelId::Baseline => BASELINE,
            ModelId::Smoothed => SMOOTHED,
        }
    }
}

impl std::str::FromStr for ModelId {
    type Err = LabError;
    fn from_str(s: &str) -> Result<Self> {
        match MODEL_NAMES.iter().position(|&name| name == s) {
            Some(BASELINE) => Ok(ModelId::Baseline),
            Some(_) => Ok(ModelId::Smoothed),
            None => Err(LabError::setting(
                "model",
                "\"baseline\" or \"smoothed\"",
                format!("{s:?}"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_to_their_indices() {
        for (i, name) in MODEL_NAMES.iter().enumerate() {
            assert_eq!(name.parse::<ModelId>().unwrap().index(), i);
        }
        let msg = "ensemble".parse::<ModelId>().unwrap_err().to_string();
        assert_eq!(
            msg,
            "model must be \"baseline\" or \"smoothed\" (got \"ensemble\")"
        );
    }
}
