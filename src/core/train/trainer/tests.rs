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

    // The held-out ECE, recomputed from the model's softmax by hand: per bin
    // of width 1/15, |right − Σ confidence|, over all held-out images.
    let model = t.model(0).unwrap();
    let held = ds.holdout_indices();
    let logits = model.logits(ds.batch(&held).view());
    let mut bins = [(0.0f64, 0.0f64); 15];
    for (row, &i) in logits.rows().into_iter().zip(&held) {
        let max = row.iter().cloned().fold(f32::NEG_INFINITY, f32::max) as f64;
        let z: f64 = row.iter().map(|&v| (v as f64 - max).exp()).sum();
        let (pred, _) =
            row.iter().enumerate().fold(
                (0, f32::NEG_INFINITY),
                |a, (k, &v)| if v > a.1 { (k, v) } else { a },
            );
        let confidence = 1.0 / z;
        let b = ((confidence * 15.0).ceil() as usize).clamp(1, 15) - 1;
        bins[b].0 += confidence;
        bins[b].1 += (pred == ds.samples()[i].reference_label()) as u8 as f64;
    }
    let expected: f64 = bins.iter().map(|(c, r)| (c - r).abs()).sum::<f64>() / held.len() as f64;
    let ece = last.test_ece.unwrap();
    assert!((ece - expected).abs() < 1e-5, "{ece} vs {expected}");
    assert!((0.0..=1.0).contains(&ece));
}

#[test]
fn points_within_an_epoch_are_even_and_end_at_the_epoch_end() {
    let ds = blobs(200, 2); // 160 training samples: 20 steps of 8
    let mut t = Trainer::paired(&ds, cfg(|s| s.points_per_epoch = 4)).unwrap();
    assert_eq!(t.steps(&ds, 40).unwrap(), 2);
    let xs: Vec<f64> = t.reports().iter().map(|r| r.epoch).collect();
    assert_eq!(xs, [0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0]);
    assert_eq!(t.reports()[2].epoch_text(), "0.75");
    assert_eq!(t.reports()[3].epoch_text(), "1");
    // The baseline's curve at the epoch ends is the one a single point per
    // epoch gives: measuring does not change training.
    let mut once = Trainer::paired(&ds, cfg(|_| {})).unwrap();
    once.steps(&ds, 40).unwrap();
    assert_eq!(once.reports()[1], t.reports()[7]);

    // More points than steps: one per step, 7 steps of 8 for 56 samples.
    let small = blobs(70, 2);
    let mut t = Trainer::single(&small, cfg(|s| s.points_per_epoch = 16)).unwrap();
    t.run_epoch(&small).unwrap();
    assert_eq!(t.reports().len(), small.train_indices().len().div_ceil(8));
}

#[test]
fn images_added_mid_epoch_never_move_the_curves_back() {
    let mut ds = blobs(200, 2);
    let mut t = Trainer::paired(&ds, cfg(|s| s.points_per_epoch = 4)).unwrap();
    t.steps(&ds, 13).unwrap();
    for i in 0..40 {
        ds.add_sample(&format!("n{i}"), &[9, 9, 9, 9], i % 2, Some(i % 2))
            .unwrap();
    }
    t.steps(&ds, 60).unwrap();
    let xs: Vec<f64> = t.reports().iter().map(|r| r.epoch).collect();
    // 0.25 and 0.5 before the images came; the epoch goes on from there
    // (a fresh start of its order would put the next point back near 0.05).
    assert_eq!(xs[..2], [0.25, 0.5]);
    assert!(xs.windows(2).all(|w| w[0] < w[1]), "{xs:?}");
    assert!((xs[2] - 0.75).abs() < 0.05, "{xs:?}");
    assert!(xs.contains(&1.0) && xs.contains(&2.0), "{xs:?}");
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
fn training_goes_on_after_an_epoch_whose_last_batch_diverged() {
    let ds = blobs(60, 2); // 48 training samples: 6 steps of 8
    let mut t = Trainer::paired(&ds, cfg(|s| s.points_per_epoch = 2)).unwrap();
    t.steps(&ds, 5).unwrap();
    t.learners[0].model.layers[0].w[[0, 0]] = f32::INFINITY;
    assert!(matches!(t.step(&ds), Err(LabError::Diverged(_))));
    // Rolled back to the mid-epoch point, the next steps train again.
    assert!(t.model(0).unwrap().all_finite());
    t.steps(&ds, 6).unwrap();
    assert_eq!(t.epoch(), 1);
    assert!(all_points_finite(&t));
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
    assert!(all_points_finite(&t));
}

fn all_points_finite(t: &Trainer) -> bool {
    t.reports()
        .iter()
        .all(|r| r.models.iter().all(|m| m.is_finite()))
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
