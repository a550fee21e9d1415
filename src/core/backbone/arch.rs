//! The EfficientNet-Lite0 architecture and the tensors its weights file holds.

/// Length of the feature vector: the head's channels after global pooling.
pub const FEATURES: usize = 1280;
/// ImageNet-1k classes of the optional head.
pub const CLASSES: usize = 1000;
/// Smallest and largest input side accepted.
pub const MIN_SIDE: usize = 96;
pub const MAX_SIDE: usize = 256;
/// Output channels of the stem (3x3 stride 2 convolution of the RGB input).
pub const STEM_CHANNELS: usize = 32;
/// Channels entering the 1x1 head convolution.
pub const HEAD_IN: usize = 320;

/// The `kind` string of the features file and of the ImageNet head file.
pub const FEATURES_KIND: &str = "efficientnet-lite0/features";
pub const HEAD_KIND: &str = "efficientnet-lite0/imagenet-head";

/// One MBConv block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockSpec {
    pub kernel: usize,
    pub stride: usize,
    /// Expansion ratio; 1 means no 1x1 expansion convolution.
    pub expand: usize,
    pub cin: usize,
    pub cout: usize,
}

impl BlockSpec {
    /// Channels of the depthwise convolution.
    pub fn mid(&self) -> usize {
        self.cin * self.expand
    }

    /// Whether the block adds its input to its output.
    pub fn residual(&self) -> bool {
        self.stride == 1 && self.cin == self.cout
    }
}

/// (repeats, kernel, stride, expansion, in, out) of each stage: the
/// EfficientNet-B0 table; Lite0 has no squeeze-excite and uses ReLU6.
const STAGES: [(usize, usize, usize, usize, usize, usize); 7] = [
    (1, 3, 1, 1, 32, 16),
    (2, 3, 2, 6, 16, 24),
    (2, 5, 2, 6, 24, 40),
    (3, 3, 2, 6, 40, 80),
    (3, 5, 1, 6, 80, 112),
    (4, 5, 2, 6, 112, 192),
    (1, 3, 1, 6, 192, 320),
];

/// The 16 blocks in order; a stage's stride applies to its first block.
pub fn blocks() -> Vec<BlockSpec> {
    let mut out = Vec::with_capacity(16);
    for (repeats, kernel, stride, expand, cin, cout) in STAGES {
        for r in 0..repeats {
            out.push(BlockSpec {
                kernel,
                stride: if r == 0 { stride } else { 1 },
                expand,
                cin: if r == 0 { cin } else { cout },
                cout,
            });
        }
    }
    out
}

/// Names and shapes of the features file's tensors, in file order. Layouts:
/// stem (kh, kw, in, out); 1x1 convolutions (in, out); depthwise (kh, kw, c).
pub fn feature_tensors() -> Vec<(String, Vec<usize>)> {
    let mut t = vec![
        ("stem.weight".to_string(), vec![3, 3, 3, STEM_CHANNELS]),
        ("stem.bias".to_string(), vec![STEM_CHANNELS]),
    ];
    for (i, b) in blocks().iter().enumerate() {
        let mid = b.mid();
        if b.expand != 1 {
            t.push((format!("blocks.{i}.expand.weight"), vec![b.cin, mid]));
            t.push((format!("blocks.{i}.expand.bias"), vec![mid]));
        }
        t.push((
            format!("blocks.{i}.depthwise.weight"),
            vec![b.kernel, b.kernel, mid],
        ));
        t.push((format!("blocks.{i}.depthwise.bias"), vec![mid]));
        t.push((format!("blocks.{i}.project.weight"), vec![mid, b.cout]));
        t.push((format!("blocks.{i}.project.bias"), vec![b.cout]));
    }
    t.push(("head.weight".to_string(), vec![HEAD_IN, FEATURES]));
    t.push(("head.bias".to_string(), vec![FEATURES]));
    t
}

/// Names and shapes of the ImageNet head file's tensors.
pub fn head_tensors() -> Vec<(String, Vec<usize>)> {
    vec![
        ("classifier.weight".to_string(), vec![FEATURES, CLASSES]),
        ("classifier.bias".to_string(), vec![CLASSES]),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_the_known_sizes() {
        let b = blocks();
        assert_eq!(b.len(), 16);
        assert_eq!(b[0].cin, STEM_CHANNELS);
        assert_eq!(b[15].cout, HEAD_IN);
        assert_eq!(b.iter().filter(|b| b.residual()).count(), 9);
        assert_eq!(b.iter().map(|b| b.stride).product::<usize>(), 16);
        let t = feature_tensors();
        assert_eq!(t.len(), 98);
        let values: usize = t.iter().map(|(_, s)| s.iter().product::<usize>()).sum();
        // 3,371,008 parameters less the folded BatchNorms' 21,008 scales.
        assert_eq!(values, 3_350_000);
    }
}
