//! Dataset cartography (Swayamdipta et al. 2020, "Dataset Cartography"):
//! for each training image, the model's probability of the image's given
//! label, p(given), taken once at every epoch end. Its mean over the epochs
//! is the image's *confidence*, its population standard deviation over the
//! epochs its *variability*. Easy images sit at high confidence, images the
//! model cannot learn (often mislabeled ones) at low confidence, and
//! ambiguous ones at high variability.
//!
//! The statistics follow each image by its id, and start over when its
//! given label changes: p(given) of another label is another series.

use std::collections::HashMap;

use super::Evaluation;
use crate::core::data::Dataset;

/// Running mean and spread of a series (Welford 1962), so that no history
/// of p values has to be kept per image.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Welford {
    pub(super) count: u32,
    pub(super) mean: f64,
    pub(super) m2: f64,
}

impl Welford {
    pub fn push(&mut self, x: f64) {
        self.count += 1;
        let delta = x - self.mean;
        self.mean += delta / self.count as f64;
        self.m2 += delta * (x - self.mean);
    }
    pub fn count(&self) -> u32 {
        self.count
    }
    /// NaN before the first value.
    pub fn mean(&self) -> f64 {
        if self.count == 0 {
            f64::NAN
        } else {
            self.mean
        }
    }
    /// √(M2 / n): the population standard deviation, as the paper takes it
    /// over the epochs (not the sample one, which divides by n − 1).
    pub fn population_std(&self) -> f64 {
        if self.count == 0 {
            f64::NAN
        } else {
            (self.m2 / self.count as f64).sqrt()
        }
    }
}

/// One image's series, with the given label it was measured against.
#[derive(Debug, Clone, Copy)]
pub(super) struct Track {
    pub(super) given: usize,
    pub(super) stats: Welford,
}

/// One point of the data map: a training image where it stands now.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MapPoint {
    pub id: u64,
    /// Mean p(given) over the epochs counted (NaN before the first).
    pub confidence: f64,
    /// Population standard deviation of p(given) over those epochs.
    pub variability: f64,
    pub epochs: u32,
    pub given: usize,
    pub truth: Option<usize>,
    pub mislabeled: bool,
}

/// One model's data map statistics, by image id.
#[derive(Debug, Clone, Default)]
pub struct Cartography {
    pub(super) tracks: HashMap<u64, Track>,
}

impl Cartography {
    /// Adds an epoch end's p(given) of every training image, from an
    /// evaluation made on `ds` as it is now. Images removed or held out
    /// since are dropped, and an image whose given label changed starts a
    /// new series. Returns the map as it was before (to undo the epoch end,
    /// without a copy).
    pub fn record(&mut self, ds: &Dataset, eval: &Evaluation) -> Cartography {
        debug_assert_eq!(eval.ids.len(), ds.len());
        let mut next = HashMap::with_capacity(ds.len());
        for (i, s) in ds.samples().iter().enumerate() {
            if s.holdout || eval.ids.get(i) != Some(&s.id) {
                continue;
            }
            let mut track = match self.tracks.get(&s.id) {
                Some(t) if t.given == s.given => *t,
                _ => Track {
                    given: s.given,
                    stats: Welford::default(),
                },
            };
            // The evaluation keeps −log p(given); p is what the map averages.
            track.stats.push((-eval.loss_given[i] as f64).exp());
            next.insert(s.id, track);
        }
        Cartography {
            tracks: std::mem::replace(&mut self.tracks, next),
        }
    }

    /// Every training image of `ds`, in dataset order; an image not measured
    /// yet, or relabelled since, has counted no epochs.
    pub fn points(&self, ds: &Dataset) -> Vec<MapPoint> {
        ds.samples()
            .iter()
            .filter(|s| !s.holdout)
            .map(|s| {
                let stats = match self.tracks.get(&s.id) {
                    Some(t) if t.given == s.given => t.stats,
                    _ => Welford::default(),
                };
                MapPoint {
                    id: s.id,
                    confidence: stats.mean(),
                    variability: stats.population_std(),
                    epochs: stats.count(),
                    given: s.given,
                    truth: s.truth,
                    mislabeled: s.is_mislabeled(),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::nn::Mlp;
    use crate::core::train::evaluate;

    #[test]
    fn welford_gives_the_mean_and_population_std_by_hand() {
        // p = 0.2, 0.4, 0.9: mean 0.5; squared deviations 0.09 + 0.01 + 0.16
        // = 0.26, over n = 3 epochs: variance 0.08667, std 0.29439.
        let mut w = Welford::default();
        assert!(w.mean().is_nan() && w.population_std().is_nan());
        for p in [0.2, 0.4, 0.9] {
            w.push(p);
        }
        assert_eq!(w.count(), 3);
        assert!((w.mean() - 0.5).abs() < 1e-12);
        assert!((w.population_std() - (0.26f64 / 3.0).sqrt()).abs() < 1e-12);
        assert!((w.population_std() - 0.294_392).abs() < 1e-6);
        // One epoch: no spread yet.
        let mut one = Welford::default();
        one.push(0.7);
        assert_eq!((one.mean(), one.population_std()), (0.7, 0.0));
    }

    fn two_images() -> Dataset {
        let mut ds = Dataset::new(1, 1, vec!["a".into(), "b".into()]).unwrap();
        ds.push_sample("x", &[10], 0, Some(0)).unwrap();
        ds.push_sample("y", &[200], 1, Some(1)).unwrap();
        ds
    }

    /// An evaluation of `ds` whose p(given) is `p` for every image.
    fn with_p(ds: &Dataset, p: &[f32]) -> Evaluation {
        let mut e = evaluate(&Mlp::new(&[1, 2, 2], 0), ds, 0.0);
        e.loss_given = p.iter().map(|p| -p.ln()).collect();
        e
    }

    #[test]
    fn a_history_of_p_values_becomes_confidence_and_variability() {
        let ds = two_images();
        let mut map = Cartography::default();
        assert!(map.points(&ds).iter().all(|p| p.epochs == 0));
        for (a, b) in [(0.2, 0.9), (0.4, 0.9), (0.9, 0.9)] {
            map.record(&ds, &with_p(&ds, &[a, b]));
        }
        let points = map.points(&ds);
        assert_eq!(points.len(), 2);
        assert_eq!(points[0].epochs, 3);
        assert!((points[0].confidence - 0.5).abs() < 1e-6);
        assert!((points[0].variability - 0.294_392).abs() < 1e-6);
        assert!((points[1].confidence - 0.9).abs() < 1e-6);
        assert!(points[1].variability.abs() < 1e-6);
    }

    #[test]
    fn a_relabelled_image_starts_a_new_series() {
        let mut ds = two_images();
        let mut map = Cartography::default();
        map.record(&ds, &with_p(&ds, &[0.8, 0.8]));
        map.record(&ds, &with_p(&ds, &[0.6, 0.6]));
        ds.mislabel(0, 1).unwrap();
        // At once, before the next epoch end: the old series is not shown
        // for the new label.
        let now = map.points(&ds);
        assert_eq!((now[0].epochs, now[0].given, now[0].truth), (0, 1, Some(0)));
        assert!(now[0].mislabeled && now[0].confidence.is_nan());
        assert_eq!(now[1].epochs, 2);
        map.record(&ds, &with_p(&ds, &[0.1, 0.4]));
        let next = map.points(&ds);
        assert_eq!(next[0].epochs, 1);
        assert!((next[0].confidence - 0.1).abs() < 1e-6);
        assert_eq!(next[1].epochs, 3);
        assert!((next[1].confidence - 0.6).abs() < 1e-6);
    }
}
