//! Mini-batch training of one or more models in lockstep: the same initial
//! weights, the same shuffled batches in the same order, differing only in
//! their label-smoothing ε. A paired run is a baseline (ε = 0) beside the
//! chosen ε, so the difference between their curves is ε's doing alone.

use ndarray::Array2;

use crate::core::config::{check_smoothing, TrainConfig};
use crate::core::data::Dataset;
use crate::core::error::{LabError, Result};
use crate::core::nn::Mlp;
use crate::core::rng::Rng;
use crate::core::train::Learner;
use crate::core::train::{evaluate, EpochReport, Evaluation};

/// Trains models in lockstep and reports after every epoch.
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
        let mut t = Trainer {
            learners: Vec::new(),
            shuffle: Rng::new(0),
            order: Vec::new(),
            cursor: 0,
            epoch: 0,
            restarts: run,
            seen_revision: u64::MAX,
            shape: (0, 0),
            batch_x: Array2::zeros((0, 0)),
            labels: Vec::new(),
            reports: Vec::new(),
            evaluations: Vec::new(),
            config,
        };
        t.start(ds, epsilons)?;
        Ok(t)
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
        sizes.extend(&self.config.settings().hidden);
        sizes.push(ds.num_classes());
        let run_seed = Rng::derived(self.config.seed(), self.restarts).next_u64();
        let init = Mlp::new(&sizes, run_seed);
        self.learners = epsilons
            .iter()
            .map(|&e| Learner::new(init.clone(), &self.config, e))
            .collect();
        self.shuffle = Rng::derived(run_seed, 0x5_4FF1E);
        self.shape = (ds.dim(), ds.num_classes());
        self.epoch = 0;
        self.reports.clear();
        self.evaluations.clear();
        self.new_order(ds);
        Ok(())
    }

    fn new_order(&mut self, ds: &Dataset) {
        self.order = ds.train_indices();
        self.shuffle.shuffle(&mut self.order);
        self.cursor = 0;
        self.seen_revision = ds.revision();
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
    /// Per-sample values at the last epoch end, one per model.
    pub fn evaluations(&self) -> &[Evaluation] {
        &self.evaluations
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

    /// Runs one mini-batch step on every model; returns the epoch report if
    /// this step finished an epoch. If the dataset changed shape (classes or
    /// image size), the models no longer fit it: restart first.
    pub fn step(&mut self, ds: &Dataset) -> Result<Option<&EpochReport>> {
        if !self.fits(ds) {
            return Err(LabError::Dataset(
                "the classes or the image size changed; restart training".into(),
            ));
        }
        if ds.revision() != self.seen_revision {
            // Images were added, removed or re-split: indices may have moved,
            // so draw a fresh order over the current training split.
            ds.check_trainable()?;
            self.new_order(ds);
        }
        let b = self.config.batch_size().min(self.order.len() - self.cursor);
        let batch = &self.order[self.cursor..self.cursor + b];
        if self.batch_x.dim() != (b, ds.dim()) {
            self.batch_x = Array2::zeros((b, ds.dim()));
        }
        ds.fill_batch(batch, self.batch_x.view_mut());
        self.labels.clear();
        self.labels
            .extend(batch.iter().map(|&i| ds.samples()[i].given));
        self.cursor += b;

        let mut failure = None;
        for l in &mut self.learners {
            let loss = l.step(&self.batch_x, &self.labels);
            if !loss.is_finite() || !l.model.all_finite() {
                failure = Some(format!("the batch loss became {loss}"));
                break;
            }
            if loss > EXPLODED_LOSS {
                failure = Some(format!(
                    "the batch loss reached {loss:.3e} nats; a guess costs ln K = {:.2}",
                    (ds.num_classes() as f32).ln()
                ));
                break;
            }
        }
        if let Some(what) = failure {
            return Err(self.diverged(what));
        }
        if self.cursor < self.order.len() {
            return Ok(None);
        }
        self.finish_epoch(ds).map(Some)
    }

    fn diverged(&mut self, what: String) -> LabError {
        for l in &mut self.learners {
            l.roll_back();
        }
        self.evaluations.clear();
        LabError::Diverged(what)
    }

    fn finish_epoch(&mut self, ds: &Dataset) -> Result<&EpochReport> {
        let evaluations: Vec<Evaluation> = self
            .learners
            .iter()
            .map(|l| evaluate(&l.model, ds, l.epsilon))
            .collect();
        if let Some(bad) = evaluations.iter().find(|e| !e.report.is_finite()) {
            let what = format!("the mean loss became {}", bad.report.objective);
            return Err(self.diverged(what));
        }
        for l in &mut self.learners {
            l.save();
        }
        self.epoch += 1;
        self.reports.push(EpochReport {
            epoch: self.epoch,
            models: evaluations.iter().map(|e| e.report.clone()).collect(),
        });
        self.evaluations = evaluations;
        self.new_order(ds);
        Ok(self.reports.last().expect("just pushed"))
    }

    /// Runs up to `steps` steps; returns how many epochs they completed.
    pub fn steps(&mut self, ds: &Dataset, steps: usize) -> Result<usize> {
        let mut epochs = 0;
        for _ in 0..steps {
            epochs += self.step(ds)?.is_some() as usize;
        }
        Ok(epochs)
    }

    /// Runs to the end of the current epoch and returns its report.
    pub fn run_epoch(&mut self, ds: &Dataset) -> Result<EpochReport> {
        loop {
            if let Some(r) = self.step(ds)? {
                return Ok(r.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::config::Settings;
    use crate::core::data::{inject_noise, NoiseMode};

    /// Two Gaussian blobs per class in 6 dimensions: learnable, quick.
    fn blobs(n: usize, k: usize) -> Dataset {
        let mut ds6 = Dataset::new(2, 1, (0..k).map(|c| format!("c{c}")).collect()).unwrap();
        let mut rng = Rng::new(4);
        for i in 0..n {
            let c = i % k;
            let px: Vec<u8> = (0..4)
                .map(|d| {
                    let centre = if d % k == c { 200.0 } else { 60.0 };
                    (centre + rng.normal() * 25.0).clamp(0.0, 255.0) as u8
                })
                .collect();
            ds6.push_sample(&i.to_string(), &px, c, Some(c)).unwrap();
        }
        ds6.resplit();
        ds6
    }

    fn cfg(f: impl FnOnce(&mut Settings)) -> TrainConfig {
        let mut s = Settings {
            hidden: vec![16],
            batch_size: 8,
            learning_rate: 0.01,
            ..Settings::default()
        };
        f(&mut s);
        s.validate().unwrap()
    }

    #[test]
    fn same_seed_gives_identical_reports() {
        let mut ds = blobs(120, 3);
        inject_noise(&mut ds, NoiseMode::Flip, 0.3, 1).unwrap();
        let run = || {
            let mut t = Trainer::paired(&ds, cfg(|_| {})).unwrap();
            for _ in 0..3 {
                t.run_epoch(&ds).unwrap();
            }
            t.reports().to_vec()
        };
        assert_eq!(run(), run());
    }

    #[test]
    fn equal_epsilons_stay_identical_in_lockstep() {
        let ds = blobs(60, 2);
        let mut t = Trainer::new(&ds, cfg(|_| {}), &[0.1, 0.1]).unwrap();
        t.run_epoch(&ds).unwrap();
        t.steps(&ds, 3).unwrap();
        assert_eq!(t.model(0), t.model(1));
        assert_eq!(t.reports()[0].models[0], t.reports()[0].models[1]);
    }

    #[test]
    fn smoothing_changes_only_its_own_model() {
        let ds = blobs(60, 2);
        let mut a = Trainer::paired(&ds, cfg(|s| s.smoothing = 0.0)).unwrap();
        let mut b = Trainer::paired(&ds, cfg(|s| s.smoothing = 0.4)).unwrap();
        let ra = a.run_epoch(&ds).unwrap();
        let rb = b.run_epoch(&ds).unwrap();
        assert_eq!(ra.models[0], rb.models[0], "baselines must match");
        assert_ne!(ra.models[1], rb.models[1], "smoothed models must differ");
        // Live change: from the next step on.
        b.set_smoothing(1, 0.0).unwrap();
        assert!(b.set_smoothing(1, 1.0).is_err());
        assert!(b.set_smoothing(5, 0.1).is_err());
    }

    #[test]
    fn learns_the_blobs_and_counts_epochs() {
        let ds = blobs(200, 2);
        let mut t = Trainer::single(&ds, cfg(|_| {})).unwrap();
        assert_eq!(t.steps_per_epoch(&ds), 160usize.div_ceil(8));
        let epochs = t.steps(&ds, 20 * 5).unwrap();
        assert_eq!(epochs, 5);
        assert_eq!(t.epoch(), 5);
        let last = &t.reports()[4].models[0];
        assert!(last.test_acc.unwrap() > 0.9, "{last:?}");
        assert_eq!(t.evaluations()[0].loss_given.len(), ds.len());
    }

    #[test]
    fn divergence_is_an_error_and_keeps_finite_weights() {
        let ds = blobs(60, 2);
        let mut t = Trainer::paired(&ds, cfg(|_| {})).unwrap();
        let good = t.run_epoch(&ds).unwrap();
        t.steps(&ds, 2).unwrap();
        // An overflowed weight, as a far too large step would leave behind.
        t.learners[1].model.layers[0].w[[0, 0]] = f32::INFINITY;
        let err = t.step(&ds).unwrap_err();
        assert!(matches!(err, LabError::Diverged(_)), "{err}");
        assert!(err.to_string().contains("lower the learning rate"));
        // Both models are back at the last epoch end, still in lockstep.
        assert!(t.model(0).unwrap().all_finite() && t.model(1).unwrap().all_finite());
        assert_eq!(t.reports(), &[good]);
        assert_eq!(t.model(0), Some(&t.learners[0].snapshot.0));
    }

    #[test]
    fn a_huge_learning_rate_is_caught_as_divergence() {
        let ds = blobs(60, 2);
        let mut t = Trainer::paired(
            &ds,
            cfg(|s| {
                s.learning_rate = 1e6;
                s.optimizer = crate::core::OptimizerKind::Sgd;
            }),
        )
        .unwrap();
        let err = t.steps(&ds, 200).unwrap_err();
        assert!(matches!(err, LabError::Diverged(_)), "{err}");
        assert!(t.model(0).unwrap().all_finite() && t.model(1).unwrap().all_finite());
        assert!(t
            .reports()
            .iter()
            .all(|r| r.models.iter().all(|m| m.is_finite())));
    }

    #[test]
    fn dataset_changes_are_handled() {
        let mut ds = blobs(40, 2);
        let mut t = Trainer::paired(&ds, cfg(|_| {})).unwrap();
        t.steps(&ds, 2).unwrap();
        ds.add_sample("new", &[1, 2, 3, 4], 0, Some(0)).unwrap();
        t.steps(&ds, 2).unwrap();
        ds.add_class("third").unwrap();
        assert!(t.step(&ds).unwrap_err().to_string().contains("restart"));
        assert!(t
            .restart(&ds)
            .unwrap_err()
            .to_string()
            .contains("\"third\" has no training images"));
        let one = Dataset::new(1, 1, vec!["only".into()]).unwrap();
        assert!(Trainer::paired(&one, cfg(|_| {})).is_err());
    }
}
