//! `Backbone`: EfficientNet-Lite0 built once from its weights file, with
//! every buffer allocated for the chosen input side and reused per image.

use super::arch::{
    blocks, feature_tensors, FEATURES, FEATURES_KIND, HEAD_IN, MAX_SIDE, MIN_SIDE, STEM_CHANNELS,
};
use super::depthwise::Depthwise;
use super::error::{BackboneError, Result};
use super::format::WeightsFile;
use super::head::{top_k, ImagenetHead};
use super::pointwise::Pointwise;
use super::pool::global_average;
use super::preprocess::{preprocess, Tap};
use super::stem::Conv;

#[derive(Debug, Clone)]
struct Block {
    expand: Option<Pointwise>,
    depthwise: Depthwise,
    project: Pointwise,
    residual: bool,
}

/// Scratch space for one forward pass at one input side.
#[derive(Debug, Clone, Default)]
struct Buffers {
    input: Vec<f32>,
    patches: Vec<f32>,
    x: Vec<f32>,
    y: Vec<f32>,
    expanded: Vec<f32>,
    mid: Vec<f32>,
    head: Vec<f32>,
    xs: Vec<Tap>,
    ys: Vec<Tap>,
}

/// The frozen ImageNet feature extractor: RGB image -> 1280 values in [0, 6].
#[derive(Debug, Clone)]
pub struct Backbone {
    stem: Conv,
    blocks: Vec<Block>,
    head: Pointwise,
    imagenet: Option<ImagenetHead>,
    side: usize,
    buf: Buffers,
}

fn check_side(side: usize) -> Result<()> {
    if (MIN_SIDE..=MAX_SIDE).contains(&side) {
        Ok(())
    } else {
        Err(BackboneError::BadSide {
            side,
            min: MIN_SIDE,
            max: MAX_SIDE,
        })
    }
}

impl Backbone {
    /// Builds the network from the bytes of efficientnet-lite0.bin, for
    /// inputs of `side` x `side` pixels (96..=256; 224 is ImageNet's).
    pub fn new(weights: &[u8], side: usize) -> Result<Self> {
        check_side(side)?;
        let file = WeightsFile::parse(weights)?;
        file.expect_kind(FEATURES_KIND)?;
        let mut t = file.into_checked(&feature_tensors())?.into_iter();
        let mut next = || t.next().expect("checked count");
        let stem = Conv::new(3, 2, 3, STEM_CHANNELS, next(), next());
        let blocks = blocks()
            .into_iter()
            .map(|b| {
                let mid = b.mid();
                let expand = (b.expand != 1).then(|| Pointwise::new(b.cin, mid, next(), next()));
                Block {
                    expand,
                    depthwise: Depthwise::new(b.kernel, b.stride, mid, next(), next()),
                    project: Pointwise::new(mid, b.cout, next(), next()),
                    residual: b.residual(),
                }
            })
            .collect();
        let head = Pointwise::new(HEAD_IN, FEATURES, next(), next());
        let mut net = Backbone {
            stem,
            blocks,
            head,
            imagenet: None,
            side,
            buf: Buffers::default(),
        };
        net.allocate();
        Ok(net)
    }

    /// The input side in pixels.
    pub fn side(&self) -> usize {
        self.side
    }

    /// Changes the input side (96..=256), reallocating the buffers.
    pub fn set_side(&mut self, side: usize) -> Result<()> {
        check_side(side)?;
        if side != self.side {
            self.side = side;
            self.allocate();
        }
        Ok(())
    }

    /// Loads the ImageNet classifier (efficientnet-lite0-imagenet-head.bin).
    pub fn load_imagenet_head(&mut self, bytes: &[u8]) -> Result<()> {
        self.imagenet = Some(ImagenetHead::from_bytes(bytes)?);
        Ok(())
    }

    /// Whether `load_imagenet_head` has been called.
    pub fn has_imagenet_head(&self) -> bool {
        self.imagenet.is_some()
    }

    /// Features of an RGB image (3 bytes a pixel, rows top to bottom) of any
    /// size: centre-cropped, resized to the side, normalised, run.
    pub fn embed(&mut self, rgb: &[u8], width: usize, height: usize) -> Result<[f32; FEATURES]> {
        let b = &mut self.buf;
        preprocess(
            rgb,
            width,
            height,
            self.side,
            &mut b.xs,
            &mut b.ys,
            &mut b.input,
        )?;
        Ok(self.run())
    }

    /// Features of an already normalised side x side x 3 input.
    pub fn embed_input(&mut self, input: &[f32]) -> Result<[f32; FEATURES]> {
        let expected = self.side * self.side * 3;
        if input.len() != expected {
            return Err(BackboneError::BadInput {
                side: self.side,
                len: input.len(),
                expected,
            });
        }
        self.buf.input.copy_from_slice(input);
        Ok(self.run())
    }

    /// ImageNet logits of a feature vector (needs the head).
    pub fn logits_of(&self, features: &[f32; FEATURES]) -> Result<Vec<f32>> {
        let head = self.imagenet.as_ref().ok_or(BackboneError::NoHead)?;
        let mut z = vec![0.0; super::arch::CLASSES];
        head.logits(features, &mut z);
        Ok(z)
    }

    /// ImageNet logits of an RGB image (needs the head).
    pub fn logits(&mut self, rgb: &[u8], width: usize, height: usize) -> Result<Vec<f32>> {
        if self.imagenet.is_none() {
            return Err(BackboneError::NoHead);
        }
        let f = self.embed(rgb, width, height)?;
        self.logits_of(&f)
    }

    /// The `k` most likely ImageNet classes of an RGB image as (class, logit).
    pub fn classify(
        &mut self,
        rgb: &[u8],
        width: usize,
        height: usize,
        k: usize,
    ) -> Result<Vec<(usize, f32)>> {
        Ok(top_k(&self.logits(rgb, width, height)?, k))
    }

    fn allocate(&mut self) {
        let side = self.side;
        let (mut h, mut w) = self.stem.out_size(side, side);
        let (mut act, mut expanded, mut mid) = (h * w * STEM_CHANNELS, 0, 0);
        for b in &self.blocks {
            let c = b.depthwise.channels;
            if b.expand.is_some() {
                expanded = expanded.max(h * w * c);
            }
            (h, w) = b.depthwise.out_size(h, w);
            mid = mid.max(h * w * c);
            act = act.max(h * w * b.project.cout);
        }
        self.buf = Buffers {
            input: vec![0.0; side * side * 3],
            patches: vec![0.0; self.stem.patches_len(side, side)],
            x: vec![0.0; act],
            y: vec![0.0; act],
            expanded: vec![0.0; expanded],
            mid: vec![0.0; mid],
            head: vec![0.0; h * w * FEATURES],
            xs: Vec::with_capacity(side),
            ys: Vec::with_capacity(side),
        };
    }

    /// The forward pass on `buf.input`.
    fn run(&mut self) -> [f32; FEATURES] {
        let Backbone {
            stem,
            blocks,
            head,
            side,
            buf: b,
            ..
        } = self;
        let (mut h, mut w) = stem.forward(&b.input, *side, *side, &mut b.patches, &mut b.x);
        for blk in blocks.iter() {
            let src: &[f32] = match &blk.expand {
                Some(e) => {
                    e.forward(&b.x, h * w, &mut b.expanded, None, true);
                    &b.expanded
                }
                None => &b.x,
            };
            let (oh, ow) = blk.depthwise.forward(src, h, w, &mut b.mid);
            let residual = blk.residual.then_some(&b.x[..]);
            blk.project
                .forward(&b.mid, oh * ow, &mut b.y, residual, false);
            std::mem::swap(&mut b.x, &mut b.y);
            (h, w) = (oh, ow);
        }
        head.forward(&b.x, h * w, &mut b.head, None, true);
        let mut out = [0.0; FEATURES];
        global_average(&b.head, h * w, &mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::format::tests::encode;
    use super::*;

    /// A features file whose weights are all zero, so the output is
    /// ReLU6(head bias) whatever the image.
    fn zero_net() -> (Vec<u8>, Vec<f32>) {
        let spec = feature_tensors();
        let head_bias: Vec<f32> = (0..FEATURES).map(|i| (i % 9) as f32 - 1.5).collect();
        let data: Vec<Vec<f32>> = spec
            .iter()
            .map(|(name, shape)| match name.as_str() {
                "head.bias" => head_bias.clone(),
                _ => vec![0.0; shape.iter().product()],
            })
            .collect();
        let tensors: Vec<(&str, &[usize], &[f32])> = spec
            .iter()
            .zip(&data)
            .map(|((n, s), d)| (n.as_str(), &s[..], &d[..]))
            .collect();
        let want = head_bias.iter().map(|v| v.clamp(0.0, 6.0)).collect();
        (encode(FEATURES_KIND, &tensors), want)
    }

    #[test]
    fn runs_end_to_end_at_every_kind_of_side() {
        let (bytes, want) = zero_net();
        let mut net = Backbone::new(&bytes, 96).unwrap();
        let rgb = vec![200u8; 50 * 30 * 3];
        for side in [96, 97, 128, 131, 224, 256] {
            net.set_side(side).unwrap();
            assert_eq!(net.embed(&rgb, 50, 30).unwrap().to_vec(), want);
            assert_eq!(
                net.embed(&rgb, 50, 30).unwrap().to_vec(),
                want,
                "reused buffers"
            );
        }
        let input = vec![0.5; 256 * 256 * 3];
        assert_eq!(net.embed_input(&input).unwrap().to_vec(), want);
    }

    #[test]
    fn rejects_bad_sides_images_and_missing_heads() {
        let (bytes, _) = zero_net();
        for side in [0, 95, 257, 1024] {
            assert!(matches!(
                Backbone::new(&bytes, side),
                Err(BackboneError::BadSide { .. })
            ));
        }
        let mut net = Backbone::new(&bytes, 128).unwrap();
        assert!(matches!(
            net.set_side(300),
            Err(BackboneError::BadSide { side: 300, .. })
        ));
        assert_eq!(net.side(), 128);
        assert!(matches!(
            net.embed(&[0; 10], 2, 2),
            Err(BackboneError::BadImage { .. })
        ));
        assert!(matches!(
            net.embed_input(&[0.0; 10]),
            Err(BackboneError::BadInput { .. })
        ));
        assert!(!net.has_imagenet_head());
        assert_eq!(net.classify(&[0; 12], 2, 2, 5), Err(BackboneError::NoHead));
        let head = encode(FEATURES_KIND, &[]);
        assert!(matches!(
            net.load_imagenet_head(&head),
            Err(BackboneError::WrongKind { .. })
        ));
    }
}
