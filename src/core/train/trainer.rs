//! Mini-batch training of one or more models in lockstep: the same initial
//! weights, the same shuffled batches in the same order, differing only in
//! their label-smoothing ε. A paired run is a baseline (ε = 0) beside the
//! chosen ε, so the difference between their curves is ε's doing alone.
//!
//! The models are measured on every sample at each epoch end and, if the
//! settings ask for more points, at even steps within an epoch
//! (`points.rs`).

use ndarray::Array2;

use crate::core::config::{check_smoothing, TrainConfig};
use crate::core::data::Dataset;
use crate::core::error::{LabError, Result};
use crate::core::nn::Mlp;
use crate::core::rng::Rng;
use crate::core::train::Learner;
use crate::core::train::{Cartography, EpochReport, Evaluation};

mod encode;
mod lockstep;
mod points;

pub use lockstep::{LockstepReply, Resolution, SliceEnd};

/// What one mini-batch step came to.
#[derive(Debug, Clone, PartialEq)]
enum Batch {
    Plain,
    /// The step ended at a point of the curves: the models are measured.
    Point {
        epoch_end: bool,
    },
    /// A model broke (which, why); nothing was rolled back yet.
    Diverged {
        model: usize,
        what: String,
    },
}

/// Trains models in lockstep and reports at every point of the curves.
#[derive(Debug, Clone)]
pub struct Trainer {
    config: TrainConfig,
    learners: Vec<Learner>,
    shuffle: Rng,
    order: Vec<usize>,
    cursor: usize,
    epoch: usize,
    restarts: u64,
    seen_revision: u64,
    shape: (usize, usize),
    batch_x: Array2<f32>,
    labels: Vec<usize>,
    reports: Vec<EpochReport>,
    evaluations: Vec<Evaluation>,
    /// Each model's data map, fed at every epoch end.
    cartography: Vec<Cartography>,
    /// Models lent to another worker, which trains them in lockstep with
    /// this trainer (`lockstep.rs`): here they take no step and no
    /// measurement; their measurements come back with each point.
    lent: Vec<bool>,
    /// Where the last point was (the x of the curves), kept apart from
    /// `reports`, which a trainer holding a lent model does not keep.
    last_point: f64,
    /// A point measured here, waiting for the lent models' measurements.
    pending: Option<points::Pending>,
}

/// A batch's mean loss above this many nats means the weights have blown
/// up: a uniform guess costs ln K (under 7 nats for 1,000 classes) and even a
/// model that memorized every wrong label stays within a few dozen. Huge
/// learning rates mostly end here, with finite but meaningless numbers,
/// rather than at an outright NaN.
pub const EXPLODED_LOSS: f32 = 1e3;

impl Trainer {
    /// A baseline (ε = 0) and a smoothed model (the config's ε).
    pub fn paired(ds: &Dataset, config: TrainConfig) -> Result<Self> {
        Trainer::paired_run(ds, config, 0)
    }

    /// A paired run as it stands after `run` restarts: the same initial
    /// weights that many calls to [`Trainer::restart`] would draw.
    pub fn paired_run(ds: &Dataset, config: TrainConfig, run: u64) -> Result<Self> {
        let eps = config.smoothing();
        Trainer::build(ds, config, &[0.0, eps], run)
    }

    /// A single model with the config's ε.
    pub fn single(ds: &Dataset, config: TrainConfig) -> Result<Self> {
        let eps = config.smoothing();
        Trainer::new(ds, config, &[eps])
    }

    /// Models that share initial weights and batches, one per ε.
    pub fn new(ds: &Dataset, config: TrainConfig, epsilons: &[f32]) -> Result<Self> {
        Trainer::build(ds, config, epsilons, 0)
    }

    fn build(ds: &Dataset, config: TrainConfig, epsilons: &[f32], run: u64) -> Result<Self> {
        for &e in epsilons {
            check_smoothing(e as f64)?;
        }
        let mut t = Trainer::build_empty(config);
        t.restarts = run;
        t.start(ds, epsilons)?;
        Ok(t)
    }

    /// A trainer with no models yet, at the start of run 0.
    fn build_empty(config: TrainConfig) -> Trainer {
        Trainer {
            learners: Vec::new(),
            shuffle: Rng::new(0),
            order: Vec::new(),
            cursor: 0,
            epoch: 0,
            restarts: 0,
            seen_revision: u64::MAX,
            shape: (0, 0),
            batch_x: Array2::zeros((0, 0)),
            labels: Vec::new(),
            reports: Vec::new(),
            evaluations: Vec::new(),
            cartography: Vec::new(),
            lent: Vec::new(),
            last_point: 0.0,
            pending: None,
            config,
        }
    }

    /// Fresh shared weights for every model (a new draw each restart, all
    /// from the seed), epoch count back to 0; ε values are kept.
    pub fn restart(&mut self, ds: &Dataset) -> Result<()> {
        self.restarts += 1;
        let eps: Vec<f32> = self.learners.iter().map(|l| l.epsilon).collect();
        self.start(ds, &eps)
    }

    fn start(&mut self, ds: &Dataset, epsilons: &[f32]) -> Result<()> {
        ds.check_trainable()?;
        let mut sizes = vec![ds.dim()];
        sizes.extend(self.config.hidden(ds.has_features()));
        sizes.push(ds.num_classes());
        let run_seed = Rng::derived(self.config.seed(), self.restarts).next_u64();
        let init = Mlp::new(&sizes, run_seed);
        self.learners = epsilons
            .iter()
            .map(|&e| Learner::new(init.clone(), &self.config, e))
            .collect();
        self.shuffle = Rng::derived(run_seed, 0x5_4FF1E);
        self.shape = (ds.dim(), ds.num_classes());
        self.lent = vec![false; epsilons.len()];
        self.epoch = 0;
        self.last_point = 0.0;
        self.pending = None;
        self.reports.clear();
        self.evaluations.clear();
        self.cartography = vec![Cartography::default(); epsilons.len()];
        self.new_order(ds);
        Ok(())
    }

    /// A fresh shuffled order over the training split, from its start.
    fn new_order(&mut self, ds: &Dataset) {
        self.order = ds.train_indices();
        self.shuffle.shuffle(&mut self.order);
        self.cursor = 0;
        self.seen_revision = ds.revision();
    }

    /// Images were added, removed or re-split mid-epoch: indices may have
    /// moved, so a fresh order over the current split is drawn, entered at
    /// least as far in as the epoch had gone (and short of its end), so that
    /// its progress (the x of the curves) keeps rising.
    fn reorder_midway(&mut self, ds: &Dataset) {
        let done = self.progress_in_epoch();
        self.reorder_at(ds, done);
    }

    /// A fresh order entered at `done` (a share of the epoch) or just past.
    fn reorder_at(&mut self, ds: &Dataset, done: f64) {
        self.new_order(ds);
        let at = (done * self.order.len() as f64).ceil() as usize;
        self.cursor = at.min(self.order.len().saturating_sub(1));
    }

    pub fn config(&self) -> &TrainConfig {
        &self.config
    }
    /// Epochs completed since the last (re)start.
    pub fn epoch(&self) -> usize {
        self.epoch
    }
    pub fn reports(&self) -> &[EpochReport] {
        &self.reports
    }
    /// Per-sample values at the last point measured, one per model.
    pub fn evaluations(&self) -> &[Evaluation] {
        &self.evaluations
    }
    /// A model's data map statistics since the last (re)start.
    pub fn cartography(&self, index: usize) -> Option<&Cartography> {
        self.cartography.get(index)
    }
    pub fn epsilons(&self) -> Vec<f32> {
        self.learners.iter().map(|l| l.epsilon).collect()
    }
    pub fn model(&self, index: usize) -> Option<&Mlp> {
        self.learners.get(index).map(|l| &l.model)
    }

    /// Whether the models fit the dataset's image size and class count.
    pub fn fits(&self, ds: &Dataset) -> bool {
        self.shape == (ds.dim(), ds.num_classes())
    }

    pub fn steps_per_epoch(&self, ds: &Dataset) -> usize {
        ds.train_indices().len().div_ceil(self.config.batch_size())
    }

    /// Changes one model's ε from the next step on, without restarting.
    pub fn set_smoothing(&mut self, model: usize, epsilon: f64) -> Result<()> {
        let eps = check_smoothing(epsilon)? as f32;
        let len = self.learners.len();
        let learner = self.learners.get_mut(model).ok_or(LabError::OutOfRange {
            what: "model",
            index: model,
            len,
        })?;
        learner.epsilon = eps;
        Ok(())
    }

    /// Runs one mini-batch step on every model; returns the report if this
    /// step ended at a point of the curves (an epoch end, or a point within
    /// the epoch). If the dataset changed shape (classes or image size), the
    /// models no longer fit it: restart first.
    pub fn step(&mut self, ds: &Dataset) -> Result<Option<&EpochReport>> {
        match self.train_batch(ds)? {
            Batch::Plain => Ok(None),
            Batch::Diverged { what, .. } => Err(self.diverged(what)),
            Batch::Point { epoch_end } => {
                self.begin_point(ds, epoch_end);
                self.finish_point(Vec::new()).map(Some)
            }
        }
    }

    /// One mini-batch step of every model trained here. A step that breaks a
    /// model is reported, not undone: the caller rolls every model back.
    fn train_batch(&mut self, ds: &Dataset) -> Result<Batch> {
        if !self.fits(ds) {
            return Err(LabError::Dataset(
                "the classes or the image size changed; restart training".into(),
            ));
        }
        if self.pending.is_some() {
            return Err(LabError::Dataset(
                "a point is still waiting for the lent models' measurements".into(),
            ));
        }
        if ds.revision() != self.seen_revision {
            ds.check_trainable()?;
            self.reorder_midway(ds);
        } else if self.cursor >= self.order.len() {
            // The epoch's last batch diverged and the models went back to
            // the last point: the epoch goes on from there, on a new order.
            let done = (self.last_point - self.epoch as f64).clamp(0.0, 1.0);
            self.reorder_at(ds, done);
        }
        let before = self.cursor;
        let b = self.config.batch_size().min(self.order.len() - self.cursor);
        let batch = &self.order[self.cursor..self.cursor + b];
        let local = self.lent.iter().any(|lent| !lent);
        if local {
            if self.batch_x.dim() != (b, ds.dim()) {
                self.batch_x = Array2::zeros((b, ds.dim()));
            }
            ds.fill_batch(batch, self.batch_x.view_mut());
            self.labels.clear();
            self.labels
                .extend(batch.iter().map(|&i| ds.samples()[i].given));
        }
        self.cursor += b;

        for (model, l) in self.learners.iter_mut().enumerate() {
            if self.lent[model] {
                continue;
            }
            let loss = l.step(&self.batch_x, &self.labels);
            let what = if !loss.is_finite() || !l.model.all_finite() {
                format!("the batch loss became {loss}")
            } else if loss > EXPLODED_LOSS {
                format!(
                    "the batch loss reached {loss:.3e} nats; a guess costs ln K = {:.2}",
                    (ds.num_classes() as f32).ln()
                )
            } else {
                continue;
            };
            return Ok(Batch::Diverged { model, what });
        }
        if self.cursor >= self.order.len() {
            return Ok(Batch::Point { epoch_end: true });
        }
        if self.is_point(before, self.cursor) {
            return Ok(Batch::Point { epoch_end: false });
        }
        Ok(Batch::Plain)
    }

    /// Runs up to `steps` steps; returns how many epochs they completed.
    pub fn steps(&mut self, ds: &Dataset, steps: usize) -> Result<usize> {
        let before = self.epoch;
        for _ in 0..steps {
            self.step(ds)?;
        }
        Ok(self.epoch - before)
    }

    /// Runs to the end of the current epoch and returns its report.
    pub fn run_epoch(&mut self, ds: &Dataset) -> Result<EpochReport> {
        let epoch = self.epoch;
        while self.epoch == epoch {
            self.step(ds)?;
        }
        Ok(self
            .reports
            .last()
            .expect("an epoch end is reported")
            .clone())
    }
}

#[cfg(test)]
mod tests;
