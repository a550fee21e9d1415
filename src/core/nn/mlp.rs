//! A multilayer perceptron with ReLU hidden layers, forward and backward by
//! hand over ndarray. Matrix products go through `general_mat_mul`
//! (matrixmultiply's sgemm, SIMD on wasm with `+simd128`) into buffers that
//! are reused across steps, so a training step allocates nothing.

use ndarray::linalg::general_mat_mul;
use ndarray::{Array1, Array2, ArrayView2, Axis, Zip};

use crate::core::rng::Rng;

/// One affine layer `z = a·W + b`, W stored inputs × outputs.
#[derive(Debug, Clone, PartialEq)]
pub struct Dense {
    pub w: Array2<f32>,
    pub b: Array1<f32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Mlp {
    pub layers: Vec<Dense>,
}

/// Gradients, shaped like the model.
#[derive(Debug, Clone)]
pub struct Grads {
    pub dw: Vec<Array2<f32>>,
    pub db: Vec<Array1<f32>>,
}

/// Activations kept from the forward pass for the backward pass, plus the
/// scratch for backpropagated errors; sized for one batch size.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// acts[0] is the input; acts[l+1] is layer l's output (ReLU'd, except
    /// the last, which holds the logits).
    pub acts: Vec<Array2<f32>>,
    deltas: Vec<Array2<f32>>,
}

impl Mlp {
    /// He-normal weights, N(0, 2/fan_in) (He et al. 2015), zero biases.
    pub fn new(sizes: &[usize], seed: u64) -> Self {
        let mut rng = Rng::derived(seed, 0x1_417);
        let layers = sizes
            .windows(2)
            .map(|io| {
                let std = (2.0 / io[0] as f64).sqrt();
                Dense {
                    w: Array2::from_shape_simple_fn((io[0], io[1]), || (rng.normal() * std) as f32),
                    b: Array1::zeros(io[1]),
                }
            })
            .collect();
        Mlp { layers }
    }

    /// Layer widths, input first.
    pub fn sizes(&self) -> Vec<usize> {
        let mut s = vec![self.layers[0].w.nrows()];
        s.extend(self.layers.iter().map(|l| l.w.ncols()));
        s
    }

    pub fn num_classes(&self) -> usize {
        self.layers.last().map_or(0, |l| l.w.ncols())
    }

    pub fn zero_grads(&self) -> Grads {
        Grads {
            dw: self
                .layers
                .iter()
                .map(|l| Array2::zeros(l.w.raw_dim()))
                .collect(),
            db: self
                .layers
                .iter()
                .map(|l| Array1::zeros(l.b.raw_dim()))
                .collect(),
        }
    }

    pub fn workspace(&self, batch: usize) -> Workspace {
        let sizes = self.sizes();
        Workspace {
            acts: sizes.iter().map(|&n| Array2::zeros((batch, n))).collect(),
            deltas: sizes[1..]
                .iter()
                .map(|&n| Array2::zeros((batch, n)))
                .collect(),
        }
    }

    /// Forward pass of the batch already in `ws.acts[0]`; logits end up in
    /// the last activation.
    pub fn forward(&self, ws: &mut Workspace) {
        let last = self.layers.len() - 1;
        for (l, layer) in self.layers.iter().enumerate() {
            let (inputs, outputs) = ws.acts.split_at_mut(l + 1);
            let (a, z) = (&inputs[l], &mut outputs[0]);
            // z = b broadcast, then z += a·W.
            let dim = z.raw_dim();
            z.assign(&layer.b.broadcast(dim).expect("bias matches width"));
            general_mat_mul(1.0, a, &layer.w, 1.0, z);
            if l < last {
                z.mapv_inplace(|v| v.max(0.0));
            }
        }
    }

    /// Logits for a batch (evaluation; allocates).
    pub fn logits(&self, x: ArrayView2<f32>) -> Array2<f32> {
        let mut ws = self.workspace(x.nrows());
        ws.acts[0].assign(&x);
        self.forward(&mut ws);
        ws.acts.pop().expect("at least one layer")
    }

    /// Backward pass: given dL/dlogits, fills `grads` (overwriting).
    pub fn backward(&self, ws: &mut Workspace, dlogits: ArrayView2<f32>, grads: &mut Grads) {
        let n = self.layers.len();
        ws.deltas[n - 1].assign(&dlogits);
        for l in (0..n).rev() {
            {
                let delta = &ws.deltas[l];
                // dW = aᵀ·δ, db = Σ_rows δ.
                general_mat_mul(1.0, &ws.acts[l].t(), delta, 0.0, &mut grads.dw[l]);
                grads.db[l].assign(&delta.sum_axis(Axis(0)));
            }
            if l > 0 {
                let (lower, upper) = ws.deltas.split_at_mut(l);
                let below = &mut lower[l - 1];
                // δ_{l−1} = (δ_l·Wᵀ) ⊙ 1[a_{l−1} > 0]: ReLU passes gradient
                // only where it was active.
                general_mat_mul(1.0, &upper[0], &self.layers[l].w.t(), 0.0, below);
                Zip::from(below).and(&ws.acts[l]).for_each(|d, &a| {
                    if a <= 0.0 {
                        *d = 0.0
                    }
                });
            }
        }
    }

    pub fn all_finite(&self) -> bool {
        self.layers
            .iter()
            .all(|l| l.w.iter().all(|v| v.is_finite()) && l.b.iter().all(|v| v.is_finite()))
    }

    pub fn parameter_count(&self) -> usize {
        self.layers.iter().map(|l| l.w.len() + l.b.len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::nn::{log_softmax, smoothed_loss_and_grad, smoothed_nll};

    fn loss_of(model: &Mlp, x: &Array2<f32>, labels: &[usize], eps: f32) -> f64 {
        let lp = log_softmax(model.logits(x.view()).view());
        let v = smoothed_nll(lp.view(), labels, eps);
        v.iter().map(|&l| l as f64).sum::<f64>() / v.len() as f64
    }

    /// The whole network's gradient against central finite differences, with
    /// smoothed targets: catches a wrong sign, a missing term or a transposed
    /// product anywhere in the backward pass.
    #[test]
    fn gradients_match_finite_differences() {
        let sizes = [5, 7, 6, 4];
        let mut model = Mlp::new(&sizes, 11);
        // Non-zero biases so that their gradients are exercised too.
        let mut rng = Rng::new(5);
        for l in &mut model.layers {
            l.b.mapv_inplace(|_| (rng.normal() * 0.1) as f32);
        }
        let x = Array2::from_shape_fn((3, 5), |(i, j)| ((i * 5 + j) as f32 * 0.37).sin());
        let labels = [1, 3, 0];
        let eps = 0.2;

        let mut ws = model.workspace(3);
        ws.acts[0].assign(&x);
        model.forward(&mut ws);
        let lp = log_softmax(ws.acts.last().unwrap().view());
        let mut dlogits = Array2::zeros(lp.raw_dim());
        smoothed_loss_and_grad(lp.view(), &labels, eps, dlogits.view_mut());
        let mut grads = model.zero_grads();
        model.backward(&mut ws, dlogits.view(), &mut grads);

        // f32 forward passes limit the finite difference to about 1e-4
        // absolute, so each entry is allowed that much plus 2% relative, and
        // the whole gradient must agree to 1% in norm.
        let h = 1e-3f32;
        let fd = |f: &dyn Fn(&mut Mlp, f32)| {
            let (mut up, mut dn) = (model.clone(), model.clone());
            f(&mut up, h);
            f(&mut dn, -h);
            (loss_of(&up, &x, &labels, eps) - loss_of(&dn, &x, &labels, eps)) / (2.0 * h as f64)
        };
        let (mut diff2, mut sum2) = (0.0f64, 0.0f64);
        for l in 0..model.layers.len() {
            let cols = model.layers[l].w.ncols();
            for idx in 0..model.layers[l].w.len() {
                let (r, c) = (idx / cols, idx % cols);
                let num = fd(&|m, d| m.layers[l].w[[r, c]] += d);
                let an = grads.dw[l][[r, c]] as f64;
                assert!(
                    (num - an).abs() < 2e-4 + 0.02 * an.abs(),
                    "dW{l}[{r},{c}]: {num} vs {an}"
                );
                diff2 += (num - an).powi(2);
                sum2 += (num + an).powi(2);
            }
            for j in 0..model.layers[l].b.len() {
                let num = fd(&|m, d| m.layers[l].b[j] += d);
                let an = grads.db[l][j] as f64;
                assert!(
                    (num - an).abs() < 2e-4 + 0.02 * an.abs(),
                    "db{l}[{j}]: {num} vs {an}"
                );
                diff2 += (num - an).powi(2);
                sum2 += (num + an).powi(2);
            }
        }
        let rel = diff2.sqrt() / sum2.sqrt();
        assert!(rel < 1e-2, "relative error of the whole gradient {rel}");
    }

    #[test]
    fn he_init_has_the_right_scale_and_is_seeded() {
        let m = Mlp::new(&[400, 300, 10], 1);
        let w = &m.layers[0].w;
        let var = w.iter().map(|&v| (v as f64).powi(2)).sum::<f64>() / w.len() as f64;
        assert!((var - 2.0 / 400.0).abs() < 0.0005, "variance {var}");
        assert_eq!(m, Mlp::new(&[400, 300, 10], 1));
        assert_ne!(m, Mlp::new(&[400, 300, 10], 2));
        assert_eq!(m.sizes(), vec![400, 300, 10]);
        assert_eq!(m.parameter_count(), 400 * 300 + 300 + 300 * 10 + 10);
    }
}
