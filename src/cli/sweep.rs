//! `smoothlab sweep`: every ε of a list trained in lockstep, once per seed,
//! on one fixed split and one fixed set of mislabels; a table of each ε's
//! held-out accuracy, calibration and memorisation over the seeds.

use std::fs;

use indicatif::{ProgressBar, ProgressStyle};
use smoothlab::core::csv::sweep_csv;
use smoothlab::core::train::{run_sweep, summarise};
use smoothlab::LabError;

use super::data::{io_err, load};
use super::sweep_table::{sweep_header, sweep_line};
use super::SweepArgs;

pub fn run(args: &SweepArgs) -> Result<(), LabError> {
    if args.seeds == 0 {
        return Err(LabError::setting("seeds", "at least 1", 0));
    }
    if args.epochs == 0 {
        return Err(LabError::setting("epochs", "at least 1", 0));
    }
    // The settings' own ε is unused: each model takes one from the list.
    let config = args.model.settings(0.0, args.data.seed).validate()?;
    // The split and the noise come from --seed, once for every seed below.
    let ds = load(&args.data)?;
    let seeds: Vec<u64> = (0..args.seeds).map(|i| args.data.seed + i).collect();

    let bar = ProgressBar::new(args.seeds * args.epochs as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} epochs ({msg}), {elapsed} (eta {eta})")
            .expect("valid template"),
    );
    let runs = run_sweep(
        &ds,
        &config,
        &args.eps,
        &seeds,
        args.epochs,
        |seed, done| {
            bar.set_message(format!("seed {seed}"));
            bar.inc(1);
            if done == args.epochs {
                let line = format!("seed {seed} done");
                if bar.is_hidden() {
                    eprintln!("{line}");
                } else {
                    bar.println(line);
                }
            }
        },
    )?;
    bar.finish_and_clear();

    let rows = summarise(&runs);
    say!("{}", sweep_header(&seeds, args.epochs));
    for row in &rows {
        say!("{}", sweep_line(row));
    }
    if let Some(path) = &args.csv {
        fs::write(path, sweep_csv(&rows)).map_err(|e| io_err(path, e))?;
        say!("sweep written to {}", path.display());
    }
    Ok(())
}
