//! `smoothlab train`: a paired run on the digits or an image folder.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use indicatif::{ProgressBar, ProgressStyle};
use smoothlab::core::digits::load_digits;
use smoothlab::core::imagefolder::read_image_folder;
use smoothlab::core::ingest::ColorMode;
use smoothlab::{inject_noise, Dataset, LabError, Settings, Trainer};

use super::table::{csv_rows, header, row, CSV_HEADER};
use super::TrainArgs;

fn load(args: &TrainArgs) -> Result<Dataset, LabError> {
    if args.data == "digits" {
        return Ok(load_digits());
    }
    let color = if args.gray {
        ColorMode::Gray
    } else {
        ColorMode::Rgb
    };
    let (ds, problems) = read_image_folder(Path::new(&args.data), args.image_size, color)?;
    for p in &problems {
        eprintln!("skipped {p}");
    }
    Ok(ds)
}

fn io_err(path: &Path, e: std::io::Error) -> LabError {
    LabError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

pub fn run(args: &TrainArgs) -> Result<(), LabError> {
    let config = Settings {
        smoothing: args.smoothing,
        learning_rate: args.learning_rate,
        hidden: args.hidden.clone(),
        batch_size: args.batch_size,
        optimizer: args.optimizer,
        momentum: args.momentum,
        weight_decay: args.weight_decay,
        seed: args.seed,
    }
    .validate()?;
    if args.epochs == 0 {
        return Err(LabError::Dataset("--epochs must be at least 1".into()));
    }
    let mut ds = load(args)?;
    ds.set_split(args.holdout, args.seed)?;
    let noisy = inject_noise(&mut ds, args.noise_mode, args.noise, args.seed)?;
    let train_n = ds.train_indices().len();
    println!(
        "{}: {} images, {} classes, {}×{}×{}; {} training ({} mislabeled, {:?} noise), {} held out",
        args.data,
        ds.len(),
        ds.num_classes(),
        ds.side(),
        ds.side(),
        ds.channels(),
        train_n,
        noisy,
        args.noise_mode,
        ds.len() - train_n
    );

    let mut csv = match &args.csv {
        Some(path) => {
            let mut w = BufWriter::new(File::create(path).map_err(|e| io_err(path, e))?);
            writeln!(w, "{CSV_HEADER}").map_err(|e| io_err(path, e))?;
            Some((path, w))
        }
        None => None,
    };

    let mut trainer = Trainer::paired(&ds, config)?;
    let epsilons = trainer.epsilons();
    let bar = ProgressBar::new(args.epochs as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} epochs, {elapsed} (eta {eta})")
            .expect("valid template"),
    );
    // indicatif drops println when stderr is not a terminal; keep the table.
    let print = |line: String| {
        if bar.is_hidden() {
            println!("{line}");
        } else {
            bar.println(line);
        }
    };
    print(header(args.smoothing));
    for epoch in 1..=args.epochs {
        let report = trainer.run_epoch(&ds)?;
        if epoch % args.every.max(1) == 0 || epoch == args.epochs {
            print(row(&report));
        }
        if let Some((path, w)) = &mut csv {
            w.write_all(csv_rows(&report, &epsilons).as_bytes())
                .map_err(|e| io_err(path, e))?;
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    if let Some((path, mut w)) = csv {
        w.flush().map_err(|e| io_err(path, e))?;
        println!("curves written to {}", path.display());
    }
    Ok(())
}
