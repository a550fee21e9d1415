//! The EfficientNet-Lite0 port against the numpy reference's pinned outputs
//! (tests/fixtures/backbone/, made by scripts/backbone/reference.py).
//!
//! Tolerance: the oracle is float64 with the very weights of the .bin, so the
//! only difference left is f32 arithmetic (sums in another order, through 18
//! layers). Features live on [0, 6] with typical values near 0.1 to 1; the
//! port must agree within 1e-4 absolute per feature and 1e-5 in relative L2
//! (measured: at most 8e-6 and 2e-6). f16 rounding moves them by ~1e-2 and
//! 2e-3, a padding, layout or BatchNorm mistake by 1e-1 or more.

use std::path::PathBuf;

use serde_json::Value;
use smoothlab::core::backbone::{class_names, top_k, Backbone, BackboneError, FEATURES};

const TOL_ABS: f32 = 1e-4;
const TOL_REL: f64 = 1e-5;

fn path(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn fixture(name: &str) -> Value {
    let text = std::fs::read_to_string(path(&format!("tests/fixtures/backbone/{name}"))).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn net(side: usize) -> Backbone {
    let mut net = Backbone::new(&read("data/backbone/efficientnet-lite0.bin"), side).unwrap();
    net.load_imagenet_head(&read("data/backbone/efficientnet-lite0-imagenet-head.bin"))
        .unwrap();
    net
}

fn floats(v: &Value) -> Vec<f32> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap() as f32)
        .collect()
}

/// (max abs difference, relative L2) of `a` against `b`.
fn compare(a: &[f32], b: &[f32]) -> (f32, f64) {
    assert_eq!(a.len(), b.len());
    let max = a
        .iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f32::max);
    let diff: f64 = a.iter().zip(b).map(|(x, y)| ((x - y) as f64).powi(2)).sum();
    let norm: f64 = b.iter().map(|y| (*y as f64).powi(2)).sum();
    (max, (diff / norm).sqrt())
}

/// The formula test image of reference.py, in integers only.
fn formula_image(w: i64, h: i64) -> Vec<u8> {
    let tri = |v: i64| (v.rem_euclid(510) - 255).abs();
    let mut out = Vec::with_capacity((w * h * 3) as usize);
    for y in 0..h {
        for x in 0..w {
            let r = 255 * (x + y) / (w + h - 2);
            let g = tri(((x - w / 2).pow(2) + (y - h / 2).pow(2)) / 16);
            let b = tri(3 * x + 5 * y);
            out.extend([r as u8, g as u8, b as u8]);
        }
    }
    out
}

fn load_photo(rel: &str) -> (Vec<u8>, usize, usize) {
    let img = image::open(path(&format!("tests/fixtures/backbone/{rel}")))
        .unwrap()
        .to_rgb8();
    let (w, h) = img.dimensions();
    (img.into_raw(), w as usize, h as usize)
}

/// Checks one pinned case; returns the port's features.
fn check_case(
    net: &mut Backbone,
    label: &str,
    rgb: &[u8],
    w: usize,
    h: usize,
    case: &Value,
) -> [f32; FEATURES] {
    let side = case["side"].as_u64().unwrap() as usize;
    net.set_side(side).unwrap();
    let f = net.embed(rgb, w, h).unwrap();
    assert!(
        f.iter().all(|v| (0.0..=6.0).contains(v)),
        "{label}: features outside [0, 6]"
    );
    if let Some(want) = case.get("features") {
        let (max, rel) = compare(&f, &floats(want));
        println!("{label} @{side}: vs oracle max abs {max:.2e}, rel L2 {rel:.2e}");
        assert!(
            max <= TOL_ABS && rel <= TOL_REL,
            "{label} @{side}: max {max:.2e} rel {rel:.2e}"
        );
    }
    if let Some(orig) = case.get("features_original") {
        // What f16 rounding costs: the reference's own figure, and under 0.5%.
        let (_, rel) = compare(&f, &floats(orig));
        let pinned = case["f16_vs_original"]["rel_l2"].as_f64().unwrap();
        println!(
            "{label} @{side}: vs original f32 weights rel L2 {rel:.3e} (reference {pinned:.3e})"
        );
        assert!(
            (rel - pinned).abs() <= 0.02 * pinned + 1e-5,
            "{label}: {rel} vs {pinned}"
        );
        assert!(rel < 0.005);
    }
    let z = net.logits_of(&f).unwrap();
    let got = top_k(&z, 5);
    for (i, (t, (class, logit))) in case["top5"]
        .as_array()
        .unwrap()
        .iter()
        .zip(&got)
        .enumerate()
    {
        assert_eq!(
            t["class"].as_u64().unwrap() as usize,
            *class,
            "{label} @{side}: top-5 #{i}"
        );
        let want = t["logit"].as_f64().unwrap() as f32;
        assert!(
            (want - logit).abs() < 2e-3,
            "{label} @{side}: logit {logit} vs {want}"
        );
    }
    f
}

#[test]
fn formula_image_matches_the_oracle_at_even_and_odd_sides() {
    let fx = fixture("formula.json");
    let (w, h) = (
        fx["image"]["width"].as_i64().unwrap(),
        fx["image"]["height"].as_i64().unwrap(),
    );
    let rgb = formula_image(w, h);
    let mut net = net(128);
    let cases = fx["cases"].as_array().unwrap();
    let sides: Vec<u64> = cases.iter().map(|c| c["side"].as_u64().unwrap()).collect();
    assert_eq!(sides, vec![128, 224, 131]);
    for case in cases {
        check_case(&mut net, "formula", &rgb, w as usize, h as usize, case);
    }
}

#[test]
fn photos_match_the_oracle() {
    let fx = fixture("photos.json");
    let mut net = net(128);
    for photo in fx["photos"].as_array().unwrap() {
        let file = photo["file"].as_str().unwrap();
        let (rgb, w, h) = load_photo(file);
        assert_eq!(
            (w as u64, h as u64),
            (
                photo["width"].as_u64().unwrap(),
                photo["height"].as_u64().unwrap()
            )
        );
        for case in photo["cases"].as_array().unwrap() {
            check_case(&mut net, file, &rgb, w, h, case);
        }
    }
}

#[test]
fn imagenet_head_names_what_is_in_the_photos() {
    let text = std::fs::read_to_string(path("data/backbone/imagenet-classes.txt")).unwrap();
    let names = class_names(&text).unwrap();
    let mut net = net(224);
    let cats = [
        "tabby",
        "tiger cat",
        "Egyptian cat",
        "Persian cat",
        "Siamese cat",
    ];
    // (photo, side, classes the top-1 must be one of, classes the top-5 must include)
    let expect: &[(&str, usize, &[&str], &[&str])] = &[
        (
            "chelsea",
            128,
            &cats,
            &["tabby", "tiger cat", "Egyptian cat"],
        ),
        (
            "chelsea",
            224,
            &cats,
            &["tabby", "tiger cat", "Egyptian cat"],
        ),
        ("coffee", 128, &["espresso"], &["cup"]),
        ("coffee", 224, &["espresso"], &["cup"]),
        (
            "rocket",
            128,
            &[
                "drilling platform",
                "space shuttle",
                "missile",
                "projectile",
            ],
            &["space shuttle", "missile", "projectile"],
        ),
        (
            "rocket",
            224,
            &[
                "projectile",
                "missile",
                "space shuttle",
                "drilling platform",
            ],
            &["space shuttle", "missile", "projectile"],
        ),
        ("camera", 128, &["tripod"], &["reflex camera"]),
        ("camera", 224, &["tripod"], &[]),
        ("grace_hopper", 128, &["military uniform"], &["suit"]),
        ("grace_hopper", 224, &["military uniform"], &["Windsor tie"]),
        (
            "clock_motion",
            224,
            &["spotlight", "wall clock"],
            &["wall clock"],
        ),
    ];
    for &(photo, side, top1, in_top5) in expect {
        let (rgb, w, h) = load_photo(&format!("photos/{photo}.png"));
        net.set_side(side).unwrap();
        let top: Vec<&str> = net
            .classify(&rgb, w, h, 5)
            .unwrap()
            .iter()
            .map(|&(c, _)| names[c])
            .collect();
        println!("{photo} @{side}: {top:?}");
        assert!(top1.contains(&top[0]), "{photo} @{side}: top-1 {top:?}");
        for name in in_top5 {
            assert!(top.contains(name), "{photo} @{side}: {name} not in {top:?}");
        }
    }
}

#[test]
fn damaged_files_give_errors_that_say_so() {
    let features = read("data/backbone/efficientnet-lite0.bin");
    let head = read("data/backbone/efficientnet-lite0-imagenet-head.bin");
    for cut in [
        0,
        5,
        13,
        40,
        1000,
        features.len() / 2,
        features.len() - 5,
        features.len() - 1,
    ] {
        let e = Backbone::new(&features[..cut], 128).unwrap_err();
        let ok = matches!(e, BackboneError::Truncated { .. })
            || (cut < 8 && matches!(e, BackboneError::BadMagic { .. }));
        assert!(ok, "cut at {cut}: {e}");
        if cut >= 8 {
            assert!(e.to_string().contains("truncated"), "{e}");
        }
    }
    let mut bad = features.clone();
    bad[..8].copy_from_slice(b"PK\x03\x04abcd");
    let e = Backbone::new(&bad, 128).unwrap_err();
    assert!(
        matches!(e, BackboneError::BadMagic { .. }) && e.to_string().contains("SLBKBONE"),
        "{e}"
    );
    let mut bad = features.clone();
    bad[8] = 2;
    assert!(matches!(
        Backbone::new(&bad, 128),
        Err(BackboneError::UnsupportedVersion { found: 2, .. })
    ));
    let mut bad = features.clone();
    let n = bad.len();
    bad[n / 2] ^= 0x40;
    assert!(matches!(
        Backbone::new(&bad, 128),
        Err(BackboneError::Checksum { .. })
    ));
    let e = Backbone::new(&head, 128).unwrap_err();
    assert!(
        matches!(e, BackboneError::WrongKind { .. }) && e.to_string().contains("imagenet-head"),
        "{e}"
    );
    let mut net = Backbone::new(&features, 128).unwrap();
    assert!(matches!(
        net.load_imagenet_head(&features),
        Err(BackboneError::WrongKind { .. })
    ));
    assert!(matches!(
        net.load_imagenet_head(&head[..head.len() - 3]),
        Err(BackboneError::Truncated { .. })
    ));
}

/// Milliseconds per image, native; run with `cargo test --release -- --ignored --nocapture`.
#[test]
#[ignore]
fn speed() {
    let rgb = formula_image(320, 240);
    let mut net = net(128);
    for side in [128, 224] {
        net.set_side(side).unwrap();
        net.embed(&rgb, 320, 240).unwrap();
        let n = if side == 128 { 40 } else { 15 };
        let start = std::time::Instant::now();
        let mut f = [0.0; FEATURES];
        for _ in 0..n {
            f = net.embed(&rgb, 320, 240).unwrap();
        }
        let ms = start.elapsed().as_secs_f64() * 1e3 / n as f64;
        let sum: f32 = f.iter().sum();
        println!("backbone @{side}: {ms:.1} ms per image ({n} images, feature sum {sum:.3})");
    }
}
