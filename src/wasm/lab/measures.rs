//! The wasm lab's reads of what its models say at the last point
//! measured: per-image losses and predictions, the held-out reliability
//! tables, the data map, and the losses as CSV.

use js_sys::{Float32Array, Uint32Array};
use wasm_bindgen::prelude::*;

use super::{model, LabHandle};
use crate::core::csv::losses_csv;
use crate::core::train::ModelId;
use crate::wasm::js::json;

#[wasm_bindgen(js_class = Lab)]
impl LabHandle {
    /// Per-image −log p(given) of "baseline" or "smoothed".
    #[wasm_bindgen(js_name = lossesGiven)]
    pub fn losses_given(&self, name: &str) -> Result<Float32Array, JsError> {
        Ok(Float32Array::from(
            &self.inner.losses_given(model(name)?)[..],
        ))
    }

    pub fn predictions(&self, name: &str) -> Result<Uint32Array, JsError> {
        Ok(Uint32Array::from(&self.inner.predictions(model(name)?)[..]))
    }

    /// Both models' reliability tables on the held-out images at the last
    /// point measured: `{"baseline": [bin…], "smoothed": [bin…]}`, each bin
    /// `{count, confidence, accuracy}` (null confidence and accuracy when
    /// empty).
    #[wasm_bindgen(js_name = reliabilityJson)]
    pub fn reliability_json(&self) -> Result<String, JsError> {
        let both = std::collections::BTreeMap::from([
            ("baseline", self.inner.reliability(ModelId::Baseline)),
            ("smoothed", self.inner.reliability(ModelId::Smoothed)),
        ]);
        json(&both)
    }

    /// A model's data map, per training image in `datasetJson` order, as 5
    /// numbers each: confidence (mean p(given) over the epoch ends),
    /// variability (its population std), epochs counted, given class, true
    /// class (−1 when unknown). Confidence and variability are NaN for an
    /// image with no epoch counted yet. `dataMapIds()` gives the images' ids.
    #[wasm_bindgen(js_name = dataMap)]
    pub fn data_map(&self, name: &str) -> Result<Float32Array, JsError> {
        let packed: Vec<f32> = self
            .inner
            .data_map(model(name)?)
            .iter()
            .flat_map(|p| {
                let truth = p.truth.map_or(-1.0, |t| t as f32);
                [
                    p.confidence as f32,
                    p.variability as f32,
                    p.epochs as f32,
                    p.given as f32,
                    truth,
                ]
            })
            .collect();
        Ok(Float32Array::from(&packed[..]))
    }

    /// The ids of the images `dataMap` lists, in the same order: the
    /// training images in dataset order, the same for either model (read
    /// from the dataset, so that the map is not computed twice).
    #[wasm_bindgen(js_name = dataMapIds)]
    pub fn data_map_ids(&self) -> Uint32Array {
        let ids: Vec<u32> = self
            .inner
            .dataset()
            .samples()
            .iter()
            .filter(|s| !s.holdout)
            .map(|s| s.id as u32)
            .collect();
        Uint32Array::from(&ids[..])
    }

    /// Every image's loss and prediction for both models (`core::csv`).
    #[wasm_bindgen(js_name = lossesCsv)]
    pub fn losses_csv(&self) -> String {
        losses_csv(&self.inner)
    }
}
