//! The native command line over the same core the browser uses.
//!
//! `smoothlab train --data digits --noise 0.4 --smoothing 0.2 --epochs 150`
//! trains a baseline (ε = 0) and a smoothed model side by side and prints
//! the loss of correctly labeled and mislabeled samples per epoch.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
