//! Human label noise against random flips at the same rate, on the same
//! photos: the measurement behind the README's CIFAR-10N table.
//!
//!     cargo run --release --example human_vs_synthetic -- [--set cifar10n-catdog]
//!         [--epochs 20] [--seeds 3] [--folds 5] [--fold-epochs 10]
//!
//! The photos are embedded once by the backbone (features mode, as the page
//! opens them). For each label source (worse, aggre) and seed, three runs:
//! the human labels; the true labels with exactly as many training labels
//! flipped at random; and the true labels alone. Each trains the page's
//! default pair for photos (`Settings::default()` with its linear head on
//! features, four points per epoch) and is measured as the lab measures it.
//! Rows give medians over the seeds.
//!
//! The finder (confident learning on out-of-sample probabilities, every
//! photo scored) runs on all photos: the human labels of all of them, or as
//! many random flips as the humans made over all of them, so that both rows
//! have the same share of wrong labels to find.

use std::path::{Path, PathBuf};

use smoothlab::core::backbone::{embed_dataset, Backbone};
use smoothlab::core::data::{read_human_labels, LabelSource};
use smoothlab::core::find::{find_label_issues, flag_quality, CrossValidation, Filter};
use smoothlab::core::image::{decode_image, ColorMode};
use smoothlab::{inject_noise, Dataset, EpochReport, NoiseMode, Settings, Trainer};

const WEIGHTS: &[u8] = include_bytes!("../data/backbone/efficientnet-lite0.bin");

/// The epochs at which the mislabeled/correct loss ratio is shown.
const RATIO_EPOCHS: [f64; 4] = [1.0, 3.0, 5.0, 10.0];

const HELD_OUT: f64 = 0.2;

type Error = Box<dyn std::error::Error>;

/// The photos with CIFAR-10's labels as given and as truth, embedded.
fn load_embedded(dir: &Path) -> Result<Dataset, Error> {
    let csv = std::fs::read_to_string(dir.join("labels.csv"))?;
    let labels = read_human_labels(&csv, LabelSource::True)?;
    let mut ds = Dataset::new(32, 3, labels.classes.clone())?;
    let mut files = Vec::new();
    for photo in &labels.photos {
        let bytes = std::fs::read(dir.join("images").join(&photo.file))?;
        let pixels = decode_image(&photo.file, &bytes, 32, ColorMode::Rgb)?;
        ds.add_sample(&photo.file, &pixels, photo.given, Some(photo.truth))?;
        files.push(bytes);
    }
    let mut backbone = Backbone::new(WEIGHTS, 128)?;
    embed_dataset(&mut ds, &mut backbone, |i| files.get(i).cloned(), |_, _| {})?;
    Ok(ds)
}

/// The embedded photos with `source`'s labels given, the truth kept.
fn with_labels(truth: &Dataset, dir: &Path, source: LabelSource) -> Result<Dataset, Error> {
    let csv = std::fs::read_to_string(dir.join("labels.csv"))?;
    let labels = read_human_labels(&csv, source)?;
    if !labels.left_out.is_empty() {
        return Err(format!("{} leaves photos out; pick aggre or worse", source.column()).into());
    }
    let mut ds = truth.clone();
    for (i, photo) in labels.photos.iter().enumerate() {
        assert_eq!(
            ds.samples()[i].name,
            photo.file,
            "every source lists the photos in one order"
        );
        ds.mislabel(i, photo.given)?;
    }
    Ok(ds)
}

/// What one paired run showed, for the baseline (ε = 0).
struct Run {
    wrong_in_training: usize,
    peak_test: f64,
    final_test: f64,
    /// Epochs trained when half of the mislabeled images were first
    /// predicted as their wrong label (None: never).
    half_memorised: Option<f64>,
    first_memorised: f64,
    last_memorised: f64,
    ratios: Vec<f64>,
}

fn train(ds: &Dataset, seed: u64, epochs: usize) -> Result<Run, Error> {
    let settings = Settings {
        seed,
        points_per_epoch: 4,
        ..Settings::default()
    };
    let mut trainer = Trainer::paired(ds, settings.validate()?)?;
    for _ in 0..epochs {
        trainer.run_epoch(ds)?;
    }
    let reports: &[EpochReport] = trainer.reports();
    let base = |r: &EpochReport| r.models[0].clone();
    let tests: Vec<f64> = reports
        .iter()
        .map(|r| base(r).test_acc.unwrap_or(0.0))
        .collect();
    let ratio_at = |e: f64| {
        reports
            .iter()
            .find(|r| (r.epoch - e).abs() < 1e-9)
            .map(|r| {
                base(r).noisy_loss.unwrap_or(f64::NAN) / base(r).clean_loss.unwrap_or(f64::NAN)
            })
            .unwrap_or(f64::NAN)
    };
    Ok(Run {
        wrong_in_training: ds.mislabeled_in_training(),
        peak_test: tests.iter().copied().fold(0.0, f64::max),
        final_test: tests.last().copied().unwrap_or(0.0),
        half_memorised: reports
            .iter()
            .find(|r| base(r).memorized.unwrap_or(0.0) >= 0.5)
            .map(|r| r.epoch),
        first_memorised: reports
            .first()
            .and_then(|r| base(r).memorized)
            .unwrap_or(f64::NAN),
        last_memorised: reports
            .last()
            .and_then(|r| base(r).memorized)
            .unwrap_or(f64::NAN),
        ratios: RATIO_EPOCHS.iter().map(|&e| ratio_at(e)).collect(),
    })
}

/// The finder's precision and recall against the truth, every photo scored.
fn find(ds: &Dataset, seed: u64, folds: usize, epochs: usize) -> Result<(f64, f64, usize), Error> {
    let config = Settings {
        smoothing: 0.0,
        seed,
        ..Settings::default()
    }
    .validate()?;
    let mut cv = CrossValidation::new(ds, config, folds, epochs)?;
    cv.run(ds, |_| {})?;
    let given: Vec<usize> = ds.samples().iter().map(|s| s.given).collect();
    let found = find_label_issues(cv.probabilities().view(), &given, Filter::PruneByNoiseRate)?;
    let truth: Vec<bool> = ds.samples().iter().map(|s| s.is_mislabeled()).collect();
    let q = flag_quality(&found.issues, &truth);
    Ok((
        q.precision.unwrap_or(0.0),
        q.recall.unwrap_or(0.0),
        q.flagged,
    ))
}

/// A measure with no mislabeled image to measure on is a dash.
fn or_dash(v: f64, show: impl Fn(f64) -> String) -> String {
    if v.is_nan() {
        "–".into()
    } else {
        show(v)
    }
}

fn percent(v: f64) -> String {
    format!("{:.0}%", v * 100.0)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

struct Row {
    name: String,
    runs: Vec<Run>,
    finder: Vec<(f64, f64, usize)>,
}

fn print(rows: &[Row]) {
    let ratio_heads: Vec<String> = RATIO_EPOCHS.iter().map(|e| format!("ep {e}")).collect();
    println!(
        "| labels | wrong training labels | held-out acc peak | final | memorised at ¼ epoch | at the end | half memorised at epoch | mislabeled/correct loss {} | finder precision | recall |",
        ratio_heads.join(" / ")
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for row in rows {
        let m = |f: &dyn Fn(&Run) -> f64| median(row.runs.iter().map(f).collect());
        let ratios: Vec<String> = (0..RATIO_EPOCHS.len())
            .map(|k| or_dash(m(&|r| r.ratios[k]), |v| format!("{v:.1}×")))
            .collect();
        let half = m(&|r| r.half_memorised.unwrap_or(f64::INFINITY));
        let finder = if row.finder.is_empty() {
            "–".to_string() + " | –"
        } else {
            let p = median(row.finder.iter().map(|f| f.0).collect());
            let r = median(row.finder.iter().map(|f| f.1).collect());
            format!("{p:.2} | {r:.2}")
        };
        println!(
            "| {} | {:.0} | {:.1}% | {:.1}% | {} | {} | {} | {} | {finder} |",
            row.name,
            m(&|r| r.wrong_in_training as f64),
            m(&|r| r.peak_test) * 100.0,
            m(&|r| r.final_test) * 100.0,
            or_dash(m(&|r| r.first_memorised), percent),
            or_dash(m(&|r| r.last_memorised), percent),
            match half {
                h if h.is_finite() => format!("{h:.2}"),
                _ if row.runs[0].wrong_in_training == 0 => "–".into(),
                _ => "never".into(),
            },
            ratios.join(" / "),
        );
    }
}

fn main() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let (mut set, mut epochs, mut seeds) = ("cifar10n-catdog".to_string(), 20, 3u64);
    let (mut folds, mut fold_epochs) = (5, 10);
    while let Some(a) = args.next() {
        let v = args.next().ok_or(format!("{a} needs a value"))?;
        match a.as_str() {
            "--set" => set = v,
            "--epochs" => epochs = v.parse()?,
            "--seeds" => seeds = v.parse()?,
            "--folds" => folds = v.parse()?,
            "--fold-epochs" => fold_epochs = v.parse()?,
            _ => return Err(format!("unknown option {a}").into()),
        }
    }
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/data/cifar10n")).join(&set);
    let truth = load_embedded(&dir)?;
    let mut rows = Vec::new();
    for source in [LabelSource::Worse, LabelSource::Aggre] {
        let human = with_labels(&truth, &dir, source)?;
        let column = source.column();
        let mut people = Row {
            name: format!("people ({column})"),
            runs: vec![],
            finder: vec![],
        };
        let mut flips = Row {
            name: format!("random flips, as many as {column}"),
            runs: vec![],
            finder: vec![],
        };
        for seed in 1..=seeds {
            let mut ds = human.clone();
            ds.set_split(HELD_OUT, seed)?;
            let wrong = ds.mislabeled_in_training();
            people.runs.push(train(&ds, seed, epochs)?);
            let mut flipped = truth.clone();
            flipped.set_split(HELD_OUT, seed)?;
            let training = flipped.train_indices().len();
            inject_noise(
                &mut flipped,
                NoiseMode::Flip,
                wrong as f64 / training as f64,
                seed,
            )?;
            flips.runs.push(train(&flipped, seed, epochs)?);

            // The finder sees every photo: the same share wrong in both rows.
            let mut all = human.clone();
            all.set_split(0.0, seed)?;
            let wrong_all = all.mislabeled_in_training();
            people.finder.push(find(&all, seed, folds, fold_epochs)?);
            let mut all_flipped = truth.clone();
            all_flipped.set_split(0.0, seed)?;
            inject_noise(
                &mut all_flipped,
                NoiseMode::Flip,
                wrong_all as f64 / all.len() as f64,
                seed,
            )?;
            flips
                .finder
                .push(find(&all_flipped, seed, folds, fold_epochs)?);
        }
        rows.push(people);
        rows.push(flips);
    }
    let mut clean = Row {
        name: "true labels".into(),
        runs: vec![],
        finder: vec![],
    };
    for seed in 1..=seeds {
        let mut ds = truth.clone();
        ds.set_split(HELD_OUT, seed)?;
        clean.runs.push(train(&ds, seed, epochs)?);
    }
    rows.push(clean);
    println!(
        "{set}: {} photos in features mode, {:.0}% held out, {epochs} epochs, finder {folds} folds × {fold_epochs} epochs, medians over {seeds} seeds",
        truth.len(),
        HELD_OUT * 100.0
    );
    print(&rows);
    Ok(())
}
