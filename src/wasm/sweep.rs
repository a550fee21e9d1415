//! `SweepRunner`: one seed of "Compare ε" (`core::train::SweepSeed`) on a
//! copy of the dataset read from the session's bytes, stepped an epoch at a
//! time by whichever worker runs it; `sweepSummaryJson` puts the seeds'
//! runs together per ε.

use wasm_bindgen::prelude::*;

use super::args::index;
use super::js::{arg, js, json, parse};
use crate::core::data::Dataset;
use crate::core::train::{summarise, SeedRun, SweepSeed};
use crate::core::Settings;

#[wasm_bindgen(js_name = SweepRunner)]
pub struct SweepRunner {
    dataset: Dataset,
    seed: SweepSeed,
}

#[wasm_bindgen(js_class = SweepRunner)]
impl SweepRunner {
    /// `snapshot`: `Lab.snapshot()`; `settings`: `Lab.settingsJson()`;
    /// every ε of `epsilons` from the weights `seed` draws, for `epochs`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        snapshot: &[u8],
        settings: &str,
        epsilons: &[f32],
        seed: f64,
        epochs: f64,
    ) -> Result<SweepRunner, JsError> {
        let settings: Settings = parse(settings, "settings")?;
        let config = settings.validate().map_err(js)?;
        let seed = index(seed, "seed").map_err(arg)? as u64;
        let epochs = index(epochs, "epochs").map_err(arg)?;
        let dataset = Dataset::from_snapshot(snapshot).map_err(js)?;
        let seed = SweepSeed::new(&dataset, &config, epsilons, seed, epochs).map_err(js)?;
        Ok(SweepRunner { dataset, seed })
    }

    /// One more epoch of every ε; true once the run is done.
    #[wasm_bindgen(js_name = stepEpoch)]
    pub fn step_epoch(&mut self) -> Result<bool, JsError> {
        self.seed.step_epoch(&self.dataset).map_err(js)
    }

    /// Up to `steps` more mini-batches of every ε (never past the last
    /// epoch); true once the run is done. The same run as `stepEpoch`, in
    /// slices that share a worker with other work.
    #[wasm_bindgen(js_name = stepBatches)]
    pub fn step_batches(&mut self, steps: f64) -> Result<bool, JsError> {
        let steps = index(steps, "steps").map_err(arg)?;
        self.seed.step_batches(&self.dataset, steps).map_err(js)
    }

    /// Epochs trained so far.
    pub fn progress(&self) -> usize {
        self.seed.epochs_done()
    }

    /// The run so far as JSON (`SeedRun`).
    #[wasm_bindgen(js_name = resultJson)]
    pub fn result_json(&self) -> Result<String, JsError> {
        json(&self.seed.result())
    }
}

/// `runs`: a JSON array of `SeedRun`; one `SweepRow` per ε, as JSON.
#[wasm_bindgen(js_name = sweepSummaryJson)]
pub fn sweep_summary_json(runs: &str) -> Result<String, JsError> {
    let runs: Vec<SeedRun> = parse(runs, "runs")?;
    json(&summarise(&runs))
}
