//! The built-in sample: the 1,797 8×8 handwritten digits that scikit-learn's
//! `load_digits` returns (the test set of the UCI "Optical Recognition of
//! Handwritten Digits" data, Alpaydin & Kaynak 1998; CC BY 4.0).
//!
//! `data/digits.bin` is made by `data/make_digits.py` (see `data/README.md`):
//! 1,797 label bytes (0..9), then 1,797 × 64 pixel bytes (row by row, values
//! 0..16), no header.

use crate::core::data::Dataset;

/// Number of images in the sample.
pub const DIGITS_COUNT: usize = 1797;

const PIXELS: usize = 64;
const MAX_VALUE: u16 = 16;
const DIGITS_BIN: &[u8] = include_bytes!("../../../data/digits.bin");

const _: () = assert!(DIGITS_BIN.len() == DIGITS_COUNT * (1 + PIXELS));

/// The digits as a gray 8×8 dataset with classes "0".."9". Each image's
/// given and true label are its digit; values 0..16 are scaled to 0..255.
pub fn load_digits() -> Dataset {
    let classes = (0..10).map(|d| d.to_string()).collect();
    let mut ds = Dataset::new(8, 1, classes).expect("8×8 gray with ten classes is valid");
    let (labels, pixels) = DIGITS_BIN.split_at(DIGITS_COUNT);
    let mut scaled = [0u8; PIXELS];
    for (i, (&label, image)) in labels.iter().zip(pixels.chunks_exact(PIXELS)).enumerate() {
        for (out, &v) in scaled.iter_mut().zip(image) {
            *out = scale(v);
        }
        let label = label as usize;
        ds.push_sample(&format!("digit_{i:04}"), &scaled, label, Some(label))
            .expect("the embedded digits are valid");
    }
    ds.resplit();
    ds
}

/// round(v · 255 / 16), with values above 16 clamped.
fn scale(v: u8) -> u8 {
    let v = (v as u16).min(MAX_VALUE);
    ((v * 255 + MAX_VALUE / 2) / MAX_VALUE) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn has_every_digit_in_sklearn_proportions() {
        let ds = load_digits();
        assert_eq!(ds.len(), DIGITS_COUNT);
        assert_eq!((ds.side(), ds.channels(), ds.num_classes()), (8, 1, 10));
        assert_eq!(ds.classes()[3], "3");
        assert_eq!(
            ds.class_counts(),
            vec![178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
        );
        assert_eq!(ds.mislabeled_count(), 0);
        assert!(ds.samples().iter().all(|s| s.truth == Some(s.given)));
        assert!(ds.check_trainable().is_ok());
        let held = ds.holdout_indices().len();
        assert!((355..=365).contains(&held), "held out {held}");
    }

    #[test]
    fn first_image_matches_load_digits() {
        // load_digits().data[0] in scikit-learn: a zero.
        #[rustfmt::skip]
        let first: [u8; 64] = [
            0, 0, 5, 13, 9, 1, 0, 0,
            0, 0, 13, 15, 10, 15, 5, 0,
            0, 3, 15, 2, 0, 11, 8, 0,
            0, 4, 12, 0, 0, 8, 8, 0,
            0, 5, 8, 0, 0, 9, 8, 0,
            0, 4, 11, 0, 1, 12, 7, 0,
            0, 2, 14, 5, 10, 12, 0, 0,
            0, 0, 6, 13, 10, 0, 0, 0,
        ];
        let ds = load_digits();
        assert_eq!(ds.samples()[0].given, 0);
        assert_eq!(ds.samples()[1].given, 1);
        let expected: Vec<u8> = first.iter().map(|&v| scale(v)).collect();
        assert_eq!(ds.pixels(0), &expected[..]);
        assert_eq!(&ds.pixels(0)[..4], &[0, 0, 80, 207]);
    }

    #[test]
    fn scaling_rounds_to_nearest() {
        assert_eq!(scale(0), 0);
        assert_eq!(scale(1), 16); // 15.94
        assert_eq!(scale(8), 128); // 127.5 rounds up
        assert_eq!(scale(16), 255);
        assert_eq!(scale(200), 255);
    }
}
