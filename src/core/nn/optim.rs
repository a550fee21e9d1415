//! Optimisers: SGD with momentum and Adam, with optional L2 weight decay on
//! the weights (added to the gradient, as PyTorch's `weight_decay` does).

use ndarray::Zip;

use crate::core::config::{OptimizerKind, TrainConfig};
use crate::core::nn::{Grads, Mlp};

#[derive(Debug, Clone)]
pub struct Optimizer {
    pub(super) kind: OptimizerKind,
    pub(super) lr: f32,
    pub(super) momentum: f32,
    pub(super) weight_decay: f32,
    /// SGD velocity or Adam's first moment.
    pub(super) m: Grads,
    /// Adam's second moment (unused by SGD).
    pub(super) v: Grads,
    pub(super) t: i32,
}

const BETA1: f32 = 0.9;
const BETA2: f32 = 0.999;
const ADAM_EPS: f32 = 1e-8;

impl Optimizer {
    pub fn new(model: &Mlp, config: &TrainConfig) -> Self {
        let s = config.settings();
        Optimizer {
            kind: s.optimizer,
            lr: s.learning_rate as f32,
            momentum: s.momentum as f32,
            weight_decay: s.weight_decay as f32,
            m: model.zero_grads(),
            v: model.zero_grads(),
            t: 0,
        }
    }

    /// Applies one update from `grads` to `model`.
    pub fn step(&mut self, model: &mut Mlp, grads: &Grads) {
        self.t += 1;
        let rule = self.rule();
        let wd = self.weight_decay;
        for (l, layer) in model.layers.iter_mut().enumerate() {
            Zip::from(&mut layer.w)
                .and(&grads.dw[l])
                .and(&mut self.m.dw[l])
                .and(&mut self.v.dw[l])
                .for_each(|w, &g, m, v| rule.apply(w, g + wd * *w, m, v));
            Zip::from(&mut layer.b)
                .and(&grads.db[l])
                .and(&mut self.m.db[l])
                .and(&mut self.v.db[l])
                .for_each(|b, &g, m, v| rule.apply(b, g, m, v));
        }
    }

    fn rule(&self) -> Rule {
        match self.kind {
            OptimizerKind::Sgd => Rule::Sgd {
                lr: self.lr,
                momentum: self.momentum,
            },
            OptimizerKind::Adam => {
                // Bias corrections folded into the step size (Kingma & Ba
                // 2015, section 2): α_t = α·√(1−β₂ᵗ)/(1−β₁ᵗ).
                let c1 = 1.0 - BETA1.powi(self.t);
                let c2 = 1.0 - BETA2.powi(self.t);
                Rule::Adam {
                    step: self.lr * c2.sqrt() / c1,
                    eps_hat: ADAM_EPS * c2.sqrt(),
                }
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Rule {
    /// PyTorch's form: v ← μ·v + g; w ← w − lr·v.
    Sgd {
        lr: f32,
        momentum: f32,
    },
    Adam {
        step: f32,
        eps_hat: f32,
    },
}

impl Rule {
    #[inline(always)]
    fn apply(self, w: &mut f32, g: f32, m: &mut f32, v: &mut f32) {
        match self {
            Rule::Sgd { lr, momentum } => {
                *m = momentum * *m + g;
                *w -= lr * *m;
            }
            Rule::Adam { step, eps_hat } => {
                *m = BETA1 * *m + (1.0 - BETA1) * g;
                *v = BETA2 * *v + (1.0 - BETA2) * g * g;
                *w -= step * *m / (v.sqrt() + eps_hat);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::config::Settings;
    use ndarray::{Array1, Array2};

    fn one_weight_model(w0: f32) -> Mlp {
        let mut m = Mlp::new(&[1, 1], 0);
        m.layers[0].w[[0, 0]] = w0;
        m
    }

    fn config(kind: OptimizerKind, lr: f64, wd: f64) -> TrainConfig {
        Settings {
            optimizer: kind,
            learning_rate: lr,
            weight_decay: wd,
            momentum: 0.9,
            ..Settings::default()
        }
        .validate()
        .unwrap()
    }

    fn grads(g: f32) -> Grads {
        Grads {
            dw: vec![Array2::from_elem((1, 1), g)],
            db: vec![Array1::zeros(1)],
        }
    }

    #[test]
    fn sgd_momentum_matches_hand_computed_steps() {
        let mut m = one_weight_model(1.0);
        let mut opt = Optimizer::new(&m, &config(OptimizerKind::Sgd, 0.1, 0.0));
        opt.step(&mut m, &grads(1.0)); // v = 1, w = 0.9
        opt.step(&mut m, &grads(1.0)); // v = 1.9, w = 0.71
        assert!((m.layers[0].w[[0, 0]] - 0.71).abs() < 1e-6);
    }

    #[test]
    fn adam_first_step_moves_by_lr() {
        // With bias correction, the first Adam step is lr·sign(g).
        let mut m = one_weight_model(1.0);
        let mut opt = Optimizer::new(&m, &config(OptimizerKind::Adam, 0.01, 0.0));
        opt.step(&mut m, &grads(-3.0));
        assert!((m.layers[0].w[[0, 0]] - 1.01).abs() < 1e-6);
    }

    #[test]
    fn weight_decay_shrinks_weights_not_biases() {
        let mut m = one_weight_model(2.0);
        m.layers[0].b[0] = 2.0;
        let mut opt = Optimizer::new(&m, &config(OptimizerKind::Sgd, 0.1, 0.5));
        opt.step(&mut m, &grads(0.0));
        assert!((m.layers[0].w[[0, 0]] - 1.9).abs() < 1e-6);
        assert_eq!(m.layers[0].b[0], 2.0);
    }
}
