//! A lab session: one dataset, the settings, and a paired trainer that is
//! (re)built when the data changes shape. The wasm boundary wraps this type
//! and only translates; everything a person can do to a session is here,
//! and so is tested natively.

use serde::Deserialize;

mod images;
mod lent;
mod lockstep;
mod measures;
mod search;

pub use lent::LentModel;
pub use lockstep::{OwnSlice, SliceOutcome};

use crate::core::config::{check_smoothing, Settings, TrainConfig};
use crate::core::data::{load_digits, Dataset};
use crate::core::error::{LabError, Result};
use crate::core::find::IssueFinder;
use crate::core::image::ColorMode;
use crate::core::train::{EpochReport, Trainer, SMOOTHED};

/// What a new lab starts from: the built-in digits, or an empty project of
/// `side`×`side` images in gray or colour (a project read back from a zip or
/// from storage says which).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
pub enum ProjectStart {
    Sample,
    Empty { side: usize, color: ColorMode },
}

#[derive(Debug, Clone)]
pub struct Lab {
    dataset: Dataset,
    config: TrainConfig,
    trainer: Option<Trainer>,
    /// Restarts asked for since the trainer was last built, so that each
    /// "restart both" draws new shared weights.
    restarts: u64,
    /// A running or finished search for mislabeled images.
    finder: Option<IssueFinder>,
    /// Trainers built so far: a trainer's number tells a model lent from it
    /// apart from one lent from an older trainer.
    builds: u64,
}

impl Lab {
    /// The one way a lab is made; the constructors below are shorthands.
    pub fn start(start: ProjectStart, settings: Settings) -> Result<Self> {
        let dataset = match start {
            ProjectStart::Sample => load_digits(),
            ProjectStart::Empty { side, color } => {
                Dataset::new(side, color.channels(), Vec::new())?
            }
        };
        Lab::with_dataset(dataset, settings)
    }

    /// An empty RGB project whose images are resized to `side`×`side`.
    pub fn new(side: usize, settings: Settings) -> Result<Self> {
        Lab::with_color(side, ColorMode::Rgb, settings)
    }

    /// The built-in scikit-learn digits.
    pub fn sample(settings: Settings) -> Result<Self> {
        Lab::start(ProjectStart::Sample, settings)
    }

    /// An empty project of `side`×`side` images in gray or colour.
    pub fn with_color(side: usize, color: ColorMode, settings: Settings) -> Result<Self> {
        Lab::start(ProjectStart::Empty { side, color }, settings)
    }

    pub fn with_dataset(mut dataset: Dataset, settings: Settings) -> Result<Self> {
        let config = settings.validate()?;
        dataset.set_split(dataset.holdout_fraction(), config.seed())?;
        Ok(Lab {
            dataset,
            config,
            trainer: None,
            restarts: 0,
            finder: None,
            builds: 0,
        })
    }

    pub fn dataset(&self) -> &Dataset {
        &self.dataset
    }
    pub fn settings(&self) -> &Settings {
        self.config.settings()
    }
    pub fn trainer(&self) -> Option<&Trainer> {
        self.trainer.as_ref()
    }

    pub(super) fn index_of(&self, id: u64) -> Result<usize> {
        self.dataset
            .index_of(id)
            .ok_or_else(|| LabError::Dataset(format!("image {id} does not exist")))
    }

    // ---- settings ----

    /// Changes the smoothed model's ε live, without a restart.
    pub fn set_smoothing(&mut self, epsilon: f64) -> Result<()> {
        check_smoothing(epsilon)?;
        self.config = self.config.with_smoothing(epsilon)?;
        if let Some(t) = &mut self.trainer {
            t.set_smoothing(SMOOTHED, epsilon)?;
        }
        Ok(())
    }

    /// New settings (validated); both models start afresh.
    pub fn configure(&mut self, settings: Settings) -> Result<()> {
        let config = settings.validate()?;
        if config.seed() != self.config.seed() {
            self.dataset
                .set_split(self.dataset.holdout_fraction(), config.seed())?;
        }
        self.config = config;
        self.trainer = None;
        self.restarts = 0;
        Ok(())
    }

    /// Both models restart from new shared initial weights.
    pub fn restart(&mut self) -> Result<()> {
        self.restarts += 1;
        self.trainer = None;
        self.ensure_trainer().map(|_| ())
    }

    fn ensure_trainer(&mut self) -> Result<&mut Trainer> {
        let stale = self.trainer.as_ref().is_none_or(|t| !t.fits(&self.dataset));
        if stale {
            let t = Trainer::paired_run(&self.dataset, self.config.clone(), self.restarts)?;
            self.trainer = Some(t);
            self.builds += 1;
        }
        Ok(self.trainer.as_mut().expect("just ensured"))
    }

    // ---- training ----

    /// Runs `steps` mini-batch steps on both models; returns how many epochs
    /// ended. Errors say why training cannot go on (and leave the last
    /// finite weights in place).
    pub fn step(&mut self, steps: usize) -> Result<usize> {
        let ds = &self.dataset;
        let stale = self.trainer.as_ref().is_none_or(|t| !t.fits(ds));
        if stale {
            self.ensure_trainer()?;
        }
        let trainer = self.trainer.as_mut().expect("ensured above");
        if (0..trainer.epsilons().len()).any(|m| trainer.is_lent(m)) {
            return Err(LabError::Dataset(
                "a model is training in another worker; take it back first".into(),
            ));
        }
        trainer.steps(&self.dataset, steps)
    }

    pub fn steps_per_epoch(&self) -> usize {
        let b = self.config.batch_size();
        self.dataset.train_indices().len().div_ceil(b)
    }

    pub fn epoch(&self) -> usize {
        self.trainer.as_ref().map_or(0, Trainer::epoch)
    }

    /// The points of the curves since the models last (re)started.
    pub fn reports(&self) -> &[EpochReport] {
        self.trainer.as_ref().map_or(&[][..], Trainer::reports)
    }

    /// The points after the first `skip` (those a caller has already read).
    pub fn reports_from(&self, skip: usize) -> &[EpochReport] {
        let reports = self.reports();
        &reports[skip.min(reports.len())..]
    }
}

#[cfg(test)]
mod tests;
