//! The browser boundary: a thin `Session` over [`crate::core::Lab`]. It only
//! translates types and errors; large data stays in Rust and calls return
//! small copies. The Web Worker is its only caller.

use js_sys::{Float32Array, Object, Reflect, Uint32Array, Uint8Array};
use wasm_bindgen::prelude::*;

use crate::core::export;
use crate::core::ingest::{probe_image, ColorMode};
use crate::core::lab::{BASELINE, SMOOTHED};
use crate::core::project::{read_project, Project};
use crate::core::{Lab, LabError, NoiseMode, Settings};

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

fn js(e: LabError) -> JsError {
    JsError::new(&e.to_string())
}

fn json_err(e: serde_json::Error) -> JsError {
    JsError::new(&format!("settings: {e}"))
}

/// JS numbers are f64; ids and indices must be whole and in range.
fn index(value: f64, what: &str) -> Result<usize, JsError> {
    if value.is_finite() && value >= 0.0 && value.fract() == 0.0 && value <= u32::MAX as f64 {
        Ok(value as usize)
    } else {
        Err(JsError::new(&format!(
            "{what} must be a whole number ≥ 0 (got {value})"
        )))
    }
}

fn model_index(name: &str) -> Result<usize, JsError> {
    match name {
        "baseline" => Ok(BASELINE),
        "smoothed" => Ok(SMOOTHED),
        _ => Err(JsError::new(&format!(
            "model must be \"baseline\" or \"smoothed\" (got {name:?})"
        ))),
    }
}

#[wasm_bindgen]
pub struct Session {
    inner: Lab,
}

#[wasm_bindgen]
impl Session {
    /// An empty RGB project whose images are resized to `side`×`side`.
    #[wasm_bindgen(constructor)]
    pub fn new(side: f64, seed: f64) -> Result<Session, JsError> {
        let settings = Settings {
            seed: index(seed, "seed")? as u64,
            ..Settings::default()
        };
        let side = index(side, "image size")?;
        Ok(Session {
            inner: Lab::new(side, settings).map_err(js)?,
        })
    }

    /// The built-in 1,797 scikit-learn digits (8×8 gray, 10 classes).
    pub fn sample(seed: f64) -> Result<Session, JsError> {
        let settings = Settings {
            seed: index(seed, "seed")? as u64,
            ..Settings::default()
        };
        Ok(Session {
            inner: Lab::sample(settings).map_err(js)?,
        })
    }

    #[wasm_bindgen(js_name = addClass)]
    pub fn add_class(&mut self, name: &str) -> Result<u32, JsError> {
        self.inner.add_class(name).map(|k| k as u32).map_err(js)
    }

    #[wasm_bindgen(js_name = renameClass)]
    pub fn rename_class(&mut self, class: f64, name: &str) -> Result<(), JsError> {
        self.inner
            .rename_class(index(class, "class")?, name)
            .map_err(js)
    }

    #[wasm_bindgen(js_name = removeClass)]
    pub fn remove_class(&mut self, class: f64) -> Result<u32, JsError> {
        let removed = self
            .inner
            .remove_class(index(class, "class")?)
            .map_err(js)?;
        Ok(removed as u32)
    }

    /// Decodes and adds an image; the error message starts with the file name.
    #[wasm_bindgen(js_name = addImage)]
    pub fn add_image(&mut self, file_name: &str, bytes: &[u8], class: f64) -> Result<f64, JsError> {
        let id = self
            .inner
            .add_image(file_name, bytes, index(class, "class")?)
            .map_err(js)?;
        Ok(id as f64)
    }

    /// Reads an image file's header without decoding it:
    /// `{format, width, height, orientation}` (size as stored, EXIF
    /// orientation 1–8). Throws, with the message `addImage` would give, for
    /// files that cannot be read or are over the size limits, so that they
    /// are refused before the browser decodes them.
    #[wasm_bindgen(js_name = probeImage)]
    pub fn probe_image(&self, file_name: &str, bytes: &[u8]) -> Result<JsValue, JsError> {
        let probe = probe_image(file_name, bytes).map_err(js)?;
        let out = Object::new();
        let set = |key: &str, value: JsValue| Reflect::set(&out, &key.into(), &value);
        set("format", probe.format.into())
            .and(set("width", probe.width.into()))
            .and(set("height", probe.height.into()))
            .and(set("orientation", probe.orientation.into()))
            .map_err(|_| JsError::new("could not build the probe result"))?;
        Ok(out.into())
    }

    /// Adds a picture already decoded to side×side RGBA (by the browser).
    #[wasm_bindgen(js_name = addRgba)]
    pub fn add_rgba(&mut self, name: &str, rgba: &[u8], class: f64) -> Result<f64, JsError> {
        let id = self
            .inner
            .add_rgba(name, rgba, index(class, "class")?)
            .map_err(js)?;
        Ok(id as f64)
    }

    /// Fixes a label: the class becomes the given and the true label.
    #[wasm_bindgen(js_name = setLabel)]
    pub fn set_label(&mut self, id: f64, class: f64) -> Result<(), JsError> {
        let (id, class) = (index(id, "image id")? as u64, index(class, "class")?);
        self.inner.set_label(id, class).map_err(js)
    }

    /// Mislabels on purpose: the given label changes, the truth is kept.
    pub fn mislabel(&mut self, id: f64, class: f64) -> Result<(), JsError> {
        let (id, class) = (index(id, "image id")? as u64, index(class, "class")?);
        self.inner.mislabel(id, class).map_err(js)
    }

    #[wasm_bindgen(js_name = removeImage)]
    pub fn remove_image(&mut self, id: f64) -> Result<(), JsError> {
        self.inner
            .remove_image(index(id, "image id")? as u64)
            .map_err(js)
    }

    #[wasm_bindgen(js_name = injectNoise)]
    pub fn inject_noise(&mut self, mode: &str, rate: f64, seed: f64) -> Result<u32, JsError> {
        let mode: NoiseMode = mode.parse().map_err(js)?;
        let seed = index(seed, "seed")? as u64;
        let n = self.inner.inject_noise(mode, rate, seed).map_err(js)?;
        Ok(n as u32)
    }

    #[wasm_bindgen(js_name = clearNoise)]
    pub fn clear_noise(&mut self) -> u32 {
        self.inner.clear_noise() as u32
    }

    #[wasm_bindgen(js_name = datasetJson)]
    pub fn dataset_json(&self) -> Result<String, JsError> {
        serde_json::to_string(&self.inner.summary()).map_err(json_err)
    }

    #[wasm_bindgen(js_name = thumbnailRgba)]
    pub fn thumbnail_rgba(&self, id: f64) -> Result<Uint8Array, JsError> {
        let rgba = self
            .inner
            .thumbnail_rgba(index(id, "image id")? as u64)
            .map_err(js)?;
        Ok(Uint8Array::from(&rgba[..]))
    }

    #[wasm_bindgen(js_name = setSmoothing)]
    pub fn set_smoothing(&mut self, epsilon: f64) -> Result<(), JsError> {
        self.inner.set_smoothing(epsilon).map_err(js)
    }

    /// Settings as JSON (camelCase; see `Settings`); restarts both models.
    pub fn configure(&mut self, settings_json: &str) -> Result<(), JsError> {
        let settings: Settings = serde_json::from_str(settings_json).map_err(json_err)?;
        self.inner.configure(settings).map_err(js)
    }

    pub fn restart(&mut self) -> Result<(), JsError> {
        self.inner.restart().map_err(js)
    }

    /// Runs `steps` steps on both models; returns the epochs completed.
    pub fn step(&mut self, steps: f64) -> Result<u32, JsError> {
        let n = self.inner.step(index(steps, "steps")?).map_err(js)?;
        Ok(n as u32)
    }

    #[wasm_bindgen(js_name = stepsPerEpoch)]
    pub fn steps_per_epoch(&self) -> u32 {
        self.inner.steps_per_epoch() as u32
    }

    pub fn epoch(&self) -> u32 {
        self.inner.epoch() as u32
    }

    /// Reports with epoch ≥ `from_epoch`: `[{epoch, baseline, smoothed}]`.
    #[wasm_bindgen(js_name = reportsJson)]
    pub fn reports_json(&self, from_epoch: f64) -> Result<String, JsError> {
        let reports: Vec<serde_json::Value> = self
            .inner
            .reports_from(index(from_epoch, "epoch")?)
            .iter()
            .map(|r| {
                serde_json::json!({
                    "epoch": r.epoch,
                    "baseline": r.models[BASELINE],
                    "smoothed": r.models[SMOOTHED],
                })
            })
            .collect();
        serde_json::to_string(&reports).map_err(json_err)
    }

    #[wasm_bindgen(js_name = lossesGiven)]
    pub fn losses_given(&self, model: &str) -> Result<Float32Array, JsError> {
        let v = self.inner.losses_given(model_index(model)?);
        Ok(Float32Array::from(&v[..]))
    }

    pub fn predictions(&self, model: &str) -> Result<Uint32Array, JsError> {
        let v = self.inner.predictions(model_index(model)?);
        Ok(Uint32Array::from(&v[..]))
    }

    /// Plans a search for mislabeled images: `folds`-fold cross-validation,
    /// `epochs` epochs per fold.
    #[wasm_bindgen(js_name = startFindIssues)]
    pub fn start_find_issues(&mut self, folds: f64, epochs: f64) -> Result<(), JsError> {
        let (folds, epochs) = (index(folds, "folds")?, index(epochs, "epochs")?);
        self.inner.start_find_issues(folds, epochs).map_err(js)
    }

    /// Advances the search; returns progress as JSON
    /// `{fold, folds, epoch, epochs, fraction, done}`.
    #[wasm_bindgen(js_name = findIssuesStep)]
    pub fn find_issues_step(&mut self, steps: f64) -> Result<String, JsError> {
        let p = self
            .inner
            .find_issues_step(index(steps, "steps")?)
            .map_err(js)?;
        serde_json::to_string(&p).map_err(json_err)
    }

    /// The rankings as JSON: `{folds, epochsPerFold, outOfSample, inSample}`,
    /// each ranking `{issues: [{id, given, suggested, selfConfidence,
    /// trulyMislabeled}], thresholds, confidentJoint, quality}`. `filter` is
    /// "prune_by_noise_rate" (default) or "confident_joint".
    #[wasm_bindgen(js_name = findIssuesJson)]
    pub fn find_issues_json(&self, filter: &str) -> Result<String, JsError> {
        let filter = filter.parse().map_err(js)?;
        let report = self.inner.find_issues_report(filter).map_err(js)?;
        serde_json::to_string(&report).map_err(json_err)
    }

    // ---- projects: storage, export and import ----

    /// An empty project of `side`×`side` images, `color` "gray" or "rgb".
    pub fn empty(side: f64, color: &str, settings_json: &str) -> Result<Session, JsError> {
        let color = match color {
            "gray" => ColorMode::Gray,
            "rgb" => ColorMode::Rgb,
            _ => return Err(JsError::new("color must be \"gray\" or \"rgb\"")),
        };
        let settings: Settings = serde_json::from_str(settings_json).map_err(json_err)?;
        let lab = Lab::with_color(index(side, "image size")?, color, settings).map_err(js)?;
        Ok(Session { inner: lab })
    }

    /// Adds an image read back from a project or from storage, with its
    /// given and true class and, from storage, its old id.
    #[wasm_bindgen(js_name = restoreImage)]
    pub fn restore_image(
        &mut self,
        id: Option<f64>,
        file_name: &str,
        bytes: &[u8],
        given: f64,
        truth: Option<f64>,
    ) -> Result<f64, JsError> {
        let id = id.map(|v| index(v, "image id")).transpose()?;
        let truth = truth.map(|t| index(t, "class")).transpose()?;
        let given = index(given, "class")?;
        let id = self
            .inner
            .restore_image(id.map(|v| v as u64), file_name, bytes, given, truth)
            .map_err(js)?;
        Ok(id as f64)
    }

    /// An image's pixels as a PNG (for images that came without a file).
    #[wasm_bindgen(js_name = imagePng)]
    pub fn image_png(&self, id: f64) -> Result<Uint8Array, JsError> {
        let id = index(id, "image id")? as u64;
        let ds = self.inner.dataset();
        let i = ds
            .index_of(id)
            .ok_or_else(|| JsError::new(&format!("image {id} does not exist")))?;
        let png = export::encode_png(ds, i).map_err(js)?;
        Ok(Uint8Array::from(&png[..]))
    }

    /// The project as a zip (see `core::project`). `original(id)` returns an
    /// image's file as dropped (a Uint8Array) or undefined for a PNG of it.
    #[wasm_bindgen(js_name = exportProject)]
    pub fn export_project(&self, original: &js_sys::Function) -> Result<Uint8Array, JsError> {
        let mut failure = None;
        let zip = export::export_project(&self.inner, |id| {
            match original.call1(&JsValue::NULL, &JsValue::from_f64(id as f64)) {
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

/// A project zip read and checked (`core::project::read_project`), handed
/// out one image at a time so the worker can add them in slices.
#[wasm_bindgen]
pub struct ProjectReader {
    project: Project,
}

#[wasm_bindgen]
impl ProjectReader {
    #[wasm_bindgen(constructor)]
    pub fn new(bytes: &[u8]) -> Result<ProjectReader, JsError> {
        Ok(ProjectReader {
            project: read_project(bytes).map_err(js)?,
        })
    }

    /// The manifest (for a plain ImageFolder zip, one made up for it).
    #[wasm_bindgen(js_name = manifestJson)]
    pub fn manifest_json(&self) -> Result<String, JsError> {
        serde_json::to_string(&self.project.manifest).map_err(json_err)
    }

    /// Every image as JSON `[{name, file, given, truth}]`: its file name
    /// without the folder, its path, given and true class index (or null).
    #[wasm_bindgen(js_name = imagesJson)]
    pub fn images_json(&self) -> Result<String, JsError> {
        let list: Vec<serde_json::Value> = self
            .project
            .images
            .iter()
            .map(|img| {
                let name = img.file.rsplit('/').next().unwrap_or(&img.file);
                serde_json::json!({
                    "name": name, "file": img.file, "given": img.given, "truth": img.truth,
                })
            })
            .collect();
        serde_json::to_string(&list).map_err(json_err)
    }

    /// Image `i`'s bytes, handed over once (the reader lets go of them).
    #[wasm_bindgen(js_name = takeBytes)]
    pub fn take_bytes(&mut self, i: u32) -> Result<Uint8Array, JsError> {
        let img = self
            .project
            .images
            .get_mut(i as usize)
            .ok_or_else(|| JsError::new(&format!("no image {i} in the project")))?;
        Ok(Uint8Array::from(&std::mem::take(&mut img.bytes)[..]))
    }
}

// ---------------------------------------------------------------------------
// Benchmark API (used by `bench/`, not by the lab page): thin wrappers over
// `crate::core::bench`, so that the benchmark page trains with exactly the
// kernels of this build.
// ---------------------------------------------------------------------------

use crate::core::bench::{self, GemmBench, Layout, Workload};

fn workload(json: &str) -> Result<Workload, JsError> {
    serde_json::from_str(json).map_err(|e| JsError::new(&format!("workload: {e}")))
}

/// The workload's seeded images, `n`·dim bytes (labels: `benchLabels`).
#[wasm_bindgen(js_name = benchImages)]
pub fn bench_images(workload_json: &str) -> Result<Uint8Array, JsError> {
    let (pixels, _) = bench::synthetic_images(&workload(workload_json)?);
    Ok(Uint8Array::from(&pixels[..]))
}

#[wasm_bindgen(js_name = benchLabels)]
pub fn bench_labels(workload_json: &str) -> Result<Uint32Array, JsError> {
    let (_, labels) = bench::synthetic_images(&workload(workload_json)?);
    Ok(Uint32Array::from(&labels[..]))
}

/// The sample order of one epoch, the same for every contender.
#[wasm_bindgen(js_name = benchOrder)]
pub fn bench_order(n: f64, seed: f64, epoch: f64) -> Result<Uint32Array, JsError> {
    let order = bench::epoch_order(
        index(n, "n")?,
        index(seed, "seed")? as u64,
        index(epoch, "epoch")? as u64,
    );
    Ok(Uint32Array::from(&order[..]))
}

#[wasm_bindgen]
pub struct BenchRun {
    inner: bench::BenchRun,
}

#[wasm_bindgen]
impl BenchRun {
    #[wasm_bindgen(constructor)]
    pub fn new(workload_json: &str, pixels: &[u8], labels: &[u32]) -> Result<BenchRun, JsError> {
        let w = workload(workload_json)?;
        Ok(BenchRun {
            inner: bench::BenchRun::new(&w, pixels, labels).map_err(js)?,
        })
    }

    /// One SGD step on the given samples; their smoothed losses.
    pub fn step(&mut self, batch: &[u32]) -> Result<Float32Array, JsError> {
        let losses = self.inner.step(batch).map_err(js)?;
        Ok(Float32Array::from(losses))
    }

    /// `[plain cross-entropy, accuracy]` over every image.
    pub fn evaluate(&self) -> Vec<f64> {
        let (loss, acc) = self.inner.evaluate();
        vec![loss, acc]
    }
}

/// A matrix product repeated, timed by the caller.
#[wasm_bindgen]
pub struct Gemm {
    inner: GemmBench,
}

#[wasm_bindgen]
impl Gemm {
    /// `m×k · k×n`; `layout` is "nn", "tn" (left transposed) or "nt".
    #[wasm_bindgen(constructor)]
    pub fn new(m: f64, n: f64, k: f64, layout: &str) -> Result<Gemm, JsError> {
        let layout: Layout = layout.parse().map_err(js)?;
        let (m, n, k) = (index(m, "m")?, index(n, "n")?, index(k, "k")?);
        Ok(Gemm {
            inner: GemmBench::new(m, n, k, layout),
        })
    }

    pub fn flops(&self) -> f64 {
        self.inner.flops()
    }

    pub fn run(&mut self, reps: f64) -> Result<f32, JsError> {
        Ok(self.inner.run(index(reps, "reps")?))
    }
}
