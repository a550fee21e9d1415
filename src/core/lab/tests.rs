use super::*;
use crate::core::data::NoiseMode;
use crate::core::find::Filter;
use crate::core::train::ModelId;

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
