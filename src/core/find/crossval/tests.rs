use super::*;
use crate::core::config::Settings;
use crate::core::rng::Rng;

fn blobs(n: usize) -> Dataset {
    let mut ds = Dataset::new(2, 1, vec!["a".into(), "b".into(), "c".into()]).unwrap();
    let mut rng = Rng::new(2);
    for i in 0..n {
        let c = i % 3;
        let px: Vec<u8> = (0..4)
            .map(|d| if d == c { 200 } else { 50 } as u8 + rng.below(30) as u8)
            .collect();
        ds.push_sample(&i.to_string(), &px, c, Some(c)).unwrap();
    }
    ds.resplit();
    ds
}

#[test]
fn folds_are_stratified_and_balanced() {
    let ds = blobs(90);
    let f = stratified_folds(&ds, 5, 1);
    for fold in 0..5 {
        for c in 0..3 {
            let n = (0..90)
                .filter(|&i| f[i] == fold && ds.samples()[i].given == c)
                .count();
            assert_eq!(n, 6);
        }
    }
}

#[test]
fn every_sample_gets_an_out_of_sample_distribution() {
    let ds = blobs(60);
    let config = Settings {
        hidden: vec![8],
        learning_rate: 0.01,
        ..Settings::default()
    }
    .validate()
    .unwrap();
    let mut cv = CrossValidation::new(&ds, config, 3, 30).unwrap();
    let mut seen = Vec::new();
    cv.run(&ds, |p| seen.push(p)).unwrap();
    assert!(seen.last().unwrap().done);
    assert!(seen.windows(2).all(|w| w[0].fraction <= w[1].fraction));
    let p = cv.probabilities();
    for row in p.rows() {
        assert!((row.sum() - 1.0).abs() < 1e-4, "{row}");
    }
    let acc = (0..60)
        .filter(|&i| crate::core::nn::argmax_rows(p.slice(ndarray::s![i..i + 1, ..]))[0] == i % 3)
        .count();
    assert!(acc > 50, "out-of-sample accuracy {acc}/60");
}

#[test]
fn folds_trained_elsewhere_give_the_same_bits_as_folds_trained_here() {
    let ds = blobs(60);
    let config = Settings {
        hidden: vec![8],
        ..Settings::default()
    }
    .validate()
    .unwrap();
    let mut serial = CrossValidation::new(&ds, config.clone(), 4, 5).unwrap();
    serial.run(&ds, |_| {}).unwrap();

    // Two folds go to "pool workers" with a copy of the dataset; this
    // run trains the others itself, between their answers.
    let copy = Dataset::from_snapshot(&ds.to_snapshot()).unwrap();
    let mut mixed = CrossValidation::new(&ds, config, 4, 5).unwrap();
    let away = [mixed.take_fold().unwrap(), mixed.take_fold().unwrap()];
    assert_eq!(away, [0, 1]);
    let p = mixed.step(&ds, 3).unwrap();
    assert!(!p.done && !p.idle && p.epoch > 0);
    while !mixed.step(&ds, 50).unwrap().idle {}
    assert_eq!(mixed.progress().fold, 3, "folds 2 and 3 done here");
    for fold in away {
        let rows = fold_probabilities(&copy, mixed.config(), 4, 5, fold).unwrap();
        mixed.accept_fold(fold, &rows).unwrap();
    }
    assert!(
        mixed.accept_fold(0, &[]).is_err(),
        "a fold is accepted once"
    );
    mixed.run(&ds, |_| {}).unwrap();
    let bits = |cv: &CrossValidation| {
        cv.probabilities()
            .iter()
            .map(|v| v.to_bits())
            .collect::<Vec<_>>()
    };
    assert_eq!(bits(&mixed), bits(&serial));

    // A fold handed back untrained is trained here.
    let mut again = CrossValidation::new(&ds, mixed.config().clone(), 4, 5).unwrap();
    let fold = again.take_fold().unwrap();
    again.release_fold(fold);
    again.run(&ds, |_| {}).unwrap();
    assert_eq!(bits(&again), bits(&serial));
    assert!(fold_probabilities(&copy, again.config(), 4, 5, 4).is_err());
}

#[test]
fn refuses_tiny_classes_and_changed_data() {
    let ds = blobs(9);
    let config = TrainConfig::default();
    let e = CrossValidation::new(&ds, config.clone(), 5, 3).unwrap_err();
    assert!(e.to_string().contains("needs at least 5 per class"), "{e}");
    let mut ds = blobs(30);
    let mut cv = CrossValidation::new(&ds, config, 3, 3).unwrap();
    ds.add_sample("new", &[0; 4], 0, Some(0)).unwrap();
    assert!(cv.step(&ds, 1).is_err());
}
