//! The CIFAR-10N samples shipped in `data/cifar10n/` (photos with the labels
//! people gave them), read with one label source as the given labels and the
//! CIFAR-10 labels as the truth. The folder may be deleted (its labels are
//! for non-commercial use only); the command then says so.

use std::collections::HashMap;
use std::path::PathBuf;

use smoothlab::core::data::{read_human_labels, LabelSource};
use smoothlab::core::image::{decode_image, ColorMode};
use smoothlab::{Dataset, LabError};

use super::data::io_err;

/// The sample names `--data` takes.
pub const SAMPLES: [&str; 2] = ["cifar10n-catdog", "cifar10n-small"];

/// `data/cifar10n/<name>` of this copy, or of `SMOOTHLAB_SAMPLES` when set
/// (the samples kept elsewhere).
fn folder(name: &str) -> PathBuf {
    let root = std::env::var_os("SMOOTHLAB_SAMPLES").map_or_else(
        || PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/data/cifar10n")),
        PathBuf::from,
    );
    root.join(name)
}

/// The sample's dataset and each photo's original file by name (for the
/// backbone), with a line saying what was left out.
pub fn load_sample(
    name: &str,
    source: LabelSource,
    side: u32,
    color: ColorMode,
) -> Result<(Dataset, HashMap<String, Vec<u8>>), LabError> {
    let dir = folder(name);
    let csv_path = dir.join("labels.csv");
    if !csv_path.exists() {
        return Err(LabError::Dataset(format!(
            "the {name} sample is not in this copy of smoothlab ({} is missing); \
             its human labels are for non-commercial use and may have been left out",
            csv_path.display()
        )));
    }
    let csv = std::fs::read_to_string(&csv_path).map_err(|e| io_err(&csv_path, e))?;
    let labels = read_human_labels(&csv, source)?;
    if !labels.left_out.is_empty() {
        eprintln!(
            "{} photos left out: their {} label names a class outside {}",
            labels.left_out.len(),
            source.column(),
            labels.classes.join(", ")
        );
    }
    let mut ds = Dataset::new(side as usize, color.channels(), labels.classes.clone())?;
    let mut originals = HashMap::new();
    for photo in &labels.photos {
        let path = dir.join("images").join(&photo.file);
        let bytes = std::fs::read(&path).map_err(|e| io_err(&path, e))?;
        let pixels = decode_image(&photo.file, &bytes, side, color)?;
        ds.add_sample(&photo.file, &pixels, photo.given, Some(photo.truth))?;
        originals.insert(photo.file.clone(), bytes);
    }
    Ok((ds, originals))
}
