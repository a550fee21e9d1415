//! `LentModel` for a pool worker: a model the session's lab lent it
//! (`Lab.lendModel`), with the worker's own copy of the data, trained in
//! lockstep with the lab (`core::lab::LentModel`).

use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;

use super::args::index;
use super::js::{arg, js};
use crate::core::train::Resolution;

#[wasm_bindgen(js_name = LentModel)]
#[derive(Default)]
pub struct LentModelHandle {
    inner: crate::core::lab::LentModel,
}

#[wasm_bindgen(js_class = LentModel)]
impl LentModelHandle {
    #[wasm_bindgen(constructor)]
    pub fn new() -> LentModelHandle {
        LentModelHandle::default()
    }

    /// Takes model `model` from `Lab.lendModel`'s bytes.
    pub fn lend(&mut self, model: f64, bytes: &[u8]) -> Result<(), JsError> {
        let model = index(model, "model").map_err(arg)?;
        self.inner.lend(model, bytes).map_err(js)
    }

    /// A new copy of the data, from `Lab.snapshot()`.
    #[wasm_bindgen(js_name = setDataset)]
    pub fn set_dataset(&mut self, snapshot: &[u8]) -> Result<(), JsError> {
        self.inner.set_dataset(snapshot).map_err(js)
    }

    /// New labels, from `Lab.labelArrays()`.
    #[wasm_bindgen(js_name = setLabels)]
    pub fn set_labels(&mut self, labels: &[u32]) -> Result<(), JsError> {
        self.inner.set_labels(labels).map_err(js)
    }

    #[wasm_bindgen(js_name = setSmoothing)]
    pub fn set_smoothing(&mut self, epsilon: f64) -> Result<(), JsError> {
        self.inner.set_smoothing(epsilon).map_err(js)
    }

    /// The lab's resolution of the last slice (`lockstepFinish`'s).
    pub fn resolve(&mut self, resolution: f64) -> Result<(), JsError> {
        let r = Resolution::from_f64(resolution).map_err(js)?;
        self.inner.resolve(r).map_err(js)
    }

    /// The lab's slice (up to `max` steps): the reply for `lockstepFinish`.
    pub fn slice(&mut self, max: f64) -> Result<Uint8Array, JsError> {
        let max = index(max, "steps").map_err(arg)?;
        Ok(Uint8Array::from(&self.inner.slice(max).map_err(js)?[..]))
    }

    /// The model, for `Lab.takeBackModel`.
    #[wasm_bindgen(js_name = giveBack)]
    pub fn give_back(&mut self) -> Result<Uint8Array, JsError> {
        Ok(Uint8Array::from(&self.inner.give_back().map_err(js)?[..]))
    }
}
