use super::*;
use crate::core::config::Settings;
use crate::core::data::{inject_noise, load_digits, NoiseMode};

/// The digits with 30% flipped training labels: real data, quick epochs.
fn noisy_digits() -> Dataset {
    let mut ds = load_digits();
    inject_noise(&mut ds, NoiseMode::Flip, 0.3, 1).unwrap();
    ds
}

fn config() -> TrainConfig {
    Settings {
        hidden: vec![32],
        learning_rate: 3e-3,
        seed: 99,
        ..Settings::default()
    }
    .validate()
    .unwrap()
}

fn sweep(ds: &Dataset, cfg: &TrainConfig, eps: &[f32], seed: u64, epochs: usize) -> SweepSeed {
    let mut run = SweepSeed::new(ds, cfg, eps, seed, epochs).unwrap();
    let mut steps = 0;
    while !run.step_epoch(ds).unwrap() {
        steps += 1;
    }
    assert_eq!(steps + 1, epochs, "done exactly at the last epoch");
    run
}

#[test]
fn each_epsilon_trains_as_it_would_alone() {
    let ds = noisy_digits();
    let eps = [0.0, 0.1, 0.3];
    let epochs = 3;
    for seed in [1, 2] {
        let run = sweep(&ds, &config(), &eps, seed, epochs);
        assert_eq!(run.epochs_done(), epochs);
        let result = run.result();
        assert_eq!((result.seed, result.epochs), (seed, epochs));
        for (m, &e) in eps.iter().enumerate() {
            let mut alone = Trainer::new(&ds, config().with_seed(seed), &[e]).unwrap();
            for _ in 0..epochs {
                alone.run_epoch(&ds).unwrap();
            }
            assert_eq!(alone.reports().len(), run.reports().len());
            for (a, s) in alone.reports().iter().zip(run.reports()) {
                assert_eq!(a.epoch, s.epoch);
                assert_eq!(a.models[0], s.models[m], "seed {seed}, ε {e}");
            }
            let last = &alone.reports()[epochs - 1].models[0];
            let peak = alone
                .reports()
                .iter()
                .map(|r| r.models[0].test_acc.unwrap())
                .fold(0.0, f64::max);
            let got = &result.models[m];
            assert_eq!(got.epsilon, e);
            assert_eq!(got.peak_test_acc, Some(peak));
            assert_eq!(got.final_test_acc, last.test_acc);
            assert_eq!(got.final_test_ece, last.test_ece);
            assert_eq!(got.final_memorized, last.memorized);
            assert!(got.final_memorized.is_some(), "the digits carry noise");
        }
    }
}

#[test]
fn seeds_change_the_weights_but_not_the_split_or_the_noise() {
    let ds = noisy_digits();
    let eps = [0.0, 0.2];
    let one = sweep(&ds, &config(), &eps, 1, 1);
    let two = sweep(&ds, &config(), &eps, 2, 1);
    let (a, b) = (&one.reports()[0].models[0], &two.reports()[0].models[0]);
    assert_ne!(a.objective, b.objective, "another seed, other weights");
    // The same held-out split and the same mislabeled samples.
    assert_eq!(
        (a.n_clean, a.n_noisy, a.n_test),
        (b.n_clean, b.n_noisy, b.n_test)
    );
    assert!(a.n_noisy > 0 && a.n_test > 0);
    // The sweep's seed replaces the config's: another config seed, same run.
    let other_config = config().with_seed(12345);
    let again = sweep(&ds, &other_config, &eps, 2, 1);
    assert_eq!(again.reports(), two.reports());
}

#[test]
fn a_sweep_needs_an_epsilon_and_an_epoch() {
    let ds = noisy_digits();
    assert!(SweepSeed::new(&ds, &config(), &[], 1, 3).is_err());
    assert!(SweepSeed::new(&ds, &config(), &[0.1], 1, 0).is_err());
    assert!(SweepSeed::new(&ds, &config(), &[1.0], 1, 3).is_err());
}

#[test]
fn run_sweep_is_its_seeds_one_after_another() {
    let ds = noisy_digits();
    let eps = [0.0, 0.3];
    let mut calls = Vec::new();
    let runs = run_sweep(&ds, &config(), &eps, &[4, 5], 2, |s, e| calls.push((s, e))).unwrap();
    assert_eq!(calls, [(4, 1), (4, 2), (5, 1), (5, 2)]);
    assert_eq!(runs[1], sweep(&ds, &config(), &eps, 5, 2).result());
}

fn model(epsilon: f32, acc: f64, ece: f64, memorized: Option<f64>) -> EpsilonRun {
    EpsilonRun {
        epsilon,
        peak_test_acc: Some(acc + 0.125),
        final_test_acc: Some(acc),
        final_test_ece: Some(ece),
        final_memorized: memorized,
    }
}

fn seed_run(seed: u64, models: Vec<EpsilonRun>) -> SeedRun {
    SeedRun {
        seed,
        epochs: 10,
        models,
    }
}

#[test]
fn summarise_gives_mean_sample_sd_and_range_per_epsilon() {
    let runs = [
        seed_run(
            1,
            vec![
                model(0.0, 0.25, 0.125, Some(0.5)),
                model(0.1, 0.5, 0.25, None),
            ],
        ),
        seed_run(
            2,
            vec![
                model(0.0, 0.75, 0.375, Some(0.5)),
                model(0.1, 0.5, 0.25, None),
            ],
        ),
        seed_run(3, vec![model(0.0, 0.5, 0.25, Some(0.5))]),
    ];
    let rows = summarise(&runs);
    assert_eq!(rows.len(), 2);
    let zero = &rows[0];
    assert_eq!((zero.epsilon, zero.runs), (0.0, 3));
    // 0.25, 0.5, 0.75: mean 0.5, squares 0.0625 + 0 + 0.0625 over n − 1 = 2.
    let acc = zero.final_test_acc.unwrap();
    assert_eq!(
        acc,
        Spread {
            mean: 0.5,
            sd: 0.25,
            min: 0.25,
            max: 0.75,
            n: 3
        }
    );
    let peak = zero.peak_test_acc.unwrap();
    assert_eq!(
        (peak.mean, peak.sd, peak.min, peak.max),
        (0.625, 0.25, 0.375, 0.875)
    );
    let ece = zero.final_test_ece.unwrap();
    assert_eq!((ece.mean, ece.sd, ece.n), (0.25, 0.125, 3));
    let mem = zero.final_memorized.unwrap();
    assert_eq!((mem.mean, mem.sd, mem.min, mem.max), (0.5, 0.0, 0.5, 0.5));

    // ε = 0.1 ran on two seeds only, with no noise to memorise.
    let tenth = &rows[1];
    assert_eq!((tenth.epsilon, tenth.runs), (0.1, 2));
    assert_eq!(tenth.final_test_acc.unwrap().n, 2);
    assert_eq!(tenth.final_memorized, None);

    // One seed: no spread to speak of.
    let single = summarise(&runs[2..]);
    assert_eq!(single[0].final_test_acc.unwrap().sd, 0.0);
    assert!(summarise(&[]).is_empty());
}

#[test]
fn two_values_have_the_sample_sd() {
    // 0.2 and 0.4: mean 0.3, sd √(2 · 0.01 / 1) = 0.1414…
    let s = Spread::of(&[0.2, 0.4]).unwrap();
    assert!((s.mean - 0.3).abs() < 1e-12);
    assert!((s.sd - 0.02f64.sqrt()).abs() < 1e-12, "{s:?}");
    assert_eq!(Spread::of(&[]), None);
}

#[test]
fn a_seed_run_reads_back_from_its_json() {
    let run = seed_run(7, vec![model(0.05, 0.5, 0.25, None)]);
    let text = serde_json::to_string(&run).unwrap();
    assert!(text.contains("\"finalTestAcc\":0.5"), "{text}");
    assert!(text.contains("\"epsilon\":0.05"), "{text}");
    assert_eq!(serde_json::from_str::<SeedRun>(&text).unwrap(), run);
}

#[test]
fn batches_of_any_size_make_the_same_run_as_whole_epochs() {
    let ds = noisy_digits();
    let cfg = config();
    let whole = sweep(&ds, &cfg, &[0.0, 0.2], 3, 2);
    let mut pieces = SweepSeed::new(&ds, &cfg, &[0.0, 0.2], 3, 2).unwrap();
    let mut calls = 0;
    while !pieces.step_batches(&ds, 7).unwrap() {
        calls += 1;
    }
    assert!(calls > 2, "an epoch takes several calls of 7 batches");
    assert_eq!(pieces.epochs_done(), 2, "never past the last epoch");
    assert_eq!(pieces.reports(), whole.reports());
    assert_eq!(pieces.result(), whole.result());
    // Done is done: more calls train nothing.
    assert!(pieces.step_batches(&ds, 100).unwrap());
    assert_eq!(pieces.reports().len(), whole.reports().len());
}
