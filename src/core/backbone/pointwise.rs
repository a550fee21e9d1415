//! 1x1 convolutions (expansion, projection, head) as one sgemm each, with
//! the folded-BatchNorm bias, the residual and ReLU6 around it.

use super::activation::relu6;

/// C (m x n) += A (m x k) * B (k x n), all row-major and contiguous.
pub fn gemm_acc(m: usize, k: usize, n: usize, a: &[f32], b: &[f32], c: &mut [f32]) {
    assert!(a.len() >= m * k && b.len() >= k * n && c.len() >= m * n);
    if m == 0 || n == 0 || k == 0 {
        return;
    }
    // SAFETY: the assert above keeps every access inside the three slices;
    // the strides describe contiguous row-major matrices of those sizes.
    unsafe {
        matrixmultiply::sgemm(
            m,
            k,
            n,
            1.0,
            a.as_ptr(),
            k as isize,
            1,
            b.as_ptr(),
            n as isize,
            1,
            1.0,
            c.as_mut_ptr(),
            n as isize,
            1,
        );
    }
}

/// A 1x1 convolution with bias over channels-last pixels.
#[derive(Debug, Clone)]
pub struct Pointwise {
    pub cin: usize,
    pub cout: usize,
    /// (cin, cout), row-major.
    pub weight: Vec<f32>,
    pub bias: Vec<f32>,
}

impl Pointwise {
    pub fn new(cin: usize, cout: usize, weight: Vec<f32>, bias: Vec<f32>) -> Self {
        assert_eq!(weight.len(), cin * cout);
        assert_eq!(bias.len(), cout);
        Pointwise {
            cin,
            cout,
            weight,
            bias,
        }
    }

    /// out = input * weight + bias (+ residual), then ReLU6 if `activate`.
    /// `input` is pixels x cin, `out` and `residual` pixels x cout.
    pub fn forward(
        &self,
        input: &[f32],
        pixels: usize,
        out: &mut [f32],
        residual: Option<&[f32]>,
        activate: bool,
    ) {
        let n = pixels * self.cout;
        let out = &mut out[..n];
        match residual {
            Some(r) => {
                for (o_row, r_row) in out
                    .chunks_exact_mut(self.cout)
                    .zip(r[..n].chunks_exact(self.cout))
                {
                    for ((o, &r), &b) in o_row.iter_mut().zip(r_row).zip(&self.bias) {
                        *o = r + b;
                    }
                }
            }
            None => {
                for o_row in out.chunks_exact_mut(self.cout) {
                    o_row.copy_from_slice(&self.bias);
                }
            }
        }
        gemm_acc(pixels, self.cin, self.cout, input, &self.weight, out);
        if activate {
            relu6(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Seeded values in [-2, 2).
    fn values(n: usize, seed: u32) -> Vec<f32> {
        let mut rng = crate::core::rng::Rng::new(seed as u64);
        (0..n).map(|_| rng.uniform() as f32 * 4.0 - 2.0).collect()
    }

    fn naive(p: &Pointwise, x: &[f32], pixels: usize, res: Option<&[f32]>, act: bool) -> Vec<f32> {
        let mut out = vec![0.0; pixels * p.cout];
        for px in 0..pixels {
            for o in 0..p.cout {
                let mut acc = p.bias[o] as f64;
                for i in 0..p.cin {
                    acc += x[px * p.cin + i] as f64 * p.weight[i * p.cout + o] as f64;
                }
                if let Some(r) = res {
                    acc += r[px * p.cout + o] as f64;
                }
                out[px * p.cout + o] = if act {
                    acc.clamp(0.0, 6.0) as f32
                } else {
                    acc as f32
                };
            }
        }
        out
    }

    #[test]
    fn matches_naive_loops() {
        for (cin, cout, pixels) in [(3, 5, 7), (16, 96, 25), (40, 40, 9), (1, 1, 1)] {
            let p = Pointwise::new(cin, cout, values(cin * cout, 1), values(cout, 2));
            let x = values(pixels * cin, 3);
            let r = values(pixels * cout, 4);
            for (res, act) in [(None, false), (None, true), (Some(&r[..]), false)] {
                let mut out = vec![f32::NAN; pixels * cout + 3];
                p.forward(&x, pixels, &mut out, res, act);
                let want = naive(&p, &x, pixels, res, act);
                for (a, b) in out.iter().zip(&want) {
                    assert!((a - b).abs() <= 1e-4 * (1.0 + b.abs()), "{a} vs {b}");
                }
                assert!(
                    out[pixels * cout..].iter().all(|v| v.is_nan()),
                    "wrote past the end"
                );
            }
        }
    }
}
