//! The command line's `train`: a linear model (`--hidden 0`) and several
//! points per epoch, as rows of the table with fractional epochs; and its
//! output into a pipe whose reader goes away.
#![cfg(not(target_arch = "wasm32"))]

use std::process::Command;

#[test]
fn a_linear_model_reports_twice_per_epoch() {
    let out = Command::new(env!("CARGO_BIN_EXE_smoothlab"))
        .args(["train", "--data", "digits", "--hidden", "0"])
        .args(["--points-per-epoch", "2", "--epochs", "2", "--noise", "0.2"])
        .output()
        .expect("the smoothlab binary runs");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{stdout}");
    let epochs: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|first| first.parse::<f64>().is_ok())
        .collect();
    // 1,438 training digits in 45 batches of 32: the midpoint is batch 23.
    assert_eq!(epochs, ["0.512", "1", "1.512", "2"], "{stdout}");
}

/// `smoothlab train | head -1`: the reader closes the pipe after one line;
/// the program ends quietly with success instead of panicking.
#[test]
fn a_reader_that_goes_away_ends_the_program_quietly() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_smoothlab"))
        .args(["train", "--epochs", "400", "--every", "1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with("digits:"), "{first}");
    // The reading end is dropped here: the next lines meet a closed pipe.
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "status {:?}: {stderr}", out.status);
    assert!(!stderr.contains("panicked"), "{stderr}");
}
