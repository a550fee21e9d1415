//! The benchmark API (`make bench`, not the lab page; built only with the
//! `bench` feature): thin wrappers over `crate::bench`, so that the
//! benchmark page trains with exactly the kernels of this build.

use js_sys::{Float32Array, Uint32Array, Uint8Array};
use wasm_bindgen::prelude::*;

use super::args::index;
use super::js::{arg, js};
use crate::bench::{self, GemmBench, Layout, Workload};

fn workload(json: &str) -> Result<Workload, JsError> {
    super::js::parse(json, "workload")
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
        index(n, "n").map_err(arg)?,
        index(seed, "seed").map_err(arg)? as u64,
        index(epoch, "epoch").map_err(arg)? as u64,
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
        let (m, n, k) = (
            index(m, "m").map_err(arg)?,
            index(n, "n").map_err(arg)?,
            index(k, "k").map_err(arg)?,
        );
        Ok(Gemm {
            inner: GemmBench::new(m, n, k, layout),
        })
    }

    pub fn flops(&self) -> f64 {
        self.inner.flops()
    }

    pub fn run(&mut self, reps: f64) -> Result<f32, JsError> {
        Ok(self.inner.run(index(reps, "reps").map_err(arg)?))
    }
}
