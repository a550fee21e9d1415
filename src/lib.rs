//! smoothlab: what mislabeled training data does to a classifier, and what
//! label smoothing does about it. The machine learning lives in the pure-Rust
//! [`core`]; `wasm` is the thin browser boundary over it; `bench` (behind the
//! `bench` feature) is the training benchmark's harness over the core.

pub mod core;

#[cfg(feature = "bench")]
pub mod bench;

pub mod wasm;

pub use crate::core::*;
