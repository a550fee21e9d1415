//! `Backbone` for JavaScript: the frozen EfficientNet-Lite0 of
//! `core::backbone`, built once from its weights file, then one image at a
//! time to its 1280 features (a `Float32Array`).

use js_sys::Float32Array;
use wasm_bindgen::prelude::*;

use super::args::index;
use super::js::{arg, js};
use crate::core::backbone::{embed_file, Backbone};
use crate::core::LabError;

#[wasm_bindgen(js_name = Backbone)]
pub struct BackboneHandle {
    inner: Backbone,
}

#[wasm_bindgen(js_class = Backbone)]
impl BackboneHandle {
    /// `weights`: the bytes of efficientnet-lite0.bin; `side`: the input
    /// side in pixels (96 to 256).
    #[wasm_bindgen(constructor)]
    pub fn new(weights: &[u8], side: f64) -> Result<BackboneHandle, JsError> {
        let side = index(side, "backbone input side").map_err(arg)?;
        let inner = Backbone::new(weights, side).map_err(|e| js(LabError::from(e)))?;
        Ok(BackboneHandle { inner })
    }

    pub fn side(&self) -> u32 {
        self.inner.side() as u32
    }

    /// The features of an image file, decoded and centre-cropped by the
    /// lab's own decoder; the error message starts with the file name.
    #[wasm_bindgen(js_name = embedFile)]
    pub fn embed_file(&mut self, file_name: &str, bytes: &[u8]) -> Result<Float32Array, JsError> {
        let features = embed_file(&mut self.inner, file_name, bytes).map_err(js)?;
        Ok(Float32Array::from(&features[..]))
    }

    /// The features of `size`×`size` RGBA pixels (an image without a file).
    #[wasm_bindgen(js_name = embedRgba)]
    pub fn embed_rgba(&mut self, rgba: &[u8], size: f64) -> Result<Float32Array, JsError> {
        let size = index(size, "image size").map_err(arg)?;
        if rgba.len() != size * size * 4 {
            return Err(JsError::new(&format!(
                "expected {size}×{size} RGBA pixels ({} bytes), got {}",
                size * size * 4,
                rgba.len()
            )));
        }
        let rgb: Vec<u8> = rgba
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect();
        let features = self
            .inner
            .embed(&rgb, size, size)
            .map_err(|e| js(LabError::from(e)))?;
        Ok(Float32Array::from(&features[..]))
    }
}
