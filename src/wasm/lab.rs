//! `Lab` for JavaScript: a thin handle over [`crate::core::Lab`].

use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;

use super::args::{id, index};
use super::js::{arg, js, json, parse};
use crate::core::image::probe_image;
use crate::core::lab::ProjectStart;
use crate::core::project::{encode_png, export_project, saved_manifest};
use crate::core::train::ModelId;
use crate::core::view::{DatasetView, ReportView};
use crate::core::{Lab, NoiseMode, Settings};

/// The lab: a project's images with their labels, and the two models
/// training on them. JavaScript knows it as `Lab`.
#[wasm_bindgen(js_name = Lab)]
pub struct LabHandle {
    inner: Lab,
    /// The lab's own part of the lockstep slice in flight (`lab/lockstep.rs`).
    own_slice: Option<crate::core::lab::OwnSlice>,
}

mod lockstep;
mod measures;
mod search;

fn model(name: &str) -> Result<ModelId, JsError> {
    name.parse().map_err(js)
}

#[wasm_bindgen(js_class = Lab)]
impl LabHandle {
    /// `start`: `{"kind": "sample"}` (the built-in digits) or `{"kind":
    /// "empty", "side": 32, "color": "rgb" | "gray"}`; `settings`: the
    /// training settings as JSON (camelCase; see `Settings`).
    #[wasm_bindgen(constructor)]
    pub fn new(start: &str, settings: &str) -> Result<LabHandle, JsError> {
        let start: ProjectStart = parse(start, "project start")?;
        let settings: Settings = parse(settings, "settings")?;
        Ok(LabHandle {
            inner: Lab::start(start, settings).map_err(js)?,
            own_slice: None,
        })
    }

    #[wasm_bindgen(js_name = addClass)]
    pub fn add_class(&mut self, name: &str) -> Result<u32, JsError> {
        self.inner.add_class(name).map(|k| k as u32).map_err(js)
    }

    #[wasm_bindgen(js_name = renameClass)]
    pub fn rename_class(&mut self, class: f64, name: &str) -> Result<(), JsError> {
        let class = index(class, "class").map_err(arg)?;
        self.inner.rename_class(class, name).map_err(js)
    }

    #[wasm_bindgen(js_name = removeClass)]
    pub fn remove_class(&mut self, class: f64) -> Result<u32, JsError> {
        let class = index(class, "class").map_err(arg)?;
        Ok(self.inner.remove_class(class).map_err(js)? as u32)
    }

    /// Decodes and adds an image; the error message starts with the file name.
    #[wasm_bindgen(js_name = addImage)]
    pub fn add_image(&mut self, file_name: &str, bytes: &[u8], class: f64) -> Result<f64, JsError> {
        let class = index(class, "class").map_err(arg)?;
        let id = self.inner.add_image(file_name, bytes, class).map_err(js)?;
        Ok(id as f64)
    }

    /// Reads an image file's header without decoding it, as JSON
    /// `{format, width, height, orientation}` (size as stored, EXIF
    /// orientation 1–8). Throws, with the message `addImage` would give, for
    /// files that cannot be read or are over the size limits, so that they
    /// are refused before the browser decodes them.
    #[wasm_bindgen(js_name = probeImageJson)]
    pub fn probe_image_json(&self, file_name: &str, bytes: &[u8]) -> Result<String, JsError> {
        json(&probe_image(file_name, bytes).map_err(js)?)
    }

    /// Adds a picture already decoded to side×side RGBA (by the browser).
    #[wasm_bindgen(js_name = addRgba)]
    pub fn add_rgba(&mut self, name: &str, rgba: &[u8], class: f64) -> Result<f64, JsError> {
        let class = index(class, "class").map_err(arg)?;
        let id = self.inner.add_rgba(name, rgba, class).map_err(js)?;
        Ok(id as f64)
    }

    /// Adds an image read back from a project or from storage, with its
    /// given and true class and, from storage, its old id.
    #[wasm_bindgen(js_name = restoreImage)]
    pub fn restore_image(
        &mut self,
        old_id: Option<f64>,
        file_name: &str,
        bytes: &[u8],
        given: f64,
        truth: Option<f64>,
    ) -> Result<f64, JsError> {
        let old_id = old_id.map(id).transpose().map_err(arg)?;
        let truth = truth.map(|t| index(t, "class")).transpose().map_err(arg)?;
        let given = index(given, "class").map_err(arg)?;
        let new_id = self
            .inner
            .restore_image(old_id, file_name, bytes, given, truth)
            .map_err(js)?;
        Ok(new_id as f64)
    }

    /// Fixes a label: the class becomes the given and the true label.
    #[wasm_bindgen(js_name = setLabel)]
    pub fn set_label(&mut self, image: f64, class: f64) -> Result<(), JsError> {
        let (image, class) = (id(image).map_err(arg)?, index(class, "class").map_err(arg)?);
        self.inner.set_label(image, class).map_err(js)
    }

    /// Mislabels on purpose: the given label changes, the truth is kept.
    pub fn mislabel(&mut self, image: f64, class: f64) -> Result<(), JsError> {
        let (image, class) = (id(image).map_err(arg)?, index(class, "class").map_err(arg)?);
        self.inner.mislabel(image, class).map_err(js)
    }

    #[wasm_bindgen(js_name = removeImage)]
    pub fn remove_image(&mut self, image: f64) -> Result<(), JsError> {
        self.inner.remove_image(id(image).map_err(arg)?).map_err(js)
    }

    #[wasm_bindgen(js_name = injectNoise)]
    pub fn inject_noise(&mut self, mode: &str, rate: f64, seed: f64) -> Result<u32, JsError> {
        let mode: NoiseMode = mode.parse().map_err(js)?;
        let seed = index(seed, "seed").map_err(arg)? as u64;
        Ok(self.inner.inject_noise(mode, rate, seed).map_err(js)? as u32)
    }

    #[wasm_bindgen(js_name = clearNoise)]
    pub fn clear_noise(&mut self) -> u32 {
        self.inner.clear_noise() as u32
    }

    /// The dataset listing (`core::view::DatasetView`) as JSON.
    #[wasm_bindgen(js_name = datasetJson)]
    pub fn dataset_json(&self) -> Result<String, JsError> {
        json(&DatasetView::of(&self.inner))
    }

    #[wasm_bindgen(js_name = thumbnailRgba)]
    pub fn thumbnail_rgba(&self, image: f64) -> Result<Uint8Array, JsError> {
        let rgba = self
            .inner
            .thumbnail_rgba(id(image).map_err(arg)?)
            .map_err(js)?;
        Ok(Uint8Array::from(&rgba[..]))
    }

    #[wasm_bindgen(js_name = setSmoothing)]
    pub fn set_smoothing(&mut self, epsilon: f64) -> Result<(), JsError> {
        self.inner.set_smoothing(epsilon).map_err(js)
    }

    /// Settings as JSON (camelCase; see `Settings`); restarts both models.
    pub fn configure(&mut self, settings: &str) -> Result<(), JsError> {
        self.inner
            .configure(parse(settings, "settings")?)
            .map_err(js)
    }

    pub fn restart(&mut self) -> Result<(), JsError> {
        self.inner.restart().map_err(js)
    }

    /// Runs `steps` steps on both models; returns the epochs completed.
    pub fn step(&mut self, steps: f64) -> Result<u32, JsError> {
        let steps = index(steps, "steps").map_err(arg)?;
        Ok(self.inner.step(steps).map_err(js)? as u32)
    }

    #[wasm_bindgen(js_name = stepsPerEpoch)]
    pub fn steps_per_epoch(&self) -> u32 {
        self.inner.steps_per_epoch() as u32
    }

    pub fn epoch(&self) -> u32 {
        self.inner.epoch() as u32
    }

    /// How many points of the curves there are since the models (re)started.
    #[wasm_bindgen(js_name = reportCount)]
    pub fn report_count(&self) -> u32 {
        self.inner.reports().len() as u32
    }

    /// The points after the first `skip` (`core::view::ReportView`) as JSON.
    #[wasm_bindgen(js_name = reportsJson)]
    pub fn reports_json(&self, skip: f64) -> Result<String, JsError> {
        let from = index(skip, "skip").map_err(arg)?;
        let views: Vec<ReportView> = self
            .inner
            .reports_from(from)
            .iter()
            .map(ReportView::of)
            .collect();
        json(&views)
    }

    /// Makes the models see `values` (`dim` features per image, in
    /// `datasetJson` order) instead of the pixels; both models restart.
    #[wasm_bindgen(js_name = setFeatures)]
    pub fn set_features(&mut self, dim: f64, values: &[f32]) -> Result<(), JsError> {
        let dim = index(dim, "feature count").map_err(arg)?;
        self.inner.set_features(dim, values).map_err(js)
    }

    /// Back to the pixels; both models restart.
    #[wasm_bindgen(js_name = clearFeatures)]
    pub fn clear_features(&mut self) {
        self.inner.clear_features();
    }

    /// The manifest the browser saves (`core::project::saved_manifest`) as
    /// JSON; `has_file(id)` is true for images whose original file is kept.
    #[wasm_bindgen(js_name = savedManifestJson)]
    pub fn saved_manifest_json(&self, has_file: &js_sys::Function) -> Result<String, JsError> {
        let has = |image: u64| {
            has_file
                .call1(&JsValue::NULL, &JsValue::from_f64(image as f64))
                .is_ok_and(|v| v.is_truthy())
        };
        json(&saved_manifest(&self.inner, has))
    }

    /// An image's pixels as a PNG (for images that came without a file).
    #[wasm_bindgen(js_name = imagePng)]
    pub fn image_png(&self, image: f64) -> Result<Uint8Array, JsError> {
        let image = id(image).map_err(arg)?;
        let ds = self.inner.dataset();
        let i = ds
            .index_of(image)
            .ok_or_else(|| JsError::new(&format!("image {image} does not exist")))?;
        Ok(Uint8Array::from(&encode_png(ds, i).map_err(js)?[..]))
    }

    /// The project as a zip (see `core::project`). `original(id)` returns an
    /// image's file as dropped (a Uint8Array) or undefined for a PNG of it.
    #[wasm_bindgen(js_name = exportProject)]
    pub fn export_project(&self, original: &js_sys::Function) -> Result<Uint8Array, JsError> {
        let mut failure = None;
        let zip = export_project(&self.inner, |image| {
            match original.call1(&JsValue::NULL, &JsValue::from_f64(image as f64)) {
                Ok(v) => v.dyn_into::<Uint8Array>().ok().map(|a| a.to_vec()),
                Err(e) => {
                    failure.get_or_insert(format!("{e:?}"));
                    None
                }
            }
        })
        .map_err(js)?;
        if let Some(f) = failure {
            return Err(JsError::new(&format!(
                "export: reading an image failed ({f})"
            )));
        }
        Ok(Uint8Array::from(&zip[..]))
    }
}
