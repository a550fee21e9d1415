//! Softmax cross-entropy against label-smoothed targets.
//!
//! Smoothing replaces the one-hot target of class y by
//! `q = onehot(y)·(1−ε) + ε/K` (Szegedy et al. 2016; TensorFlow's
//! `label_smoothing`). The loss is `−Σ_k q_k log p_k` with `log p` from a
//! stable log-softmax, and its gradient with respect to the logits is `p − q`.

use ndarray::{Array2, ArrayView2, ArrayViewMut2, Axis, Zip};

/// The smoothed target vector of class `label` among `k` classes.
pub fn smoothed_target(k: usize, label: usize, epsilon: f64) -> Vec<f64> {
    let off = epsilon / k as f64;
    (0..k)
        .map(|c| if c == label { 1.0 - epsilon + off } else { off })
        .collect()
}

/// Entropy H(q) of the smoothed target in nats: the lowest value the
/// smoothed objective can reach (attained when p = q). 0.500 for K=10, ε=0.1.
pub fn target_entropy(k: usize, epsilon: f64) -> f64 {
    smoothed_target(k, 0, epsilon)
        .into_iter()
        .filter(|&q| q > 0.0)
        .map(|q| -q * q.ln())
        .sum()
}

/// Row-wise log-softmax, shifted by the row maximum so that exp never
/// overflows: log p_k = z_k − m − ln Σ_j exp(z_j − m).
pub fn log_softmax(logits: ArrayView2<f32>) -> Array2<f32> {
    let mut out = logits.to_owned();
    log_softmax_in_place(out.view_mut());
    out
}

pub fn log_softmax_in_place(mut z: ArrayViewMut2<f32>) {
    for mut row in z.axis_iter_mut(Axis(0)) {
        let m = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let lse = row.iter().map(|&v| (v - m).exp()).sum::<f32>().ln() + m;
        row.mapv_inplace(|v| v - lse);
    }
}

/// Per-sample smoothed objective `−(1−ε)·log p_y − (ε/K)·Σ_k log p_k`.
pub fn smoothed_nll(log_probs: ArrayView2<f32>, labels: &[usize], epsilon: f32) -> Vec<f32> {
    let k = log_probs.ncols() as f32;
    log_probs
        .axis_iter(Axis(0))
        .zip(labels)
        .map(|(row, &y)| -(1.0 - epsilon) * row[y] - epsilon / k * row.sum())
        .collect()
}

/// Mean smoothed loss over the batch; writes its gradient with respect to
/// the logits, `(p − q)/B`, into `grad` (same shape as `log_probs`).
pub fn smoothed_loss_and_grad(
    log_probs: ArrayView2<f32>,
    labels: &[usize],
    epsilon: f32,
    grad: ArrayViewMut2<f32>,
) -> f32 {
    smoothed_losses_and_grad(log_probs, labels, epsilon, grad, |_, _| {})
}

/// [`smoothed_loss_and_grad`] that also hands each sample's smoothed loss
/// to `per_sample(row, loss)`, so that a caller can keep the per-sample
/// curve without a second pass over the batch.
pub fn smoothed_losses_and_grad(
    log_probs: ArrayView2<f32>,
    labels: &[usize],
    epsilon: f32,
    mut grad: ArrayViewMut2<f32>,
    mut per_sample: impl FnMut(usize, f32),
) -> f32 {
    let (b, k) = log_probs.dim();
    let off = epsilon / k as f32;
    let inv_b = 1.0 / b as f32;
    let mut total = 0.0f32;
    for (i, ((row, mut g), &y)) in log_probs
        .axis_iter(Axis(0))
        .zip(grad.axis_iter_mut(Axis(0)))
        .zip(labels)
        .enumerate()
    {
        let mut loss = 0.0;
        for (c, (&lp, gv)) in row.iter().zip(g.iter_mut()).enumerate() {
            let q = if c == y { 1.0 - epsilon + off } else { off };
            loss -= q * lp;
            *gv = (lp.exp() - q) * inv_b;
        }
        per_sample(i, loss);
        total += loss;
    }
    total * inv_b
}

/// −log p(label) per sample.
pub fn nll(log_probs: ArrayView2<f32>, labels: &[usize]) -> Vec<f32> {
    log_probs
        .axis_iter(Axis(0))
        .zip(labels)
        .map(|(row, &y)| -row[y])
        .collect()
}

/// Index of the largest value per row (first one on ties).
pub fn argmax_rows(values: ArrayView2<f32>) -> Vec<usize> {
    values
        .axis_iter(Axis(0))
        .map(|row| {
            let mut best = 0;
            for (i, &v) in row.iter().enumerate() {
                if v > row[best] {
                    best = i;
                }
            }
            best
        })
        .collect()
}

/// True when every value is finite.
pub fn all_finite(values: ArrayView2<f32>) -> bool {
    let mut ok = true;
    Zip::from(values).for_each(|&v| ok &= v.is_finite());
    ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn k2_eps02_target_is_01_09() {
        let q = smoothed_target(2, 1, 0.2);
        assert!((q[0] - 0.1).abs() < 1e-12 && (q[1] - 0.9).abs() < 1e-12);
    }

    #[test]
    fn floor_for_k10_eps01_is_half_a_nat() {
        let h = target_entropy(10, 0.1);
        assert!((h - 0.5004).abs() < 1e-3, "H(q') = {h}");
        assert_eq!(target_entropy(10, 0.0), 0.0);
    }

    #[test]
    fn log_softmax_is_stable_for_huge_logits() {
        let lp = log_softmax(array![[1000.0f32, 0.0, -1000.0]].view());
        assert!(all_finite(lp.view()));
        assert!(lp[[0, 0]].abs() < 1e-6);
        assert!((lp[[0, 1]] + 1000.0).abs() < 1e-3);
    }

    #[test]
    fn epsilon_zero_is_plain_cross_entropy() {
        let lp = log_softmax(array![[2.0f32, -1.0, 0.5], [0.0, 0.0, 3.0]].view());
        let labels = [0, 1];
        let smoothed = smoothed_nll(lp.view(), &labels, 0.0);
        let plain = nll(lp.view(), &labels);
        assert_eq!(smoothed, plain);
        // Pinned: −log softmax([2, −1, 0.5])_0 = ln(e² + e⁻¹ + e^0.5) − 2.
        let expected = ((2.0f64).exp() + (-1.0f64).exp() + (0.5f64).exp()).ln() - 2.0;
        assert!((plain[0] as f64 - expected).abs() < 1e-6);
    }

    #[test]
    fn smoothed_objective_never_below_target_entropy_and_reaches_it() {
        let (k, eps) = (10usize, 0.1f32);
        let floor = target_entropy(k, eps as f64) as f32;
        // Logits equal to log q reach the floor exactly.
        let q = smoothed_target(k, 3, eps as f64);
        let fit = ndarray::Array2::from_shape_fn((1, k), |(_, c)| q[c].ln() as f32);
        let at_fit = smoothed_nll(log_softmax(fit.view()).view(), &[3], eps)[0];
        assert!((at_fit - floor).abs() < 1e-5, "{at_fit} vs {floor}");
        // Anything else, including over-confident logits, stays above it.
        for scale in [0.0f32, 1.0, 5.0, 20.0, 100.0] {
            let z =
                ndarray::Array2::from_shape_fn((1, k), |(_, c)| if c == 3 { scale } else { 0.0 });
            let l = smoothed_nll(log_softmax(z.view()).view(), &[3], eps)[0];
            assert!(l >= floor - 1e-5, "scale {scale}: {l} < {floor}");
        }
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let z = array![[0.3f32, -1.2, 2.0, 0.1], [1.0, 1.0, -0.5, 0.0]];
        let labels = [2, 0];
        let eps = 0.25;
        let mut grad = ndarray::Array2::zeros(z.dim());
        smoothed_loss_and_grad(log_softmax(z.view()).view(), &labels, eps, grad.view_mut());
        let loss = |z: &ndarray::Array2<f32>| {
            let lp = log_softmax(z.view());
            let v: Vec<f64> = smoothed_nll(lp.view(), &labels, eps)
                .iter()
                .map(|&x| x as f64)
                .collect();
            v.iter().sum::<f64>() / v.len() as f64
        };
        let h = 1e-2f32;
        for idx in [(0, 0), (0, 2), (1, 0), (1, 3)] {
            let (mut up, mut dn) = (z.clone(), z.clone());
            up[idx] += h;
            dn[idx] -= h;
            let fd = (loss(&up) - loss(&dn)) / (2.0 * h as f64);
            assert!(
                (fd - grad[idx] as f64).abs() < 1e-3,
                "{idx:?}: fd {fd} vs {}",
                grad[idx]
            );
        }
    }
}
