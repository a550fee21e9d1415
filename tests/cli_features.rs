//! The command line with the backbone: `smoothlab embed` writes one row of
//! 1280 features per image, and `train --features effnet` trains on them.
#![cfg(not(target_arch = "wasm32"))]

use std::process::Command;

const FOLDERS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/folders");

fn smoothlab(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_smoothlab"))
        .args(args)
        .output()
        .expect("the smoothlab binary runs");
    let text = |b: Vec<u8>| String::from_utf8(b).expect("utf-8 output");
    (out.status.success(), text(out.stdout), text(out.stderr))
}

#[test]
fn embed_writes_a_row_of_features_per_image() {
    let csv = std::env::temp_dir().join(format!("smoothlab-features-{}.csv", std::process::id()));
    let (ok, stdout, stderr) = smoothlab(&[
        "embed",
        "--data",
        FOLDERS,
        "--out",
        csv.to_str().unwrap(),
        "--backbone-size",
        "96",
    ]);
    assert!(ok, "{stdout}{stderr}");
    assert!(
        stdout.contains("12 images, 2 classes, 1280 backbone features"),
        "{stdout}"
    );
    let text = std::fs::read_to_string(&csv).unwrap();
    std::fs::remove_file(&csv).ok();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1 + 12);
    assert!(lines[0].starts_with("file,given,true,f0,f1,"));
    for line in &lines[1..] {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells.len(), 3 + 1280, "{line}");
        assert_eq!(cells[1], cells[2], "{line}"); // a folder's labels are the truth
        let values: Vec<f32> = cells[3..].iter().map(|c| c.parse().unwrap()).collect();
        assert!(values.iter().all(|v| (0.0..=6.0).contains(v)), "{line}");
        assert!(values.iter().any(|&v| v > 0.0), "{line}");
    }
    assert!(
        lines[1].starts_with("cats/cat_0.png,cats,cats,"),
        "{}",
        lines[1]
    );
}

#[test]
fn train_runs_on_backbone_features_and_bad_sizes_are_refused() {
    let (ok, stdout, stderr) = smoothlab(&[
        "train",
        "--data",
        FOLDERS,
        "--features",
        "effnet",
        "--backbone-size",
        "96",
        "--epochs",
        "3",
        "--holdout",
        "0",
    ]);
    assert!(ok, "{stdout}{stderr}");
    assert!(stdout.contains("1280 backbone features"), "{stdout}");
    let (ok, _, stderr) = smoothlab(&[
        "train",
        "--data",
        FOLDERS,
        "--features",
        "effnet",
        "--backbone-size",
        "64",
    ]);
    assert!(!ok);
    assert!(stderr.contains("64"), "{stderr}");
}
