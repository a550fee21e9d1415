//! The CIFAR-10N samples for JavaScript: a `labels.csv` read under one
//! label source (`core::data::read_human_labels`), as JSON
//! `{classes, photos: [{file, given, truth}], leftOut}`. The worker fetches
//! the photos it names and adds them with their given and true labels.

use wasm_bindgen::prelude::*;

use super::js::{js, json};
use crate::core::data::{read_human_labels, LabelSource};

/// `source`: true, aggre, worse, random1, random2 or random3.
#[wasm_bindgen(js_name = humanLabelsJson)]
pub fn human_labels_json(csv: &str, source: &str) -> Result<String, JsError> {
    let source: LabelSource = source.parse().map_err(js)?;
    json(&read_human_labels(csv, source).map_err(js)?)
}
