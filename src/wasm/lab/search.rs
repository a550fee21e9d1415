//! The wasm lab's search for mislabeled images (k-fold cross-validation in
//! slices, folds handed to pool workers), and the copies of the project
//! that pool workers train on.

use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;

use super::LabHandle;
use crate::wasm::args::index;
use crate::wasm::js::{arg, js, json};

#[wasm_bindgen(js_class = Lab)]
impl LabHandle {
    /// Plans a search for mislabeled images: `folds`-fold cross-validation,
    /// `epochs` epochs per fold.
    #[wasm_bindgen(js_name = startFindIssues)]
    pub fn start_find_issues(&mut self, folds: f64, epochs: f64) -> Result<(), JsError> {
        let folds = index(folds, "folds").map_err(arg)?;
        let epochs = index(epochs, "epochs").map_err(arg)?;
        self.inner.start_find_issues(folds, epochs).map_err(js)
    }

    /// Advances the search; returns progress as JSON
    /// `{fold, folds, epoch, epochs, fraction, done}`.
    #[wasm_bindgen(js_name = findIssuesStep)]
    pub fn find_issues_step(&mut self, steps: f64) -> Result<String, JsError> {
        let steps = index(steps, "steps").map_err(arg)?;
        json(&self.inner.find_issues_step(steps).map_err(js)?)
    }

    /// The dataset as it is now, as bytes (`Dataset::to_snapshot`): what a
    /// pool worker's `SweepRunner` trains on.
    pub fn snapshot(&self) -> Uint8Array {
        Uint8Array::from(&self.inner.dataset().to_snapshot()[..])
    }

    /// The settings the lab's models train with, as JSON (`Settings`).
    #[wasm_bindgen(js_name = settingsJson)]
    pub fn settings_json(&self) -> Result<String, JsError> {
        json(self.inner.settings())
    }

    /// The dataset as bytes, for pool workers' `FoldRunner`s.
    #[wasm_bindgen(js_name = findIssuesSnapshot)]
    pub fn find_issues_snapshot(&self) -> Result<Uint8Array, JsError> {
        let bytes = self.inner.find_issues_snapshot().map_err(js)?;
        Ok(Uint8Array::from(&bytes[..]))
    }

    /// The settings the search's folds train with, as JSON.
    #[wasm_bindgen(js_name = findIssuesSettingsJson)]
    pub fn find_issues_settings_json(&self) -> Result<String, JsError> {
        json(&self.inner.find_issues_settings().map_err(js)?)
    }

    /// A fold for a pool worker, or -1 when every fold is taken.
    #[wasm_bindgen(js_name = findIssuesTakeFold)]
    pub fn find_issues_take_fold(&mut self) -> Result<i32, JsError> {
        Ok(self
            .inner
            .find_issues_take_fold()
            .map_err(js)?
            .map_or(-1, |f| f as i32))
    }

    /// A pool worker's probabilities for a fold (`FoldRunner.probabilities`).
    #[wasm_bindgen(js_name = findIssuesAcceptFold)]
    pub fn find_issues_accept_fold(&mut self, fold: f64, rows: &[f32]) -> Result<(), JsError> {
        let fold = index(fold, "fold").map_err(arg)?;
        self.inner
            .find_issues_fold_done(fold, Some(rows))
            .map_err(js)
    }

    /// A fold whose pool worker failed: it is trained here instead.
    #[wasm_bindgen(js_name = findIssuesReleaseFold)]
    pub fn find_issues_release_fold(&mut self, fold: f64) -> Result<(), JsError> {
        let fold = index(fold, "fold").map_err(arg)?;
        self.inner.find_issues_fold_done(fold, None).map_err(js)
    }

    /// The rankings as JSON: `{folds, epochsPerFold, outOfSample, inSample}`,
    /// each ranking `{issues: [{id, given, suggested, selfConfidence,
    /// trulyMislabeled}], thresholds, confidentJoint, quality}`. `filter` is
    /// "prune_by_noise_rate" (default) or "confident_joint".
    #[wasm_bindgen(js_name = findIssuesJson)]
    pub fn find_issues_json(&self, filter: &str) -> Result<String, JsError> {
        let filter = filter.parse().map_err(js)?;
        json(&self.inner.find_issues_report(filter).map_err(js)?)
    }
}
