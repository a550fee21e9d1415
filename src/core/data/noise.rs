//! Label noise that remembers the truth: every mode keeps each sample's true
//! label and changes only the given one, and only in the training split.

use serde::{Deserialize, Serialize};

use crate::core::data::Dataset;
use crate::core::error::{LabError, Result};
use crate::core::limits;
use crate::core::rng::Rng;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NoiseMode {
    /// Exactly round(ρ·N) training samples move to another class drawn
    /// uniformly (Co-teaching's "symmetric" noise; Han et al. 2018).
    Flip,
    /// Each training sample, with probability ρ, gets a label drawn uniformly
    /// from all K classes, possibly its own (Lukasik et al. 2020).
    Uniform,
    /// Exactly round(ρ·N) training samples move from class i to i+1 mod K.
    Pair,
}

impl std::str::FromStr for NoiseMode {
    type Err = LabError;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "flip" | "symmetric" => Ok(NoiseMode::Flip),
            "uniform" => Ok(NoiseMode::Uniform),
            "pair" => Ok(NoiseMode::Pair),
            _ => Err(LabError::setting("noise mode", "flip, uniform or pair", s)),
        }
    }
}

/// Restores every given label to its true one; returns how many changed.
pub fn clear_noise(ds: &mut Dataset) -> usize {
    let mut changed = 0;
    for s in ds.samples_mut() {
        if let Some(t) = s.truth {
            if s.given != t {
                s.given = t;
                changed += 1;
            }
        }
    }
    changed
}

/// Clears earlier noise, then corrupts a share `rate` of the training labels.
/// Samples whose truth was unknown take their given label as the truth first.
/// Returns how many training samples end up mislabeled.
pub fn inject_noise(ds: &mut Dataset, mode: NoiseMode, rate: f64, seed: u64) -> Result<usize> {
    limits::NOISE_RATE.check(rate)?;
    let k = ds.num_classes();
    if k < 2 && rate > 0.0 {
        return Err(LabError::Dataset(
            "label noise needs at least two classes".into(),
        ));
    }
    clear_noise(ds);
    for s in ds.samples_mut() {
        s.truth = Some(s.reference_label());
    }
    let mut rng = Rng::derived(seed, 0x0_15E);
    let mut train = ds.train_indices();
    let samples = ds.samples_mut();
    match mode {
        NoiseMode::Flip | NoiseMode::Pair => {
            rng.shuffle(&mut train);
            let count = (rate * train.len() as f64).round() as usize;
            for &i in &train[..count] {
                let t = samples[i].given;
                samples[i].given = match mode {
                    // A uniform draw among the K−1 other classes.
                    NoiseMode::Flip => (t + 1 + rng.below(k - 1)) % k,
                    _ => (t + 1) % k,
                };
            }
        }
        NoiseMode::Uniform => {
            for &i in &train {
                if rng.uniform() < rate {
                    samples[i].given = rng.below(k);
                }
            }
        }
    }
    Ok(ds.mislabeled_in_training())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy() -> Dataset {
        let mut ds = Dataset::new(1, 1, (0..4).map(|c| c.to_string()).collect()).unwrap();
        for i in 0..200 {
            ds.push_sample(&i.to_string(), &[0], i % 4, Some(i % 4))
                .unwrap();
        }
        ds.resplit();
        ds
    }

    #[test]
    fn flip_changes_exactly_round_rho_n_training_labels() {
        let mut ds = toy();
        let n_train = ds.train_indices().len();
        assert_eq!(n_train, 160);
        let n = inject_noise(&mut ds, NoiseMode::Flip, 0.4, 9).unwrap();
        assert_eq!(n, 64);
        assert!(ds
            .samples()
            .iter()
            .filter(|s| s.holdout)
            .all(|s| !s.is_mislabeled()));
        assert!(ds
            .samples()
            .iter()
            .all(|s| s.truth == Some(s.id as usize % 4)));
        // Injecting again starts from the truth, so the count stays exact.
        assert_eq!(inject_noise(&mut ds, NoiseMode::Flip, 0.1, 9).unwrap(), 16);
        assert_eq!(clear_noise(&mut ds), 16);
        assert_eq!(ds.mislabeled_count(), 0);
    }

    #[test]
    fn flip_targets_are_spread_over_other_classes() {
        let mut ds = toy();
        inject_noise(&mut ds, NoiseMode::Flip, 1.0, 3).unwrap();
        let mut offsets = [0usize; 4];
        for s in ds.samples().iter().filter(|s| !s.holdout) {
            offsets[(s.given + 4 - s.truth.unwrap()) % 4] += 1;
        }
        assert_eq!(offsets[0], 0);
        assert!(offsets[1..].iter().all(|&c| c > 30), "{offsets:?}");
    }

    #[test]
    fn pair_maps_i_to_i_plus_one() {
        let mut ds = toy();
        inject_noise(&mut ds, NoiseMode::Pair, 0.5, 1).unwrap();
        for s in ds.samples().iter().filter(|s| s.is_mislabeled()) {
            assert_eq!(s.given, (s.truth.unwrap() + 1) % 4);
        }
        assert_eq!(ds.mislabeled_count(), 80);
    }

    #[test]
    fn uniform_may_keep_the_true_label() {
        let mut ds = toy();
        let n = inject_noise(&mut ds, NoiseMode::Uniform, 0.5, 1).unwrap();
        // About ρ·(K−1)/K = 37.5% of 160 = 60 change.
        assert!((40..=80).contains(&n), "{n}");
    }

    #[test]
    fn same_seed_same_noise_and_bad_rates_fail() {
        let (mut a, mut b) = (toy(), toy());
        inject_noise(&mut a, NoiseMode::Flip, 0.3, 5).unwrap();
        inject_noise(&mut b, NoiseMode::Flip, 0.3, 5).unwrap();
        assert_eq!(a.samples(), b.samples());
        assert!(inject_noise(&mut a, NoiseMode::Flip, 1.5, 5).is_err());
        assert!("pairs".parse::<NoiseMode>().is_err());
    }
}
