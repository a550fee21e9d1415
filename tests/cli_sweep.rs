//! The command line's `sweep`: a tiny sweep on the digits writes one CSV
//! line per ε, and each ε's numbers over its seeds include those that
//! `train` gives for the first seed (the same split, noise and weights).
#![cfg(not(target_arch = "wasm32"))]

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

fn smoothlab(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_smoothlab"))
        .args(args)
        .output()
        .expect("the smoothlab binary runs");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "{stdout}\n{stderr}");
    stdout
}

/// A CSV file as its header's names to each line's cells.
fn read_csv(path: &Path) -> Vec<HashMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header: Vec<String> = lines.next().unwrap().split(',').map(String::from).collect();
    lines
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            assert_eq!(cells.len(), header.len(), "{l}");
            header
                .iter()
                .cloned()
                .zip(cells.into_iter().map(String::from))
                .collect()
        })
        .collect()
}

const DATA: [&str; 8] = [
    "--data", "digits", "--noise", "0.3", "--seed", "4", "--epochs", "2",
];

#[test]
fn a_tiny_sweep_matches_train_for_its_first_seed() {
    let dir = std::env::temp_dir();
    let id = std::process::id();
    let sweep_csv = dir.join(format!("smoothlab-sweep-{id}.csv"));
    let train_csv = dir.join(format!("smoothlab-sweep-train-{id}.csv"));

    let mut args = vec!["sweep", "--eps", "0,0.2", "--seeds", "2", "--csv"];
    args.push(sweep_csv.to_str().unwrap());
    args.extend(DATA);
    let table = smoothlab(&args);
    assert!(table.contains("spread over 2 seeds (4–5)"), "{table}");
    let rows = read_csv(&sweep_csv);
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (&rows[0]["epsilon"][..], &rows[1]["epsilon"][..]),
        ("0", "0.2")
    );
    for row in &rows {
        assert_eq!(row["n"], "2");
        for (name, cell) in row {
            let v: f64 = cell.parse().unwrap_or_else(|_| panic!("{name} = {cell:?}"));
            assert!(v.is_finite() && v >= 0.0, "{name} = {v}");
        }
        let number = |name: &str| row[name].parse::<f64>().unwrap();
        for measure in [
            "peak_test_acc",
            "final_test_acc",
            "final_test_ece",
            "final_memorized",
        ] {
            let [min, mean, max] =
                ["min", "mean", "max"].map(|s| number(&format!("{measure}_{s}")));
            assert!(min <= mean && mean <= max, "{measure}: {min} {mean} {max}");
        }
        assert!(number("final_test_acc_mean") > 0.5, "{row:?}");
    }

    // `train` with the same --seed is the sweep's first seed: each of its
    // final numbers is one of the two seeds', so the min or the max.
    let mut args = vec!["train", "--smoothing", "0.2", "--csv"];
    args.push(train_csv.to_str().unwrap());
    args.extend(DATA);
    smoothlab(&args);
    let curves = read_csv(&train_csv);
    for (row, model) in rows.iter().zip(["baseline", "smoothed"]) {
        let last = curves
            .iter()
            .rfind(|c| c["model"] == model && c["epoch"] == "2")
            .unwrap();
        for (measure, column) in [
            ("final_test_acc", "test_acc"),
            ("final_test_ece", "test_ece"),
            ("final_memorized", "memorized"),
        ] {
            let ends = [
                &row[&format!("{measure}_min")],
                &row[&format!("{measure}_max")],
            ];
            assert!(
                ends.contains(&&last[column]),
                "{model} {column} {} is neither end of {ends:?}",
                last[column]
            );
        }
    }
    let _ = std::fs::remove_file(sweep_csv);
    let _ = std::fs::remove_file(train_csv);
}

#[test]
fn a_sweep_refuses_no_seeds_and_a_bad_epsilon() {
    for (bad, says) in [
        (["--seeds", "0"], "seeds must be at least 1"),
        (["--eps", "0,1"], "smoothing must be in [0, 1)"),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_smoothlab"))
            .args(["sweep", "--epochs", "1"])
            .args(bad)
            .output()
            .unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(!out.status.success(), "{bad:?}");
        assert!(stderr.contains(says), "{bad:?}: {stderr}");
    }
}
