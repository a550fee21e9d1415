//! Confident learning on the digits with injected noise, against the truth.

use smoothlab::core::data::load_digits;
use smoothlab::core::find::{find_label_issues, flag_quality, Filter, FlagQuality};
use smoothlab::core::find::{in_sample_probabilities, CrossValidation};
use smoothlab::{inject_noise, NoiseMode, Settings, Trainer};

fn run(epochs: usize, hidden: usize, seed: u64) -> FlagQuality {
    let mut ds = load_digits();
    inject_noise(&mut ds, NoiseMode::Flip, 0.2, seed).unwrap();
    let config = Settings {
        hidden: vec![hidden],
        learning_rate: 1e-3,
        batch_size: 32,
        seed,
        ..Settings::default()
    }
    .validate()
    .unwrap();
    let mut cv = CrossValidation::new(&ds, config, 5, epochs).unwrap();
    cv.run(&ds, |_| {}).unwrap();
    let given: Vec<usize> = ds.samples().iter().map(|s| s.given).collect();
    let found =
        find_label_issues(cv.probabilities().view(), &given, Filter::PruneByNoiseRate).unwrap();
    let truth: Vec<bool> = ds.samples().iter().map(|s| s.is_mislabeled()).collect();
    flag_quality(&found.issues, &truth)
}

/// Measured: seeds 1, 2, 3 give precision 0.948, 0.958, 0.941 and recall
/// 0.882, 0.872, 0.882 (288 flipped labels each); the bar sits just below.
#[test]
fn five_fold_confident_learning_finds_flipped_digits() {
    for seed in [1, 2, 3] {
        let q = run(10, 256, seed);
        println!("seed {seed}: {q:?}");
        assert!(q.precision.unwrap() >= 0.93, "seed {seed}: {q:?}");
        assert!(q.recall.unwrap() >= 0.865, "seed {seed}: {q:?}");
    }
}

#[test]
fn results_are_deterministic_per_seed() {
    assert_eq!(run(2, 32, 4), run(2, 32, 4));
}

/// In-sample probabilities of a model that has memorized the noise rank the
/// mislabeled images far worse than out-of-sample ones.
#[test]
fn in_sample_probabilities_miss_memorized_noise() {
    let mut ds = load_digits();
    inject_noise(&mut ds, NoiseMode::Flip, 0.2, 1).unwrap();
    let config = Settings {
        hidden: vec![256],
        seed: 1,
        ..Settings::default()
    }
    .validate()
    .unwrap();
    let mut t = Trainer::single(&ds, config).unwrap();
    for _ in 0..150 {
        t.run_epoch(&ds).unwrap();
    }
    let probs = in_sample_probabilities(t.model(0).unwrap(), &ds);
    let given: Vec<usize> = ds.samples().iter().map(|s| s.given).collect();
    let found = find_label_issues(probs.view(), &given, Filter::PruneByNoiseRate).unwrap();
    let truth: Vec<bool> = ds.samples().iter().map(|s| s.is_mislabeled()).collect();
    let q = flag_quality(&found.issues, &truth);
    println!("in-sample after 150 epochs: {q:?}");
    assert!(q.recall.unwrap_or(0.0) < 0.7, "{q:?}");
}
