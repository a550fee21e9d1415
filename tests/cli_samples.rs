//! The command line on the CIFAR-10N samples: the chosen human labels are
//! the given labels, the CIFAR-10 labels the truth, every wrong one counted
//! in its split; and without the samples' folder the command says so while
//! the rest of the lab works.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;
use std::process::Command;

const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/cifar10n");

fn smoothlab(args: &[&str], samples: Option<&Path>) -> (bool, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_smoothlab"));
    cmd.args(args);
    if let Some(dir) = samples {
        cmd.env("SMOOTHLAB_SAMPLES", dir);
    }
    let out = cmd.output().expect("the smoothlab binary runs");
    let text = |b: Vec<u8>| String::from_utf8(b).expect("utf-8 output");
    (out.status.success(), text(out.stdout), text(out.stderr))
}

fn one_epoch_on_catdog(labels: &str) -> (bool, String, String) {
    let args = [
        "train",
        "--data",
        "cifar10n-catdog",
        "--labels",
        labels,
        "--epochs",
        "1",
    ];
    smoothlab(&args, None)
}

/// "N training (M mislabeled…), K held out (…; J of them given a wrong label)".
fn counts(stdout: &str) -> (usize, usize) {
    let number_before = |text: &str, word: &str| -> usize {
        let at = text
            .find(word)
            .unwrap_or_else(|| panic!("no \"{word}\" in {text}"));
        let digits: String = text[..at]
            .trim_end()
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.chars().rev().collect::<String>().parse().unwrap()
    };
    let line = stdout.lines().next().unwrap();
    let train_wrong = number_before(line, " mislabeled");
    let held_out_wrong = if line.contains("given a wrong label") {
        number_before(line, " of them given a wrong label")
    } else {
        0
    };
    (train_wrong, held_out_wrong)
}

#[test]
fn the_worse_labels_are_given_and_the_truth_kept() {
    let csv_path = Path::new(SAMPLES).join("cifar10n-catdog/labels.csv");
    // Deleting the whole folder is allowed (the labels are for
    // non-commercial use); a folder with photos but no labels is broken.
    if !Path::new(SAMPLES).exists() {
        eprintln!("skipped: the CIFAR-10N samples are not in this copy");
        return;
    }
    let csv = std::fs::read_to_string(&csv_path).expect("labels.csv beside the sample's photos");
    // The oracle: photos whose "worse" label (5th cell) differs from "true" (3rd).
    let wrong = csv
        .lines()
        .skip(1)
        .filter(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            cells[2] != cells[4]
        })
        .count();
    assert_eq!(wrong, 511);
    let (ok, stdout, stderr) = one_epoch_on_catdog("worse");
    assert!(ok, "{stdout}{stderr}");
    assert!(
        stdout.starts_with("cifar10n-catdog: 2000 images, 2 classes"),
        "{stdout}"
    );
    let (train_wrong, held_out_wrong) = counts(&stdout);
    assert_eq!(train_wrong + held_out_wrong, wrong, "{stdout}");
    assert!(train_wrong > 300 && held_out_wrong > 50, "{stdout}");

    let (ok, stdout, stderr) = one_epoch_on_catdog("random1");
    assert!(ok, "{stdout}{stderr}");
    assert!(
        stderr.contains("29 photos left out: their random1 label names a class outside cat, dog"),
        "{stderr}"
    );
    assert!(stdout.contains("1971 images"), "{stdout}");
}

#[test]
fn without_the_samples_the_command_says_so_and_the_rest_works() {
    let empty = std::env::temp_dir().join(format!("smoothlab-no-samples-{}", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    let (ok, _, stderr) = smoothlab(
        &["train", "--data", "cifar10n-catdog", "--epochs", "1"],
        Some(&empty),
    );
    assert!(!ok);
    assert!(
        stderr.contains("the cifar10n-catdog sample is not in this copy of smoothlab"),
        "{stderr}"
    );
    let (ok, stdout, stderr) = smoothlab(
        &["train", "--data", "digits", "--epochs", "1"],
        Some(&empty),
    );
    assert!(ok, "{stdout}{stderr}");
    let (ok, _, stderr) = smoothlab(
        &["train", "--data", "digits", "--labels", "worse"],
        Some(&empty),
    );
    assert!(
        !ok && stderr.contains("--labels applies to the samples"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&empty).ok();
}
