//! How long the gap between mislabeled and correct images stays visible on
//! backbone features, for a grid of head settings: the measurement behind
//! the lab's defaults for photos (docs/features-defaults.md).
//!
//!     cargo run --release --example features_defaults -- FOLDER [--noise 0.2] [--epochs 30]
//!         [--seeds 5] [--lr 1e-3,3e-3] [--heads 0,128] [--points 1,4]
//!
//! FOLDER holds one subfolder of photos per class. For each setting and
//! seed, 20% of the training labels are flipped and a paired run trains for
//! `--epochs`, measured as the lab measures it: `--points` times per epoch
//! (`Settings::points_per_epoch`). A row gives, over the seeds (median), how
//! many of those points had the baseline's mislabeled mean −log p(given) at
//! least twice the correct one, and the held-out accuracy at its best and at
//! the end. Head 0 is a linear head.

use std::path::PathBuf;

use smoothlab::core::backbone::{embed_dataset, Backbone};
use smoothlab::core::image::ColorMode;
use smoothlab::core::project::read_image_folder;
use smoothlab::{inject_noise, Dataset, NoiseMode, Settings, Trainer};

/// A gap of this many nats between the curves is plainly visible on the
/// plot's linear loss axis (its usual range is 0 to about 2.5 nats).
const VISIBLE_NATS: f64 = 0.25;

const WEIGHTS: &[u8] = include_bytes!("../data/backbone/efficientnet-lite0.bin");

struct Run {
    gap_points: usize,
    /// Points where the gap is also visible on the plot's linear axis.
    visible_points: usize,
    /// The share of mislabeled images predicted as their wrong label at the
    /// end (half of them by chance for a guess between two classes).
    memorised: f64,
    points: usize,
    best_test: f64,
    last_test: f64,
}

fn run(ds: &Dataset, settings: Settings, epochs: usize) -> Result<Run, smoothlab::LabError> {
    let mut trainer = Trainer::paired(ds, settings.validate()?)?;
    for _ in 0..epochs {
        trainer.run_epoch(ds)?;
    }
    let baseline = trainer.reports().iter().map(|r| &r.models[0]);
    let gap = |m: &&smoothlab::ModelReport| {
        m.noisy_loss.unwrap_or(0.0) >= 2.0 * m.clean_loss.unwrap_or(f64::INFINITY)
    };
    let visible = |m: &&smoothlab::ModelReport| {
        gap(m) && m.noisy_loss.unwrap_or(0.0) - m.clean_loss.unwrap_or(0.0) >= VISIBLE_NATS
    };
    let tests: Vec<f64> = baseline
        .clone()
        .map(|m| m.test_acc.unwrap_or(0.0))
        .collect();
    Ok(Run {
        gap_points: baseline.clone().filter(gap).count(),
        visible_points: baseline.clone().filter(visible).count(),
        memorised: trainer
            .reports()
            .last()
            .and_then(|r| r.models[0].memorized)
            .unwrap_or(0.0),
        points: tests.len(),
        best_test: tests.iter().copied().fold(0.0, f64::max),
        last_test: tests.last().copied().unwrap_or(0.0),
    })
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn list<T: std::str::FromStr>(v: &str) -> Result<Vec<T>, T::Err> {
    v.split(',').map(str::parse).collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let folder = PathBuf::from(args.next().ok_or("usage: features_defaults FOLDER")?);
    let (mut noise, mut epochs, mut seeds) = (0.2, 30, 5u64);
    let mut rates: Vec<f64> = vec![1e-3, 3e-3];
    let mut heads: Vec<usize> = vec![0, 128];
    let mut points: Vec<usize> = vec![1, 4];
    while let Some(a) = args.next() {
        let v = args.next().ok_or(format!("{a} needs a value"))?;
        match a.as_str() {
            "--noise" => noise = v.parse()?,
            "--epochs" => epochs = v.parse()?,
            "--seeds" => seeds = v.parse()?,
            "--lr" => rates = list(&v)?,
            "--heads" => heads = list(&v)?,
            "--points" => points = list(&v)?,
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
        "{} photos, {epochs} epochs, {:.0}% flipped, {seeds} seeds (medians)",
        base.len(),
        noise * 100.0
    );
    println!("| head | lr | points/epoch | gap≥2× points | and ≥{VISIBLE_NATS} nats | of | memorised at the end | test best | last |");
    println!("|---|---|---|---|---|---|---|---|---|");
    for &head in &heads {
        for &lr in &rates {
            for &per_epoch in &points {
                let mut rows = Vec::new();
                for seed in 1..=seeds {
                    let mut ds = base.clone();
                    ds.set_split(0.2, seed)?;
                    inject_noise(&mut ds, NoiseMode::Flip, noise, seed)?;
                    let settings = Settings {
                        learning_rate: lr,
                        features_hidden: if head == 0 { vec![] } else { vec![head] },
                        seed,
                        points_per_epoch: per_epoch,
                        ..Settings::default()
                    };
                    rows.push(run(&ds, settings, epochs)?);
                }
                let m = |f: &dyn Fn(&Run) -> f64| median(rows.iter().map(f).collect());
                println!(
                    "| {} | {lr} | {per_epoch} | {} | {} | {} | {:.0}% | {:.1}% | {:.1}% |",
                    if head == 0 {
                        "linear".into()
                    } else {
                        head.to_string()
                    },
                    m(&|r| r.gap_points as f64),
                    m(&|r| r.visible_points as f64),
                    m(&|r| r.points as f64),
                    m(&|r| r.memorised) * 100.0,
                    m(&|r| r.best_test) * 100.0,
                    m(&|r| r.last_test) * 100.0,
                );
            }
        }
    }
    Ok(())
}
