//! `FoldRunner` for a pool worker: a copy of the dataset of a search for
//! mislabeled images (read once from the session's bytes), which trains
//! whole folds with `core::find::fold_probabilities`.

use js_sys::Float32Array;
use wasm_bindgen::prelude::*;

use super::args::index;
use super::js::{js, parse};
use crate::core::data::Dataset;
use crate::core::find::fold_probabilities;
use crate::core::{Settings, TrainConfig};

#[wasm_bindgen(js_name = FoldRunner)]
pub struct FoldRunner {
    dataset: Dataset,
    config: TrainConfig,
}

#[wasm_bindgen(js_class = FoldRunner)]
impl FoldRunner {
    /// `snapshot`: `Lab.findIssuesSnapshot()`; `settings`:
    /// `Lab.findIssuesSettingsJson()`.
    #[wasm_bindgen(constructor)]
    pub fn new(snapshot: &[u8], settings: &str) -> Result<FoldRunner, JsError> {
        let settings: Settings = parse(settings, "settings")?;
        Ok(FoldRunner {
            dataset: Dataset::from_snapshot(snapshot).map_err(js)?,
            config: settings.validate().map_err(js)?,
        })
    }

    /// Fold `fold` of `folds`, `epochs` epochs: its samples' probabilities,
    /// for `Lab.findIssuesAcceptFold`.
    pub fn probabilities(
        &self,
        folds: f64,
        epochs: f64,
        fold: f64,
    ) -> Result<Float32Array, JsError> {
        let folds = index(folds, "folds").map_err(super::js::arg)?;
        let epochs = index(epochs, "epochs").map_err(super::js::arg)?;
        let fold = index(fold, "fold").map_err(super::js::arg)?;
        let rows =
            fold_probabilities(&self.dataset, &self.config, folds, epochs, fold).map_err(js)?;
        Ok(Float32Array::from(&rows[..]))
    }
}
