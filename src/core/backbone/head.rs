//! The optional ImageNet classifier (1280 features -> 1000 logits), its
//! class names and top-k, for tests, demos and the command line.

use super::arch::{head_tensors, CLASSES, FEATURES, HEAD_KIND};
use super::error::{BackboneError, Result};
use super::format::WeightsFile;
use super::pointwise::gemm_acc;

/// The ImageNet-1k linear classifier of EfficientNet-Lite0.
#[derive(Debug, Clone)]
pub struct ImagenetHead {
    /// (1280, 1000), row-major.
    weight: Vec<f32>,
    bias: Vec<f32>,
}

impl ImagenetHead {
    /// Reads efficientnet-lite0-imagenet-head.bin.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let file = WeightsFile::parse(bytes)?;
        file.expect_kind(HEAD_KIND)?;
        let mut t = file.into_checked(&head_tensors())?.into_iter();
        let (weight, bias) = (t.next().unwrap(), t.next().unwrap());
        Ok(ImagenetHead { weight, bias })
    }

    /// The 1000 logits of a feature vector.
    pub fn logits(&self, features: &[f32], out: &mut [f32]) {
        assert_eq!(features.len(), FEATURES);
        let out = &mut out[..CLASSES];
        out.copy_from_slice(&self.bias);
        gemm_acc(1, FEATURES, CLASSES, features, &self.weight, out);
    }
}

/// The `k` largest logits as (class, logit), largest first (ties: lower class first).
pub fn top_k(logits: &[f32], k: usize) -> Vec<(usize, f32)> {
    let mut order: Vec<(usize, f32)> = logits.iter().copied().enumerate().collect();
    order.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    order.truncate(k);
    order
}

/// The class names of data/backbone/imagenet-classes.txt, one a line, checked to be 1000.
pub fn class_names(text: &str) -> Result<Vec<&str>> {
    let names: Vec<&str> = text.lines().collect();
    if names.len() != CLASSES {
        return Err(BackboneError::ClassNames { found: names.len() });
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::super::format::tests::encode;
    use super::*;

    #[test]
    fn top_k_orders_by_logit() {
        assert_eq!(
            top_k(&[0.5, 2.0, -1.0, 2.0], 3),
            vec![(1, 2.0), (3, 2.0), (0, 0.5)]
        );
        assert_eq!(top_k(&[1.0], 5).len(), 1);
    }

    #[test]
    fn logits_are_features_times_weight_plus_bias() {
        let mut weight = vec![0.0; FEATURES * CLASSES];
        weight[3 * CLASSES + 7] = 2.0; // feature 3 -> class 7
        let bias: Vec<f32> = (0..CLASSES).map(|c| c as f32 * 1e-3).collect();
        let bytes = encode(
            HEAD_KIND,
            &[
                ("classifier.weight", &[FEATURES, CLASSES], &weight),
                ("classifier.bias", &[CLASSES], &bias),
            ],
        );
        let head = ImagenetHead::from_bytes(&bytes).unwrap();
        let mut f = vec![0.0; FEATURES];
        f[3] = 5.0;
        let mut z = vec![0.0; CLASSES];
        head.logits(&f, &mut z);
        let best = top_k(&z, 1)[0];
        assert_eq!(best.0, 7);
        assert!((best.1 - (10.0 + bias[7])).abs() < 1e-6);
        assert_eq!(z[999], bias[999]);
    }

    #[test]
    fn the_features_file_is_not_a_head() {
        let bytes = encode("efficientnet-lite0/features", &[("x", &[1], &[0.0])]);
        assert!(matches!(
            ImagenetHead::from_bytes(&bytes),
            Err(BackboneError::WrongKind { .. })
        ));
    }

    #[test]
    fn class_names_need_a_thousand_lines() {
        assert_eq!(
            class_names("a\nb\n"),
            Err(BackboneError::ClassNames { found: 2 })
        );
        let text = "x\n".repeat(1000);
        assert_eq!(class_names(&text).unwrap().len(), 1000);
    }
}
