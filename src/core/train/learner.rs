//! One model of a run with its optimiser state, scratch buffers and the
//! last finite weights to fall back to.

use ndarray::Array2;

use crate::core::config::TrainConfig;
use crate::core::nn::Optimizer;
use crate::core::nn::{log_softmax_in_place, smoothed_losses_and_grad};
use crate::core::nn::{Grads, Mlp, Workspace};

/// One model with its optimiser state and scratch buffers.
#[derive(Debug, Clone)]
pub(crate) struct Learner {
    pub(crate) epsilon: f32,
    pub(crate) model: Mlp,
    optimizer: Optimizer,
    grads: Grads,
    ws: Workspace,
    dlogits: Array2<f32>,
    /// Weights and optimiser state at the last epoch end, to fall back to if
    /// training diverges.
    pub(crate) snapshot: (Mlp, Optimizer),
}

impl Learner {
    pub(crate) fn new(model: Mlp, config: &TrainConfig, epsilon: f32) -> Self {
        let optimizer = Optimizer::new(&model, config);
        let b = config.batch_size();
        Learner {
            epsilon,
            grads: model.zero_grads(),
            ws: model.workspace(b),
            dlogits: Array2::zeros((b, model.num_classes())),
            snapshot: (model.clone(), optimizer.clone()),
            model,
            optimizer,
        }
    }

    /// A learner that goes on from saved state (a model lent to, or given
    /// back from, another worker): its scratch buffers are made anew.
    pub(crate) fn from_parts(
        epsilon: f32,
        model: Mlp,
        optimizer: Optimizer,
        snapshot: (Mlp, Optimizer),
        config: &TrainConfig,
    ) -> Self {
        let mut learner = Learner::new(model, config, epsilon);
        learner.optimizer = optimizer;
        learner.snapshot = snapshot;
        learner
    }

    pub(crate) fn optimizer(&self) -> &Optimizer {
        &self.optimizer
    }

    /// One optimisation step on the batch in `x`; returns the batch loss.
    pub(crate) fn step(&mut self, x: &Array2<f32>, labels: &[usize]) -> f32 {
        self.step_each(x, labels, |_, _| {})
    }

    /// [`Learner::step`] that also hands each sample's smoothed loss to
    /// `per_sample(row, loss)` (the benchmark reads every loss back).
    pub(crate) fn step_each(
        &mut self,
        x: &Array2<f32>,
        labels: &[usize],
        per_sample: impl FnMut(usize, f32),
    ) -> f32 {
        let b = x.nrows();
        if self.ws.acts[0].nrows() != b {
            // Only the last, partial batch of an epoch takes this path.
            self.ws = self.model.workspace(b);
            self.dlogits = Array2::zeros((b, self.model.num_classes()));
        }
        self.ws.acts[0].assign(x);
        self.model.forward(&mut self.ws);
        let logits = self.ws.acts.last_mut().expect("model has layers");
        log_softmax_in_place(logits.view_mut());
        let loss = smoothed_losses_and_grad(
            logits.view(),
            labels,
            self.epsilon,
            self.dlogits.view_mut(),
            per_sample,
        );
        self.model
            .backward(&mut self.ws, self.dlogits.view(), &mut self.grads);
        self.optimizer.step(&mut self.model, &self.grads);
        loss
    }

    /// Saves the weights to fall back to; returns those saved before.
    pub(crate) fn save(&mut self) -> (Mlp, Optimizer) {
        std::mem::replace(
            &mut self.snapshot,
            (self.model.clone(), self.optimizer.clone()),
        )
    }

    pub(crate) fn roll_back(&mut self) {
        self.model = self.snapshot.0.clone();
        self.optimizer = self.snapshot.1.clone();
    }
}
