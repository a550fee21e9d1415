//! The wasm lab's side of training the smoothed model in a pool worker, in
//! lockstep (`core::lab` lockstep): lend it, run the lab's part of each
//! slice, combine it with the pool worker's reply, take the model back.

use js_sys::{Array, Uint32Array, Uint8Array};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::LabHandle;
use crate::wasm::args::index;
use crate::wasm::js::{arg, js, json};

/// `lockstepFinish`'s answer.
#[derive(Serialize)]
struct Outcome {
    /// For the pool worker's `LentModel.resolve`, first in the next message.
    resolution: f64,
    steps: usize,
    epochs: usize,
    error: Option<String>,
    /// The reply was for models since restarted: nothing was recorded.
    void: bool,
}

#[wasm_bindgen(js_class = Lab)]
impl LabHandle {
    /// Makes the trainer ready (throws why the data cannot be trained on);
    /// returns its build number, new whenever the models start afresh.
    #[wasm_bindgen(js_name = prepareTraining)]
    pub fn prepare_training(&mut self) -> Result<f64, JsError> {
        Ok(self.inner.prepare_training().map_err(js)? as f64)
    }

    /// Whether model `index` (0 baseline, 1 smoothed) is lent now.
    #[wasm_bindgen(js_name = isLent)]
    pub fn is_lent(&self, model: f64) -> Result<bool, JsError> {
        Ok(self.inner.is_lent(index(model, "model").map_err(arg)?))
    }

    /// Lends model `index`: bytes for a pool worker's `LentModel.lend`.
    #[wasm_bindgen(js_name = lendModel)]
    pub fn lend_model(&mut self, model: f64) -> Result<Uint8Array, JsError> {
        let model = index(model, "model").map_err(arg)?;
        let bytes = self.inner.lend_model(model).map_err(js)?;
        Ok(Uint8Array::from(&bytes[..]))
    }

    /// Takes model `index` back from `LentModel.giveBack`'s bytes.
    #[wasm_bindgen(js_name = takeBackModel)]
    pub fn take_back_model(&mut self, model: f64, bytes: &[u8]) -> Result<(), JsError> {
        let model = index(model, "model").map_err(arg)?;
        self.inner.take_back_model(model, bytes).map_err(js)
    }

    /// The lent model is lost: the run starts again from its first weights.
    #[wasm_bindgen(js_name = restartRun)]
    pub fn restart_run(&mut self) {
        self.own_slice = None;
        self.inner.restart_run();
    }

    /// The lab's part of a slice (up to `max` steps); the pool worker runs
    /// the same. `lockstepFinish` then takes its reply.
    #[wasm_bindgen(js_name = lockstepSteps)]
    pub fn lockstep_steps(&mut self, max: f64) -> Result<(), JsError> {
        let max = index(max, "steps").map_err(arg)?;
        self.own_slice = Some(self.inner.lockstep_steps(max).map_err(js)?);
        Ok(())
    }

    /// Combines the slice with the lent models' replies (`LentModel.slice`
    /// bytes); returns JSON `{resolution, steps, epochs, error, void}`.
    #[wasm_bindgen(js_name = lockstepFinish)]
    pub fn lockstep_finish(&mut self, replies: Array) -> Result<String, JsError> {
        let own = self
            .own_slice
            .take()
            .ok_or_else(|| JsError::new("no lockstep slice is in flight"))?;
        let bytes: Vec<Vec<u8>> = replies
            .iter()
            .map(|r| r.dyn_into::<Uint8Array>().map(|a| a.to_vec()))
            .collect::<Result<_, _>>()
            .map_err(|_| JsError::new("a reply is not a Uint8Array"))?;
        let slices: Vec<&[u8]> = bytes.iter().map(|b| &b[..]).collect();
        let out = self.inner.finish_lockstep(own, &slices).map_err(js)?;
        json(&Outcome {
            resolution: out.resolution.to_f64(),
            steps: out.steps,
            epochs: out.epochs,
            error: out.error,
            void: out.void,
        })
    }

    /// `"revision:digest"`: a new revision asks for a new `snapshot()` in
    /// the pool worker, a new digest alone for `labelArrays()`.
    #[wasm_bindgen(js_name = dataStamp)]
    pub fn data_stamp(&self) -> String {
        let (revision, digest) = self.inner.data_stamp();
        format!("{revision}:{digest:016x}")
    }

    /// Every image's given label, then every true label (2³² − 1: unknown).
    #[wasm_bindgen(js_name = labelArrays)]
    pub fn label_arrays(&self) -> Uint32Array {
        Uint32Array::from(&self.inner.dataset().label_arrays()[..])
    }

    /// Model `index`'s ε now.
    #[wasm_bindgen(js_name = epsilonOf)]
    pub fn epsilon_of(&self, model: f64) -> Result<f64, JsError> {
        Ok(self.inner.epsilon_of(index(model, "model").map_err(arg)?) as f64)
    }
}
