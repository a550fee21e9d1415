//! smoothlab: what mislabeled training data does to a classifier, and what
//! label smoothing does about it. The machine learning lives in the pure-Rust
//! [`core`]; `wasm` is the thin browser boundary over it.

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use crate::core::*;
