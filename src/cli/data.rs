//! Loading the images a command works on, and file errors.

use std::collections::HashMap;
use std::path::Path;

use smoothlab::core::data::load_digits;
use smoothlab::core::image::ColorMode;
use smoothlab::core::project::read_image_folder;
use smoothlab::core::project::{project_dataset, read_project};
use smoothlab::{inject_noise, Dataset, LabError};

use super::embed::embed;
use super::{DataArgs, Features};

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
    let (mut ds, problems) = if args.data == "digits" {
        (load_digits(), Vec::new())
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
    let noisy = ds.mislabeled_count();
    let train_n = ds.train_indices().len();
    println!(
        "{}: {} images, {} classes, {}; {} training ({} mislabeled, {:?} noise), {} held out",
        args.data,
        ds.len(),
        ds.num_classes(),
        if ds.has_features() {
            format!("{} backbone features", ds.dim())
        } else {
            format!("{}×{}×{}", ds.side(), ds.side(), ds.channels())
        },
        train_n,
        noisy,
        args.noise_mode,
        ds.len() - train_n
    );
    Ok(ds)
}

pub fn io_err(path: &Path, e: std::io::Error) -> LabError {
    LabError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}
