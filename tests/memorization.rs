//! The science the lab shows, measured on the built-in digits: networks fit
//! clean labels first and memorize mislabeled ones later (Arpit et al. 2017).

use smoothlab::core::data::load_digits;
use smoothlab::{inject_noise, NoiseMode, OptimizerKind, Settings, Trainer};

fn settings(smoothing: f64) -> Settings {
    Settings {
        smoothing,
        learning_rate: 1e-3,
        hidden: vec![256],
        batch_size: 32,
        optimizer: OptimizerKind::Adam,
        seed: 1,
        ..Settings::default()
    }
}

/// Long (150 epochs): `make test` runs it in release mode with `--ignored`.
#[test]
#[ignore = "long; run in release with --ignored"]
fn clean_first_then_memorized_at_40_percent_flip() {
    let mut ds = load_digits();
    inject_noise(&mut ds, NoiseMode::Flip, 0.4, 1).unwrap();
    let mut trainer = Trainer::single(&ds, settings(0.0).validate().unwrap()).unwrap();
    for _ in 0..150 {
        trainer.run_epoch(&ds).unwrap();
    }
    let at = |epoch: usize| &trainer.reports()[epoch - 1].models[0];
    let e10 = at(10);
    let ratio = e10.noisy_loss.unwrap() / e10.clean_loss.unwrap();
    println!("epoch 10: mislabeled/clean −log p(given) = {ratio:.2}");
    assert!(ratio >= 2.5, "epoch 10 ratio {ratio:.2} < 2.5: {e10:?}");
    let memorized = at(150).memorized.unwrap();
    println!("epoch 150: memorized {memorized:.3}");
    assert!(
        memorized > 0.5,
        "only {memorized:.3} memorized by epoch 150"
    );
    // Held-out accuracy peaks early, then falls as noise is memorized.
    let peak = trainer
        .reports()
        .iter()
        .map(|r| r.models[0].test_acc.unwrap())
        .fold(0.0, f64::max);
    assert!(at(150).test_acc.unwrap() < peak - 0.05);
}

#[test]
fn same_seed_gives_identical_reports_on_digits() {
    let run = || {
        let mut ds = load_digits();
        inject_noise(&mut ds, NoiseMode::Flip, 0.2, 7).unwrap();
        let mut t = Trainer::paired(&ds, settings(0.2).validate().unwrap()).unwrap();
        (0..2)
            .map(|_| t.run_epoch(&ds).unwrap())
            .collect::<Vec<_>>()
    };
    let (a, b) = (run(), run());
    assert_eq!(a, b);
    assert_ne!(a[1].models[0], a[1].models[1], "ε must make a difference");
}

#[test]
fn flip_noise_on_digits_is_exact_and_spares_the_held_out_split() {
    let mut ds = load_digits();
    let n_train = ds.train_indices().len();
    let flipped = inject_noise(&mut ds, NoiseMode::Flip, 0.4, 3).unwrap();
    assert_eq!(flipped, (0.4 * n_train as f64).round() as usize);
    assert!(ds
        .holdout_indices()
        .iter()
        .all(|&i| !ds.samples()[i].is_mislabeled()));
    assert_eq!(smoothlab::clear_noise(&mut ds), flipped);
    assert_eq!(ds.mislabeled_count(), 0);
}
