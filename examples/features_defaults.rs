//! How long the gap between mislabeled and correct images stays visible on
//! backbone features, for a grid of head settings: the measurement behind
//! the lab's defaults for photos (README, "Defaults for photos").
//!
//!     cargo run --release --example features_defaults -- FOLDER [--noise 0.2] [--epochs 30] [--seeds 5]
//!
//! FOLDER holds one subfolder of photos per class. For each setting and
//! seed, 20% of the training labels are flipped, a paired run trains for
//! `--epochs`, and the baseline is measured after every step. A row gives,
//! over the seeds (median), how many measurements had the mislabeled mean
//! loss at least twice the correct one, when measured after every step and
//! after every epoch, and the held-out accuracy at its best and at the end.

use std::path::PathBuf;

use smoothlab::core::backbone::{embed_dataset, Backbone};
use smoothlab::core::image::ColorMode;
use smoothlab::core::project::read_image_folder;
use smoothlab::core::train::evaluate;
use smoothlab::{inject_noise, Dataset, NoiseMode, OptimizerKind, Settings, Trainer};

const WEIGHTS: &[u8] = include_bytes!("../data/backbone/efficientnet-lite0.bin");

struct Run {
    gap_steps: usize,
    gap_epochs: usize,
    best_test: f64,
    last_test: f64,
}

fn run(
    ds: &Dataset,
    settings: Settings,
    epochs: usize,
    each_step: bool,
) -> Result<Run, smoothlab::LabError> {
    let mut trainer = Trainer::paired(ds, settings.validate()?)?;
    let per_epoch = trainer.steps_per_epoch(ds);
    let mut out = Run {
        gap_steps: 0,
        gap_epochs: 0,
        best_test: 0.0,
        last_test: 0.0,
    };
    for step in 1..=epochs * per_epoch {
        trainer.steps(ds, 1)?;
        if !each_step && step % per_epoch != 0 {
            continue;
        }
        let model = trainer.model(0).expect("a baseline");
        let r = evaluate(model, ds, 0.0).report;
        let gap = r.noisy_loss.unwrap_or(0.0) >= 2.0 * r.clean_loss.unwrap_or(f64::INFINITY);
        out.gap_steps += gap as usize;
        if step % per_epoch == 0 {
            out.gap_epochs += gap as usize;
            let test = r.test_acc.unwrap_or(0.0);
            out.best_test = out.best_test.max(test);
            out.last_test = test;
        }
    }
    Ok(out)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let folder = PathBuf::from(args.next().ok_or("usage: features_defaults FOLDER")?);
    let (mut noise, mut epochs, mut seeds) = (0.2, 30, 5u64);
    let mut rates = vec![3e-4, 1e-3, 3e-3];
    let mut each_step = true;
    while let Some(a) = args.next() {
        let v = args.next().ok_or(format!("{a} needs a value"))?;
        match a.as_str() {
            "--noise" => noise = v.parse()?,
            "--epochs" => epochs = v.parse()?,
            "--seeds" => seeds = v.parse()?,
            "--each-step" => each_step = v.parse()?,
            "--lr" => rates = v.split(',').map(str::parse).collect::<Result<_, _>>()?,
            _ => return Err(format!("unknown option {a}").into()),
        }
    }
    let (mut base, _) = read_image_folder(&folder, 32, ColorMode::Rgb)?;
    let mut backbone = Backbone::new(WEIGHTS, 128)?;
    let names: Vec<String> = base.samples().iter().map(|s| s.name.clone()).collect();
    embed_dataset(
        &mut base,
        &mut backbone,
        |i| std::fs::read(folder.join(&names[i])).ok(),
        |_, _| {},
    )?;

    println!(
        "{}: {} photos, {epochs} epochs, {:.0}% flipped, {seeds} seeds (medians)",
        folder.display(),
        base.len(),
        noise * 100.0
    );
    println!("head     lr      decay  batch | gap≥2× steps  epochs | test best  last");
    let heads: [&[usize]; 2] = [&[], &[128]];
    for hidden in heads {
        for &lr in &rates {
            for decay in [0.0] {
                for batch in [32usize] {
                    let mut rows = Vec::new();
                    for seed in 1..=seeds {
                        let mut ds = base.clone();
                        ds.set_split(0.2, seed)?;
                        inject_noise(&mut ds, NoiseMode::Flip, noise, seed)?;
                        let settings = Settings {
                            smoothing: 0.2,
                            learning_rate: lr,
                            hidden: hidden.to_vec(),
                            batch_size: batch,
                            optimizer: OptimizerKind::Adam,
                            momentum: 0.9,
                            weight_decay: decay,
                            seed,
                        };
                        rows.push(run(&ds, settings, epochs, each_step)?);
                    }
                    let m = |f: &dyn Fn(&Run) -> f64| median(rows.iter().map(f).collect());
                    println!(
                        "{:<8} {lr:<7} {decay:<6} {batch:<5} | {:>12} {:>7} | {:>8.1}% {:>5.1}%",
                        if hidden.is_empty() {
                            "linear".to_string()
                        } else {
                            format!("{hidden:?}")
                        },
                        m(&|r| r.gap_steps as f64),
                        m(&|r| r.gap_epochs as f64),
                        m(&|r| r.best_test) * 100.0,
                        m(&|r| r.last_test) * 100.0,
                    );
                }
            }
        }
    }
    Ok(())
}
