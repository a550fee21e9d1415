//! Loading the images a command works on, and file errors.

use std::collections::HashMap;
use std::path::Path;

use smoothlab::core::data::load_digits;
use smoothlab::core::image::ColorMode;
use smoothlab::core::project::read_image_folder;
use smoothlab::core::project::{project_dataset, read_project};
use smoothlab::{inject_noise, Dataset, LabError, NoiseMode};

use super::embed::embed;
use super::samples::{load_sample, SAMPLES};
use super::{DataArgs, Features};
use smoothlab::core::data::LabelSource;

/// Loads, splits and (optionally) corrupts the data, and says what it did.
pub fn load(args: &DataArgs) -> Result<Dataset, LabError> {
    let color = if args.gray {
        ColorMode::Gray
    } else {
        ColorMode::Rgb
    };
    let path = Path::new(&args.data);
    // Each image's original file by its name in the dataset, for the backbone.
    let mut originals: HashMap<String, Vec<u8>> = HashMap::new();
    if args.labels.is_some() && !SAMPLES.contains(&args.data.as_str()) {
        return Err(LabError::Dataset(format!(
            "--labels applies to the samples {}; {} has its own labels",
            SAMPLES.join(" and "),
            args.data
        )));
    }
    let (mut ds, problems) = if args.data == "digits" {
        (load_digits(), Vec::new())
    } else if SAMPLES.contains(&args.data.as_str()) {
        let source = args.labels.unwrap_or(LabelSource::Aggre);
        let (ds, files) = load_sample(&args.data, source, args.image_size, color)?;
        if args.features == Features::Effnet {
            originals = files;
        }
        (ds, Vec::new())
    } else if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
    {
        let bytes = std::fs::read(path).map_err(|e| io_err(path, e))?;
        let project = read_project(&bytes)?;
        let loaded = project_dataset(&project, args.image_size, color)?;
        if args.features == Features::Effnet {
            originals.extend(project.images.into_iter().map(|img| (img.file, img.bytes)));
        }
        loaded
    } else {
        read_image_folder(path, args.image_size, color)?
    };
    for p in &problems {
        eprintln!("skipped {p}");
    }
    if args.features == Features::Effnet {
        let names: Vec<String> = ds.samples().iter().map(|s| s.name.clone()).collect();
        let folder = path.to_path_buf();
        let from_folder = args.data != "digits" && originals.is_empty();
        embed(&mut ds, args.backbone_size, |i| {
            let name = &names[i];
            match originals.remove(name) {
                Some(bytes) => Some(bytes),
                // A folder's images are named by their path inside it.
                None if from_folder => std::fs::read(folder.join(name)).ok(),
                None => None,
            }
        })?;
    }
    ds.set_split(args.holdout, args.seed)?;
    // Without --noise, labels stay as given (a project's own mislabels too).
    if args.noise > 0.0 {
        inject_noise(&mut ds, args.noise_mode, args.noise, args.seed)?;
    }
    let noise = (args.noise > 0.0).then_some(args.noise_mode);
    say!("{}: {}", args.data, summary(&ds, noise));
    Ok(ds)
}

/// What was loaded, each count with the split it counts: a held-out image
/// with a wrong given label (a project's human labels) is scored on its
/// true label and is not a mislabeled training image.
fn summary(ds: &Dataset, noise: Option<NoiseMode>) -> String {
    let train_wrong = ds.mislabeled_in_training();
    let train = ds.train_indices().len();
    let held_out = ds.len() - train;
    let held_out_wrong = ds.mislabeled_count() - train_wrong;
    let input = if ds.has_features() {
        format!("{} backbone features", ds.dim())
    } else {
        format!("{}×{}×{}", ds.side(), ds.side(), ds.channels())
    };
    let noise = noise.map_or(String::new(), |mode| format!(", {mode:?} noise"));
    let scored = if held_out_wrong > 0 {
        format!(" (scored on their true labels; {held_out_wrong} of them given a wrong label)")
    } else {
        String::new()
    };
    format!(
        "{} images, {} classes, {input}; {} training ({train_wrong} mislabeled{noise}), {held_out} held out{scored}",
        ds.len(),
        ds.num_classes(),
        train,
    )
}

pub fn io_err(path: &Path, e: std::io::Error) -> LabError {
    LabError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_count_says_which_split_it_counts() {
        let mut ds = Dataset::new(1, 1, vec!["a".into(), "b".into()]).unwrap();
        for i in 0..20 {
            ds.add_sample(&i.to_string(), &[i as u8], i % 2, Some(i % 2))
                .unwrap();
        }
        ds.set_split(0.25, 1).unwrap();
        let held_out: Vec<usize> = (0..20).filter(|&i| ds.samples()[i].holdout).collect();
        let train = ds.train_indices();
        // Wrong given labels: two training images and one held-out image.
        for i in [train[0], train[1], held_out[0]] {
            let other = 1 - ds.samples()[i].given;
            ds.mislabel(i, other).unwrap();
        }
        assert_eq!(
            summary(&ds, None),
            format!(
                "20 images, 2 classes, 1×1×1; {} training (2 mislabeled), {} held out \
                 (scored on their true labels; 1 of them given a wrong label)",
                train.len(),
                held_out.len()
            )
        );
        assert!(summary(&ds, Some(NoiseMode::Flip)).contains("(2 mislabeled, Flip noise)"));
    }
}
