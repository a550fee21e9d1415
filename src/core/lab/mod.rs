//! A lab session: one dataset, the settings, and a paired trainer that is
//! (re)built when the data changes shape. The wasm boundary wraps this type
//! and only translates; everything a person can do to a session is here,
//! and so is tested natively.

use serde::Deserialize;

mod images;
mod search;

use crate::core::config::{check_smoothing, Settings, TrainConfig};
use crate::core::data::{load_digits, Dataset};
use crate::core::error::{LabError, Result};
use crate::core::find::IssueFinder;
use crate::core::image::ColorMode;
use crate::core::train::{
    Cartography, EpochReport, MapPoint, ModelId, ReliabilityBin, Trainer, SMOOTHED,
};

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

    /// Per-image −log p(given) of a model at the last point measured, aligned with
    /// the current images (NaN for images added since).
    pub fn losses_given(&self, model: ModelId) -> Vec<f32> {
        self.per_image(model.index(), f32::NAN, |e, j| e.loss_given[j])
    }

    /// Per-image predicted class at the last point measured (u32::MAX if unknown).
    pub fn predictions(&self, model: ModelId) -> Vec<u32> {
        self.per_image(model.index(), u32::MAX, |e, j| e.predictions[j])
    }

    /// A model's reliability table on the held-out images at the last point
    /// measured; empty before the first.
    pub fn reliability(&self, model: ModelId) -> Vec<ReliabilityBin> {
        self.trainer
            .as_ref()
            .and_then(|t| t.evaluations().get(model.index()))
            .map(|e| e.reliability.clone())
            .unwrap_or_default()
    }

    /// A model's data map: every training image's confidence and
    /// variability over the epoch ends since the models (re)started, in
    /// dataset order (no epochs counted before the first epoch end, or
    /// since the image's given label last changed).
    pub fn data_map(&self, model: ModelId) -> Vec<MapPoint> {
        let none = Cartography::default();
        let map = self
            .trainer
            .as_ref()
            .and_then(|t| t.cartography(model.index()))
            .unwrap_or(&none);
        map.points(&self.dataset)
    }

    fn per_image<T: Copy>(
        &self,
        model: usize,
        missing: T,
        get: impl Fn(&crate::core::train::Evaluation, usize) -> T,
    ) -> Vec<T> {
        let eval = self
            .trainer
            .as_ref()
            .and_then(|t| t.evaluations().get(model));
        let Some(eval) = eval else {
            return vec![missing; self.dataset.len()];
        };
        let position: std::collections::HashMap<u64, usize> = eval
            .ids
            .iter()
            .enumerate()
            .map(|(j, &id)| (id, j))
            .collect();
        self.dataset
            .samples()
            .iter()
            .map(|s| position.get(&s.id).map_or(missing, |&j| get(eval, j)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::data::NoiseMode;
    use crate::core::find::Filter;

    fn png(rgb: [u8; 3]) -> Vec<u8> {
        let img = image::RgbImage::from_pixel(12, 10, image::Rgb(rgb));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    fn two_class_lab() -> Lab {
        let mut lab = Lab::new(4, Settings::default()).unwrap();
        lab.add_class("red").unwrap();
        lab.add_class("blue").unwrap();
        for i in 0..10u8 {
            lab.add_image(&format!("r{i}.png"), &png([200 + i, 10, 10]), 0)
                .unwrap();
            lab.add_image(&format!("b{i}.png"), &png([10, 10, 200 + i]), 1)
                .unwrap();
        }
        lab
    }

    #[test]
    fn a_session_trains_on_decoded_images() {
        let mut lab = two_class_lab();
        assert_eq!(lab.dataset().len(), 20);
        let spe = lab.steps_per_epoch();
        assert_eq!(lab.step(spe * 2).unwrap(), 2);
        assert_eq!(lab.reports_from(1).len(), 1);
        assert_eq!(lab.reports_from(5).len(), 0);
        assert_eq!(lab.losses_given(ModelId::Baseline).len(), 20);
        assert!(lab
            .losses_given(ModelId::Smoothed)
            .iter()
            .all(|v| v.is_finite()));
    }

    #[test]
    fn losses_follow_the_images_at_points_within_an_epoch() {
        let mut lab = two_class_lab();
        let settings = Settings {
            points_per_epoch: 4,
            batch_size: 4,
            ..Settings::default()
        };
        lab.configure(settings).unwrap();
        lab.step(1).unwrap(); // 16 training images: 4 steps, a point each
        assert_eq!(lab.reports().len(), 1);
        assert!(lab
            .losses_given(ModelId::Baseline)
            .iter()
            .all(|v| v.is_finite()));
        // An image removed before the next point: the last point's losses
        // still belong to the images they were measured on.
        let before = lab.losses_given(ModelId::Baseline);
        let gone = lab.dataset().samples()[3].id;
        lab.remove_image(gone).unwrap();
        let after = lab.losses_given(ModelId::Baseline);
        let kept: Vec<f32> = before
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != 3)
            .map(|(_, &v)| v)
            .collect();
        assert_eq!(after, kept);
        lab.step(1).unwrap();
        assert_eq!(lab.losses_given(ModelId::Smoothed).len(), 19);
        assert!(lab.predictions(ModelId::Baseline).iter().all(|&p| p < 2));
    }

    #[test]
    fn the_data_map_counts_epoch_ends_and_starts_over() {
        let mut lab = two_class_lab();
        let training = lab.dataset().train_indices().len();
        assert!(lab
            .data_map(ModelId::Baseline)
            .iter()
            .all(|p| p.epochs == 0));
        let spe = lab.steps_per_epoch();
        lab.step(spe * 2).unwrap();
        let map = lab.data_map(ModelId::Smoothed);
        assert_eq!(map.len(), training);
        assert!(map.iter().all(|p| p.epochs == 2));
        assert!(map
            .iter()
            .all(|p| (0.0..=1.0).contains(&p.confidence) && (0.0..=0.5).contains(&p.variability)));
        // The last epoch end's p(given) is one of the two averaged.
        let p_last =
            (-lab.losses_given(ModelId::Smoothed)[lab.index_of(map[0].id).unwrap()] as f64).exp();
        assert!((p_last - map[0].confidence).abs() <= map[0].variability + 1e-6);

        // Mislabelling one image starts its series over; the others go on.
        let id = map[0].id;
        lab.mislabel(id, 1 - map[0].given).unwrap();
        let map = lab.data_map(ModelId::Baseline);
        assert_eq!((map[0].epochs, map[0].mislabeled), (0, true));
        lab.step(spe).unwrap();
        let map = lab.data_map(ModelId::Baseline);
        assert_eq!(map[0].epochs, 1);
        assert!(map[1..].iter().all(|p| p.epochs == 3));
        // A restart forgets every series.
        lab.restart().unwrap();
        assert!(lab
            .data_map(ModelId::Baseline)
            .iter()
            .all(|p| p.epochs == 0));
    }

    #[test]
    fn bad_bytes_and_bad_settings_are_errors() {
        let mut lab = two_class_lab();
        let e = lab.add_image("x.jpg", b"not an image", 0).unwrap_err();
        assert!(e.to_string().starts_with("x.jpg: "), "{e}");
        assert!(lab.add_image("y.png", &png([1, 2, 3]), 7).is_err());
        assert!(lab.set_smoothing(1.0).is_err());
        assert_eq!(lab.dataset().len(), 20);
    }

    #[test]
    fn decoded_pixels_are_added_like_files() {
        let mut lab = two_class_lab();
        let red = [200, 10, 10, 255].repeat(16);
        let id = lab.add_rgba("r.jpg", &red, 0).unwrap();
        let from_file = lab.add_image("r.png", &png([200, 10, 10]), 0).unwrap();
        assert_eq!(
            lab.thumbnail_rgba(id).unwrap(),
            lab.thumbnail_rgba(from_file).unwrap()
        );
        assert!(lab.add_rgba("short.jpg", &red[4..], 0).is_err());
        assert!(lab.add_rgba("r.jpg", &red, 2).is_err());
        assert_eq!(lab.dataset().len(), 22);
    }

    #[test]
    fn class_changes_rebuild_the_models_and_restart_draws_new_weights() {
        let mut lab = two_class_lab();
        lab.step(3).unwrap();
        lab.add_class("green").unwrap();
        let msg = lab.step(1).unwrap_err().to_string();
        assert!(msg.contains("\"green\" has no training images"), "{msg}");
        lab.remove_class(2).unwrap();
        lab.step(1).unwrap();
        let before = lab.trainer().unwrap().model(0).unwrap().clone();
        lab.restart().unwrap();
        assert_ne!(lab.trainer().unwrap().model(0).unwrap(), &before);
        assert_eq!(lab.epoch(), 0);
    }

    #[test]
    fn losses_follow_images_by_id() {
        let mut lab = two_class_lab();
        let spe = lab.steps_per_epoch();
        lab.step(spe).unwrap();
        let before = lab.losses_given(ModelId::Baseline);
        let first = lab.dataset().samples()[0].id;
        lab.remove_image(first).unwrap();
        let after = lab.losses_given(ModelId::Baseline);
        assert_eq!(after, before[1..].to_vec());
        lab.add_image("new.png", &png([0, 0, 0]), 0).unwrap();
        assert!(lab.losses_given(ModelId::Baseline).last().unwrap().is_nan());
    }

    #[test]
    fn finds_issues_after_a_search() {
        let mut lab = two_class_lab();
        let first = lab.dataset().train_indices()[0];
        let id = lab.dataset().samples()[first].id;
        lab.mislabel(id, 1 - lab.dataset().samples()[first].given)
            .unwrap();
        assert!(lab.find_issues_step(1).is_err());
        lab.start_find_issues(2, 30).unwrap();
        while !lab.find_issues_step(50).unwrap().done {}
        let r = lab.find_issues_report(Filter::PruneByNoiseRate).unwrap();
        assert_eq!(r.out_of_sample.issues.first().map(|i| i.id), Some(id));
        assert!(r.in_sample.is_none());
    }

    #[test]
    fn features_replace_pixels_until_an_image_is_added() {
        let mut lab = two_class_lab();
        lab.step(1).unwrap();
        let n = lab.dataset().len();
        let values: Vec<f32> = (0..n * 5).map(|v| (v % 7) as f32 / 7.0).collect();
        lab.set_features(5, &values).unwrap();
        assert_eq!(lab.dataset().dim(), 5);
        assert_eq!(lab.epoch(), 0, "the models start afresh on features");
        let epoch_steps = lab.steps_per_epoch();
        assert_eq!(lab.step(epoch_steps).unwrap(), 1);
        assert_eq!(lab.trainer().unwrap().model(0).unwrap().sizes()[0], 5);
        lab.add_image("red.png", &png([200, 0, 0]), 0).unwrap();
        assert!(!lab.dataset().has_features());
        assert_eq!(lab.dataset().dim(), lab.dataset().pixel_dim());
    }

    #[test]
    fn sample_digits_with_noise() {
        let mut lab = Lab::sample(Settings::default()).unwrap();
        let n = lab.inject_noise(NoiseMode::Flip, 0.2, 1).unwrap();
        assert_eq!(
            n,
            (0.2f64 * lab.dataset().train_indices().len() as f64).round() as usize
        );
        assert_eq!(lab.dataset().mislabeled_count(), n);
        assert_eq!(lab.clear_noise(), n);
    }
}
