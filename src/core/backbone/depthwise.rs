//! Depthwise k x k convolution (k = 3 or 5, stride 1 or 2) with SAME
//! padding, bias and ReLU6, over channels-last (HWC) data.
//!
//! For each output pixel the valid window is worked out once; then the
//! channels go in blocks of `LANES`, each block's sums kept in a fixed-size
//! array across all the window's taps, so the inner loop is `LANES`
//! independent multiply-adds on contiguous memory that the compiler turns
//! into SIMD (SSE on x86-64, SIMD128 on wasm).

use super::padding::same;

const LANES: usize = 16;

/// A depthwise convolution.
#[derive(Debug, Clone)]
pub struct Depthwise {
    pub kernel: usize,
    pub stride: usize,
    pub channels: usize,
    /// (kh, kw, channels), row-major.
    pub weight: Vec<f32>,
    pub bias: Vec<f32>,
}

/// The part of a k x k window that falls inside the input, along one axis.
#[derive(Clone, Copy)]
struct Span {
    /// Input position of kernel tap 0 (may be negative).
    origin: isize,
    first: usize,
    end: usize,
}

fn span(o: usize, stride: usize, before: usize, kernel: usize, len: usize) -> Span {
    let origin = (o * stride) as isize - before as isize;
    let first = (-origin).max(0) as usize;
    let end = (len as isize - origin).clamp(0, kernel as isize) as usize;
    Span { origin, first, end }
}

impl Depthwise {
    pub fn new(
        kernel: usize,
        stride: usize,
        channels: usize,
        weight: Vec<f32>,
        bias: Vec<f32>,
    ) -> Self {
        assert_eq!(weight.len(), kernel * kernel * channels);
        assert_eq!(bias.len(), channels);
        Depthwise {
            kernel,
            stride,
            channels,
            weight,
            bias,
        }
    }

    /// Output height and width for an `h` x `w` input.
    pub fn out_size(&self, h: usize, w: usize) -> (usize, usize) {
        (
            same(h, self.kernel, self.stride).out,
            same(w, self.kernel, self.stride).out,
        )
    }

    /// `input` (h x w x c) -> `out` (oh x ow x c), ReLU6 applied; returns (oh, ow).
    pub fn forward(&self, input: &[f32], h: usize, w: usize, out: &mut [f32]) -> (usize, usize) {
        let (k, s, c) = (self.kernel, self.stride, self.channels);
        let (py, px) = (same(h, k, s), same(w, k, s));
        let (oh, ow) = (py.out, px.out);
        let input = &input[..h * w * c];
        let out = &mut out[..oh * ow * c];
        let blocks = c / LANES * LANES;
        for oy in 0..oh {
            let sy = span(oy, s, py.before, k, h);
            for ox in 0..ow {
                let sx = span(ox, s, px.before, k, w);
                let dst = &mut out[(oy * ow + ox) * c..][..c];
                for c0 in (0..blocks).step_by(LANES) {
                    let mut acc: [f32; LANES] = self.bias[c0..c0 + LANES].try_into().unwrap();
                    for ky in sy.first..sy.end {
                        let iy = (sy.origin + ky as isize) as usize;
                        for kx in sx.first..sx.end {
                            let ix = (sx.origin + kx as isize) as usize;
                            let x: &[f32; LANES] =
                                input[(iy * w + ix) * c + c0..][..LANES].try_into().unwrap();
                            let wt: &[f32; LANES] = self.weight[(ky * k + kx) * c + c0..][..LANES]
                                .try_into()
                                .unwrap();
                            for l in 0..LANES {
                                acc[l] += x[l] * wt[l];
                            }
                        }
                    }
                    for (d, a) in dst[c0..c0 + LANES].iter_mut().zip(acc) {
                        *d = a.clamp(0.0, 6.0);
                    }
                }
                for ch in blocks..c {
                    let mut acc = self.bias[ch];
                    for ky in sy.first..sy.end {
                        let iy = (sy.origin + ky as isize) as usize;
                        for kx in sx.first..sx.end {
                            let ix = (sx.origin + kx as isize) as usize;
                            acc +=
                                input[(iy * w + ix) * c + ch] * self.weight[(ky * k + kx) * c + ch];
                        }
                    }
                    dst[ch] = acc.clamp(0.0, 6.0);
                }
            }
        }
        (oh, ow)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Seeded values in [-1, 1).
    fn values(n: usize, seed: u32) -> Vec<f32> {
        let mut rng = crate::core::rng::Rng::new(seed as u64);
        (0..n).map(|_| rng.uniform() as f32 * 2.0 - 1.0).collect()
    }

    /// Per-channel direct convolution on an explicitly zero-padded copy, f64.
    fn naive(d: &Depthwise, x: &[f32], h: usize, w: usize) -> Vec<f32> {
        let (k, s, c) = (d.kernel, d.stride, d.channels);
        let (py, px) = (same(h, k, s), same(w, k, s));
        let (hp, wp) = (h + py.before + py.after, w + px.before + px.after);
        let mut padded = vec![0.0f64; hp * wp * c];
        for y in 0..h {
            for xx in 0..w {
                for ch in 0..c {
                    padded[((y + py.before) * wp + xx + px.before) * c + ch] =
                        x[(y * w + xx) * c + ch] as f64;
                }
            }
        }
        let mut out = vec![0.0; py.out * px.out * c];
        for oy in 0..py.out {
            for ox in 0..px.out {
                for ch in 0..c {
                    let mut acc = d.bias[ch] as f64;
                    for ky in 0..k {
                        for kx in 0..k {
                            let v = padded[((oy * s + ky) * wp + ox * s + kx) * c + ch];
                            acc += v * d.weight[(ky * k + kx) * c + ch] as f64;
                        }
                    }
                    out[(oy * px.out + ox) * c + ch] = acc.clamp(0.0, 6.0) as f32;
                }
            }
        }
        out
    }

    #[test]
    fn matches_a_naive_padded_convolution() {
        let sizes = [(8, 8), (7, 7), (9, 6), (1, 1), (2, 3), (16, 5)];
        for k in [3, 5] {
            for s in [1, 2] {
                for c in [5, 16, 37] {
                    for &(h, w) in &sizes {
                        let d = Depthwise::new(k, s, c, values(k * k * c, 1), values(c, 2));
                        let x: Vec<f32> = values(h * w * c, 3).iter().map(|v| v * 4.0).collect();
                        let (oh, ow) = d.out_size(h, w);
                        let mut out = vec![f32::NAN; oh * ow * c];
                        assert_eq!(d.forward(&x, h, w, &mut out), (oh, ow));
                        let want = naive(&d, &x, h, w);
                        for (i, (a, b)) in out.iter().zip(&want).enumerate() {
                            assert!(
                                (a - b).abs() < 1e-5,
                                "k{k} s{s} c{c} {h}x{w} at {i}: {a} vs {b}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn relu6_clips_the_output() {
        let d = Depthwise::new(3, 1, 2, vec![10.0; 18], vec![0.0, -100.0]);
        let mut out = vec![0.0; 2];
        d.forward(&[1.0, 1.0], 1, 1, &mut out);
        assert_eq!(out, vec![6.0, 0.0]);
    }
}
