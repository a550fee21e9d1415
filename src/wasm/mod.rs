//! The browser boundary: thin wrappers over the core that translate types
//! and errors and hold no logic of their own. Large data stays in Rust;
//! calls return small copies (a JSON view, a typed array). The workers are
//! its only callers.
//!
//! `args` is plain Rust, so that the boundary's own checks are tested
//! natively too; the rest needs wasm-bindgen and builds for wasm32 only.

pub mod args;

#[cfg(target_arch = "wasm32")]
mod backbone;
#[cfg(all(target_arch = "wasm32", feature = "bench"))]
mod bench;
#[cfg(target_arch = "wasm32")]
mod fold;
#[cfg(target_arch = "wasm32")]
mod lab;
#[cfg(target_arch = "wasm32")]
mod lent;
#[cfg(target_arch = "wasm32")]
mod project;
#[cfg(target_arch = "wasm32")]
mod samples;
#[cfg(target_arch = "wasm32")]
mod sweep;

#[cfg(target_arch = "wasm32")]
pub use backbone::BackboneHandle;
#[cfg(all(target_arch = "wasm32", feature = "bench"))]
pub use bench::{BenchRun, Gemm};
#[cfg(target_arch = "wasm32")]
pub use fold::FoldRunner;
#[cfg(target_arch = "wasm32")]
pub use lab::LabHandle;
#[cfg(target_arch = "wasm32")]
pub use lent::LentModelHandle;
#[cfg(target_arch = "wasm32")]
pub use project::ProjectReader;
#[cfg(target_arch = "wasm32")]
pub use sweep::SweepRunner;

#[cfg(target_arch = "wasm32")]
mod js {
    use serde::Serialize;
    use wasm_bindgen::prelude::*;

    use crate::core::LabError;

    #[wasm_bindgen(start)]
    pub fn start() {
        console_error_panic_hook::set_once();
    }

    /// A core error as a JS exception with the core's message.
    pub fn js(e: LabError) -> JsError {
        JsError::new(&e.to_string())
    }

    /// A boundary check's message as a JS exception.
    pub fn arg(message: String) -> JsError {
        JsError::new(&message)
    }

    /// Every view crosses the boundary the same way: as JSON text.
    pub fn json(view: &impl Serialize) -> Result<String, JsError> {
        serde_json::to_string(view).map_err(|e| JsError::new(&format!("view: {e}")))
    }

    /// Parses a JSON argument, naming it in the message.
    pub fn parse<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T, JsError> {
        serde_json::from_str(text).map_err(|e| JsError::new(&format!("{what}: {e}")))
    }

    /// The ranges of every setting (`core::limits`), for the page.
    #[wasm_bindgen(js_name = limitsJson)]
    pub fn limits_json() -> Result<String, JsError> {
        json(&crate::core::limits::LIMITS)
    }
}
