//! A dataset's images through the backbone: each image's features from its
//! original file (centre crop at the backbone's input side, not the small
//! picture the lab keeps for thumbnails), or from its stored pixels when it
//! came without a file (the digits); then the models see the features.

use super::arch::FEATURES;
use super::model::Backbone;
use crate::core::data::Dataset;
use crate::core::error::{LabError, Result};
use crate::core::image::{decode_image, ColorMode};

/// Features of one image file, decoded and centre-cropped to the backbone's
/// input side by the lab's own decoder (the same limits and messages).
pub fn embed_file(
    backbone: &mut Backbone,
    file_name: &str,
    bytes: &[u8],
) -> Result<[f32; FEATURES]> {
    let side = backbone.side();
    let rgb = decode_image(file_name, bytes, side as u32, ColorMode::Rgb)?;
    Ok(backbone.embed(&rgb, side, side)?)
}

/// Features of image `index` from the pixels the dataset holds (gray is
/// repeated into R, G and B; the backbone upsamples).
pub fn embed_pixels(
    backbone: &mut Backbone,
    ds: &Dataset,
    index: usize,
) -> Result<[f32; FEATURES]> {
    let side = ds.side();
    let px = ds.pixels(index);
    let rgb: Vec<u8> = match ds.color() {
        ColorMode::Rgb => px.to_vec(),
        ColorMode::Gray => px.iter().flat_map(|&g| [g, g, g]).collect(),
    };
    Ok(backbone.embed(&rgb, side, side)?)
}

/// Embeds every image of `ds` and makes the models see the features.
/// `file_of(index)` gives an image's original file, or None to embed its
/// pixels; `progress(done, total)` is called after each image.
pub fn embed_dataset(
    ds: &mut Dataset,
    backbone: &mut Backbone,
    mut file_of: impl FnMut(usize) -> Option<Vec<u8>>,
    mut progress: impl FnMut(usize, usize),
) -> Result<()> {
    let n = ds.len();
    let mut values = Vec::with_capacity(n * FEATURES);
    for i in 0..n {
        let features = match file_of(i) {
            Some(bytes) => {
                let name = ds.samples()[i].name.clone();
                embed_file(backbone, &name, &bytes).map_err(|e| match e {
                    LabError::BadImage { .. } => e,
                    other => LabError::bad_image(&name, other.to_string()),
                })?
            }
            None => embed_pixels(backbone, ds, i)?,
        };
        values.extend_from_slice(&features);
        progress(i + 1, n);
    }
    ds.set_features(FEATURES, &values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::data::load_digits;

    fn backbone() -> Backbone {
        let weights = std::fs::read("data/backbone/efficientnet-lite0.bin").unwrap();
        Backbone::new(&weights, 96).unwrap()
    }

    #[test]
    fn a_file_and_its_decoded_pixels_give_the_same_features() {
        let mut net = backbone();
        let png = std::fs::read("tests/fixtures/folders/cats/cat_0.png").unwrap();
        let from_file = embed_file(&mut net, "cat_0.png", &png).unwrap();
        let rgb = decode_image("cat_0.png", &png, 96, ColorMode::Rgb).unwrap();
        assert_eq!(from_file, net.embed(&rgb, 96, 96).unwrap());
        assert!(from_file.iter().all(|v| (0.0..=6.0).contains(v)));
        let bad = embed_file(&mut net, "notes.png", b"hello").unwrap_err();
        assert!(bad.to_string().starts_with("notes.png: "), "{bad}");
    }

    #[test]
    fn a_dataset_is_embedded_from_files_or_pixels() {
        let mut net = backbone();
        let mut ds = load_digits();
        let keep: Vec<usize> = (0..ds.len()).skip(3).collect();
        for i in keep.into_iter().rev() {
            ds.remove_sample(i).unwrap();
        }
        let mut seen = Vec::new();
        embed_dataset(
            &mut ds,
            &mut net,
            |_| None,
            |done, total| seen.push((done, total)),
        )
        .unwrap();
        assert_eq!(seen, [(1, 3), (2, 3), (3, 3)]);
        assert_eq!(ds.dim(), FEATURES);
        let first = ds.batch(&[0]);
        assert_eq!(
            first.row(0).to_vec(),
            embed_pixels(&mut net, &ds, 0).unwrap().to_vec()
        );
    }
}
