//! `smoothlab train`: a paired run on the digits or an image folder.

use std::fs::File;
use std::io::{BufWriter, Write};

use indicatif::{ProgressBar, ProgressStyle};
use smoothlab::core::csv::{curves_csv_rows, CURVES_CSV_HEADER};
use smoothlab::{LabError, Trainer};

use super::data::{io_err, load};
use super::table::{header, row};
use super::TrainArgs;

pub fn run(args: &TrainArgs) -> Result<(), LabError> {
    let config = args
        .model
        .settings(args.smoothing, args.data.seed)
        .validate()?;
    if args.epochs == 0 {
        return Err(LabError::setting("epochs", "at least 1", 0));
    }
    let ds = load(&args.data)?;

    let mut csv = match &args.csv {
        Some(path) => {
            let mut w = BufWriter::new(File::create(path).map_err(|e| io_err(path, e))?);
            writeln!(w, "{CURVES_CSV_HEADER}").map_err(|e| io_err(path, e))?;
            Some((path, w))
        }
        None => None,
    };

    let mut trainer = Trainer::paired(&ds, config)?;
    let bar = ProgressBar::new(args.epochs as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} epochs, {elapsed} (eta {eta})")
            .expect("valid template"),
    );
    // indicatif drops println when stderr is not a terminal; keep the table.
    let print = |line: String| {
        if bar.is_hidden() {
            say!("{line}");
        } else {
            bar.println(line);
        }
    };
    print(header(args.smoothing));
    for epoch in 1..=args.epochs {
        // Every point of this epoch (more than one with --points-per-epoch).
        let before = trainer.reports().len();
        trainer.run_epoch(&ds)?;
        let shown = epoch % args.every.max(1) == 0 || epoch == args.epochs;
        for report in &trainer.reports()[before..] {
            if shown {
                print(row(report));
            }
            if let Some((path, w)) = &mut csv {
                w.write_all(curves_csv_rows(report).as_bytes())
                    .map_err(|e| io_err(path, e))?;
            }
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    if let Some((path, mut w)) = csv {
        w.flush().map_err(|e| io_err(path, e))?;
        say!("curves written to {}", path.display());
    }
    Ok(())
}
