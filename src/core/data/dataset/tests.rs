use super::*;

fn toy(n_per_class: usize, k: usize) -> Dataset {
    let mut ds = Dataset::new(2, 1, (0..k).map(|c| format!("c{c}")).collect()).unwrap();
    for c in 0..k {
        for j in 0..n_per_class {
            ds.push_sample(&format!("{c}_{j}"), &[c as u8; 4], c, Some(c))
                .unwrap();
        }
    }
    ds.resplit();
    ds
}

#[test]
fn held_out_images_with_wrong_labels_are_not_mislabeled_training_images() {
    let mut ds = Dataset::new(2, 1, vec!["a".into(), "b".into()]).unwrap();
    for j in 0..20 {
        // Given "b", truly "a": human labels that are all wrong.
        ds.push_sample(&j.to_string(), &[0; 4], 1, Some(0)).unwrap();
    }
    ds.resplit();
    let held_out = ds.samples().iter().filter(|s| s.holdout).count();
    assert!(held_out > 0);
    assert_eq!(ds.mislabeled_count(), 20);
    assert_eq!(ds.mislabeled_in_training(), 20 - held_out);
}

#[test]
fn split_is_stratified_and_stable() {
    let mut ds = toy(10, 3);
    for c in 0..3 {
        let held = ds
            .samples()
            .iter()
            .filter(|s| s.holdout && s.given == c)
            .count();
        assert_eq!(held, 2);
    }
    let before: Vec<bool> = ds.samples().iter().map(|s| s.holdout).collect();
    ds.add_sample("extra", &[0; 4], 0, Some(0)).unwrap();
    let moved = before
        .iter()
        .zip(ds.samples())
        .filter(|(b, s)| **b != s.holdout)
        .count();
    assert!(moved <= 1, "adding one image moved {moved} others");
}

#[test]
fn never_holds_out_a_whole_class() {
    let ds = toy(1, 2);
    assert_eq!(ds.holdout_indices().len(), 0);
    assert!(ds.check_trainable().is_ok());
}

#[test]
fn mislabel_keeps_truth_and_fix_moves_it() {
    let mut ds = toy(3, 2);
    ds.mislabel(0, 1).unwrap();
    assert!(ds.samples()[0].is_mislabeled());
    assert_eq!(ds.samples()[0].truth, Some(0));
    ds.set_label(0, 1).unwrap();
    assert!(!ds.samples()[0].is_mislabeled());
    assert_eq!(ds.samples()[0].truth, Some(1));
}

#[test]
fn remove_class_reindexes() {
    let mut ds = toy(2, 3);
    assert_eq!(ds.remove_class(1).unwrap(), 2);
    assert_eq!(ds.classes(), &["c0".to_string(), "c2".to_string()]);
    assert_eq!(ds.len(), 4);
    assert_eq!(ds.pixels(3), &[2; 4]);
    assert!(ds.samples().iter().all(|s| s.given < 2));
}

#[test]
fn bad_inputs_are_errors() {
    assert!(Dataset::new(0, 1, vec![]).is_err());
    assert!(Dataset::new(8, 2, vec![]).is_err());
    let mut ds = toy(1, 2);
    assert!(ds.add_class("c0").is_err());
    assert!(ds.add_class("  ").is_err());
    assert!(ds.add_class("a/b").is_err());
    assert!(ds.add_sample("x", &[0; 3], 0, None).is_err());
    assert!(ds.add_sample("x", &[0; 4], 5, None).is_err());
    assert!(ds.set_label(99, 0).is_err());
    let one = Dataset::new(2, 1, vec!["only".into()]).unwrap();
    assert!(one
        .check_trainable()
        .unwrap_err()
        .to_string()
        .contains("two classes"));
    let mut empty = toy(2, 2);
    empty.add_class("new").unwrap();
    assert!(empty
        .check_trainable()
        .unwrap_err()
        .to_string()
        .contains("\"new\""));
}

#[test]
fn batch_scales_to_unit_range() {
    let mut ds = Dataset::new(1, 1, vec!["a".into(), "b".into()]).unwrap();
    ds.add_sample("x", &[255], 0, None).unwrap();
    ds.add_sample("y", &[51], 1, None).unwrap();
    let b = ds.batch(&[1, 0]);
    assert!((b[[0, 0]] - 0.2).abs() < 1e-6);
    assert_eq!(b[[1, 0]], 1.0);
}

#[test]
fn restored_ids_are_kept_and_new_ones_follow_them() {
    let mut ds = Dataset::new(1, 1, vec!["a".into(), "b".into()]).unwrap();
    assert_eq!(ds.add_sample_with_id(7, "x", &[1], 0, Some(0)).unwrap(), 7);
    assert_eq!(ds.add_sample_with_id(3, "y", &[2], 1, Some(0)).unwrap(), 3);
    assert!(ds.add_sample_with_id(3, "z", &[2], 1, None).is_err());
    assert!(ds
        .add_sample_with_id(9, "bad class", &[2], 5, None)
        .is_err());
    assert_eq!(ds.add_sample("w", &[3], 0, Some(0)).unwrap(), 8);
    let ids: Vec<u64> = ds.samples().iter().map(|s| s.id).collect();
    assert_eq!(ids, [7, 3, 8]);
    assert!(ds.samples()[1].is_mislabeled());
}
