//! The stem: a full k x k convolution with SAME padding, done as im2col
//! (one row of k*k*cin values per output pixel, zeros where the window leaves
//! the image) followed by one sgemm, then bias and ReLU6.

use super::activation::relu6;
use super::padding::same;
use super::pointwise::gemm_acc;

/// A full convolution over channels-last input.
#[derive(Debug, Clone)]
pub struct Conv {
    pub kernel: usize,
    pub stride: usize,
    pub cin: usize,
    pub cout: usize,
    /// (kh, kw, cin, cout), row-major: im2col rows times this matrix.
    pub weight: Vec<f32>,
    pub bias: Vec<f32>,
}

impl Conv {
    pub fn new(
        kernel: usize,
        stride: usize,
        cin: usize,
        cout: usize,
        weight: Vec<f32>,
        bias: Vec<f32>,
    ) -> Self {
        assert_eq!(weight.len(), kernel * kernel * cin * cout);
        assert_eq!(bias.len(), cout);
        Conv {
            kernel,
            stride,
            cin,
            cout,
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

    /// Length of the im2col buffer for an `h` x `w` input.
    pub fn patches_len(&self, h: usize, w: usize) -> usize {
        let (oh, ow) = self.out_size(h, w);
        oh * ow * self.kernel * self.kernel * self.cin
    }

    /// `input` (h x w x cin) -> `out` (oh x ow x cout) with ReLU6; returns (oh, ow).
    pub fn forward(
        &self,
        input: &[f32],
        h: usize,
        w: usize,
        patches: &mut [f32],
        out: &mut [f32],
    ) -> (usize, usize) {
        let (k, s, c) = (self.kernel, self.stride, self.cin);
        let (py, px) = (same(h, k, s), same(w, k, s));
        let (oh, ow) = (py.out, px.out);
        let row = k * k * c;
        assert!(input.len() >= h * w * c);
        let patches = &mut patches[..oh * ow * row];
        for oy in 0..oh {
            for ox in 0..ow {
                let dst = &mut patches[(oy * ow + ox) * row..][..row];
                for ky in 0..k {
                    let iy = (oy * s + ky) as isize - py.before as isize;
                    let line = &mut dst[ky * k * c..][..k * c];
                    if iy < 0 || iy >= h as isize {
                        line.fill(0.0);
                        continue;
                    }
                    for kx in 0..k {
                        let ix = (ox * s + kx) as isize - px.before as isize;
                        let cell = &mut line[kx * c..][..c];
                        if ix < 0 || ix >= w as isize {
                            cell.fill(0.0);
                        } else {
                            let at = (iy as usize * w + ix as usize) * c;
                            cell.copy_from_slice(&input[at..at + c]);
                        }
                    }
                }
            }
        }
        let out = &mut out[..oh * ow * self.cout];
        for o in out.chunks_exact_mut(self.cout) {
            o.copy_from_slice(&self.bias);
        }
        gemm_acc(oh * ow, row, self.cout, patches, &self.weight, out);
        relu6(out);
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

    /// Direct convolution with explicit SAME padding, in f64.
    fn naive(conv: &Conv, x: &[f32], h: usize, w: usize) -> Vec<f32> {
        let (k, s, c) = (conv.kernel, conv.stride, conv.cin);
        let (py, px) = (same(h, k, s), same(w, k, s));
        let mut out = Vec::new();
        for oy in 0..py.out {
            for ox in 0..px.out {
                for o in 0..conv.cout {
                    let mut acc = conv.bias[o] as f64;
                    for ky in 0..k {
                        for kx in 0..k {
                            let iy = (oy * s + ky) as isize - py.before as isize;
                            let ix = (ox * s + kx) as isize - px.before as isize;
                            if iy < 0 || ix < 0 || iy >= h as isize || ix >= w as isize {
                                continue;
                            }
                            for i in 0..c {
                                let xv = x[(iy as usize * w + ix as usize) * c + i] as f64;
                                acc += xv
                                    * conv.weight[((ky * k + kx) * c + i) * conv.cout + o] as f64;
                            }
                        }
                    }
                    out.push(acc.clamp(0.0, 6.0) as f32);
                }
            }
        }
        out
    }

    #[test]
    fn matches_a_direct_convolution_with_same_padding() {
        for (k, s, h, w) in [
            (3, 2, 8, 8),
            (3, 2, 7, 9),
            (3, 1, 5, 4),
            (5, 2, 6, 11),
            (3, 2, 1, 2),
        ] {
            let (cin, cout) = (3, 6);
            let conv = Conv::new(
                k,
                s,
                cin,
                cout,
                values(k * k * cin * cout, 1),
                values(cout, 2),
            );
            let x: Vec<f32> = values(h * w * cin, 3).iter().map(|v| v * 3.0).collect();
            let mut patches = vec![f32::NAN; conv.patches_len(h, w)];
            let (oh, ow) = conv.out_size(h, w);
            let mut out = vec![0.0; oh * ow * cout];
            assert_eq!(conv.forward(&x, h, w, &mut patches, &mut out), (oh, ow));
            let want = naive(&conv, &x, h, w);
            assert_eq!(out.len(), want.len());
            for (a, b) in out.iter().zip(&want) {
                assert!((a - b).abs() < 1e-5, "k{k} s{s} {h}x{w}: {a} vs {b}");
            }
        }
    }
}
