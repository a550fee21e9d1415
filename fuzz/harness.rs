//! The calls the fuzz targets make. tests/fuzz_corpus.rs includes this same
//! file, so that the committed corpora run through exactly this code in
//! `cargo test`. Each target uses one of the two functions.
#![allow(dead_code)]

use smoothlab::core::data::Dataset;
use smoothlab::core::error::{LabError, Result};
use smoothlab::core::image::{decode_image_with, probe_image, ColorMode, DecodeLimits};
use smoothlab::core::project::{project_dataset, read_project};

/// Decodes one image file. The whole input is the file, so the corpus holds
/// plain image files; the side, colour mode and file name are taken from the
/// input's length, so that every path is reached without a header byte.
pub fn ingest(data: &[u8]) -> Result<Vec<u8>> {
    // Tighter than the defaults so that the fuzzer spends its time in the
    // parsers, not filling half-gigabyte pictures; the checks are the same.
    let limits = DecodeLimits {
        max_width: 2048,
        max_height: 2048,
        max_alloc: 32 << 20,
    };
    let side = [1, 8, 28, 64][data.len() % 4];
    let color = if (data.len() / 4).is_multiple_of(2) {
        ColorMode::Gray
    } else {
        ColorMode::Rgb
    };
    // The name only matters when the content matches no known format.
    let name = ["input", "a.png", "a.heic", "a.tif"][data.len() / 8 % 4];
    // The header probe (used before the browser decodes a file) must never
    // refuse what decodes: it checks against the default, looser limits.
    let probed = probe_image(name, data);
    let px = decode_image_with(name, data, side, color, &limits)?;
    assert_eq!(px.len(), (side * side) as usize * color.channels());
    assert!(
        probed.is_ok(),
        "decoded but the probe refused it: {probed:?}"
    );
    Ok(px)
}

/// Reads a project zip and, when it reads, turns it into a dataset, which
/// decodes every image in it (an image that does not decode is a problem
/// reported beside the dataset, not an error).
pub fn project(data: &[u8]) -> Result<(Dataset, Vec<LabError>)> {
    let project = read_project(data)?;
    let (dataset, problems) = project_dataset(&project, 8, ColorMode::Gray)?;
    assert_eq!(dataset.len() + problems.len(), project.images.len());
    Ok((dataset, problems))
}
