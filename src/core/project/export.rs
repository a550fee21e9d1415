//! A lab as a project zip: every image (its original file where one is
//! known, else a PNG of the pixels the lab holds), the manifest and the
//! curves. File names are made safe and unique here, so that the zip unpacks
//! the same on every file system.

use std::collections::HashSet;

use image::codecs::png::PngEncoder;
use image::{ExtendedColorType, ImageEncoder};

use crate::core::csv::curves_csv;
use crate::core::data::Dataset;
use crate::core::error::{LabError, Result};
use crate::core::image::ColorMode;
use crate::core::lab::Lab;
use crate::core::project::{ImageEntry, Manifest, ProjectWriter, FORMAT, VERSION};

/// Longest file or folder name written (in characters).
const MAX_NAME: usize = 120;

/// The lab's project zip. `original(id)` gives an image's file as it was
/// dropped, or None (then its pixels are written as PNG).
pub fn export_project(
    lab: &Lab,
    mut original: impl FnMut(u64) -> Option<Vec<u8>>,
) -> Result<Vec<u8>> {
    let ds = lab.dataset();
    let mut writer = ProjectWriter::new();
    let mut taken = HashSet::new();
    let mut images = Vec::with_capacity(ds.len());
    for (i, s) in ds.samples().iter().enumerate() {
        let file = original(s.id);
        let entry = entry_of(ds, i, file.is_some(), &mut taken);
        let bytes = match file {
            Some(bytes) => bytes,
            None => encode_png(ds, i)?,
        };
        writer.add_file(&entry.file, &bytes)?;
        images.push(entry);
    }
    let manifest = manifest_of(lab, images);
    let reports = lab.reports();
    let curves = (!reports.is_empty()).then(|| curves_csv(reports));
    writer.finish(&manifest, curves.as_deref())
}

/// The manifest the browser saves with the project's bytes (kept by id):
/// the zip's, each image with its id and name too, so that a reload brings
/// back the same held-out split and names. `has_file(id)` tells whether an
/// image has its original file (else it is stored as a PNG).
pub fn saved_manifest(lab: &Lab, has_file: impl Fn(u64) -> bool) -> Manifest {
    let ds = lab.dataset();
    let mut taken = HashSet::new();
    let images = ds
        .samples()
        .iter()
        .enumerate()
        .map(|(i, s)| ImageEntry {
            id: Some(s.id),
            name: Some(s.name.clone()),
            ..entry_of(ds, i, has_file(s.id), &mut taken)
        })
        .collect();
    manifest_of(lab, images)
}

/// Image `i`'s entry: a safe, unique `<given class>/<file>` path (its own
/// name, or a PNG's), its labels by class name.
fn entry_of(ds: &Dataset, i: usize, has_file: bool, taken: &mut HashSet<String>) -> ImageEntry {
    let s = &ds.samples()[i];
    let classes = ds.classes();
    let name = if has_file {
        s.name.clone()
    } else {
        png_name(&s.name)
    };
    let given = &classes[s.given];
    ImageEntry {
        file: unique_path(given, &name, taken),
        given: given.clone(),
        truth: s.truth.map(|t| classes[t].clone()),
        mislabeled: s.is_mislabeled(),
        ..ImageEntry::default()
    }
}

fn manifest_of(lab: &Lab, images: Vec<ImageEntry>) -> Manifest {
    let ds = lab.dataset();
    Manifest {
        format: FORMAT.into(),
        version: VERSION,
        classes: ds.classes().to_vec(),
        image_size: ds.side(),
        color: ds.color(),
        settings: lab.settings().clone(),
        seed: lab.settings().seed,
        images,
    }
}

/// The image at `index` as a PNG, exactly the pixels the model sees.
pub fn encode_png(ds: &Dataset, index: usize) -> Result<Vec<u8>> {
    let side = ds.side() as u32;
    let color = match ds.color() {
        ColorMode::Gray => ExtendedColorType::L8,
        ColorMode::Rgb => ExtendedColorType::Rgb8,
    };
    let mut out = Vec::new();
    PngEncoder::new(&mut out)
        .write_image(ds.pixels(index), side, side, color)
        .map_err(|e| LabError::Dataset(format!("could not encode a PNG ({e})")))?;
    Ok(out)
}

/// The file name a PNG of the pixels gets: the image's name with `.png` for
/// its extension (`digit_0001` → `digit_0001.png`, `cat.jpg` → `cat.png`).
fn png_name(name: &str) -> String {
    let stem = match name.rfind('.') {
        Some(dot) if dot > 0 => &name[..dot],
        _ => name,
    };
    format!("{stem}.png")
}

/// One path component that is safe everywhere: no separators, no characters
/// Windows refuses, no leading dot (hidden, or `..`), not empty.
fn safe_component(text: &str, fallback: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let trimmed = cleaned.trim().trim_start_matches('.').trim_end_matches('.');
    let short: String = trimmed.chars().take(MAX_NAME).collect();
    if short.is_empty() || short == "__MACOSX" {
        fallback.to_string()
    } else {
        short
    }
}

/// `<class>/<name>`, made unique ignoring case (`a.png` and `A.png` would be
/// one file on macOS and Windows) by numbering: `a-2.png`, `a-3.png`, ….
fn unique_path(class: &str, name: &str, taken: &mut HashSet<String>) -> String {
    let folder = safe_component(class, "class");
    let name = safe_component(name, "image");
    let (stem, ext) = match name.rfind('.') {
        Some(dot) if dot > 0 => name.split_at(dot),
        _ => (name.as_str(), ""),
    };
    let mut candidate = format!("{folder}/{name}");
    let mut n = 2;
    while !taken.insert(candidate.to_lowercase()) {
        candidate = format!("{folder}/{stem}-{n}{ext}");
        n += 1;
    }
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::project::{read_project, read_saved_manifest, safe_path};
    use crate::core::Settings;

    #[test]
    fn names_are_made_safe_and_unique() {
        let mut taken = HashSet::new();
        let mut path = |c: &str, n: &str| unique_path(c, n, &mut taken);
        assert_eq!(path("cats", "a.png"), "cats/a.png");
        assert_eq!(path("cats", "A.PNG"), "cats/A-2.PNG");
        assert_eq!(path("cats", "a.png"), "cats/a-3.png");
        assert_eq!(path("../etc", "../passwd"), "_etc/_passwd");
        assert_eq!(path("a/b", ".hidden"), "a_b/hidden");
        assert_eq!(path("<b>x</b>", "C:\\x.jpg"), "_b_x__b_/C__x.jpg");
        assert_eq!(path("..", ".."), "class/image");
        assert_eq!(path("dogs", "noext"), "dogs/noext");
        assert_eq!(path("dogs", "noext"), "dogs/noext-2");
        assert_eq!(png_name("digit_0001"), "digit_0001.png");
        assert_eq!(png_name("cat.jpg"), "cat.png");
        assert_eq!(png_name(".hidden"), ".hidden.png");
        for p in taken.iter() {
            assert!(safe_path(p), "{p}");
        }
    }

    #[test]
    fn the_sample_exports_as_pngs_that_read_back_to_the_same_pixels() {
        let mut lab = Lab::sample(Settings::default()).unwrap();
        lab.mislabel(lab.dataset().samples()[0].id, 5).unwrap();
        lab.step(3 * lab.steps_per_epoch()).unwrap();
        let zip = export_project(&lab, |_| None).unwrap();
        let project = read_project(&zip).unwrap();
        let m = &project.manifest;
        assert_eq!((m.image_size, m.color), (8, ColorMode::Gray));
        assert_eq!(m.images.len(), 1797);
        assert_eq!(m.images[0].file, "5/digit_0000.png");
        assert_eq!(m.images[0].truth.as_deref(), Some("0"));
        assert!(m.images[0].mislabeled);
        let (ds, problems) =
            crate::core::project::project_dataset(&project, 8, ColorMode::Gray).unwrap();
        assert!(problems.is_empty());
        for i in [0, 1, 900, 1796] {
            assert_eq!(ds.pixels(i), lab.dataset().pixels(i));
        }
        assert_eq!(ds.samples()[0].given, 5);
        let csv = std::str::from_utf8(&zip_entry(&zip, "curves.csv"))
            .unwrap()
            .to_owned();
        assert_eq!(csv.lines().count(), 1 + 3 * 2);
        assert!(csv.lines().nth(2).unwrap().starts_with("1,smoothed,0.2,"));
    }

    #[test]
    fn originals_are_written_byte_for_byte() {
        let mut lab = Lab::new(4, Settings::default()).unwrap();
        lab.add_class("red").unwrap();
        let png = std::fs::read("tests/fixtures/images/red.png").unwrap();
        let id = lab.add_image("red.png", &png, 0).unwrap();
        let zip = export_project(&lab, |i| (i == id).then(|| png.clone())).unwrap();
        let project = read_project(&zip).unwrap();
        assert_eq!(project.images[0].bytes, png);
        assert_eq!(project.manifest.images[0].file, "red/red.png");
        assert!(zip_entry_missing(&zip, "curves.csv"));
    }

    #[test]
    fn the_saved_manifest_keeps_ids_and_names_and_reads_back_checked() {
        let mut lab = Lab::new(4, Settings::default()).unwrap();
        lab.add_class("red").unwrap();
        let png = std::fs::read("tests/fixtures/images/red.png").unwrap();
        let a = lab.add_image("red.png", &png, 0).unwrap();
        let b = lab.add_image("red.png", &png, 0).unwrap();
        let manifest = saved_manifest(&lab, |id| id == a);
        let files: Vec<&str> = manifest.images.iter().map(|e| e.file.as_str()).collect();
        assert_eq!(files, ["red/red.png", "red/red-2.png"]);
        let json = serde_json::to_vec(&manifest).unwrap();
        let project = read_saved_manifest(&json).unwrap();
        let back: Vec<(Option<u64>, &str)> = project
            .images
            .iter()
            .map(|i| (i.id, i.name.as_str()))
            .collect();
        assert_eq!(back, [(Some(a), "red.png"), (Some(b), "red.png")]);

        // A zip's manifest has neither, and a saved one must have unique ids.
        let zip = export_project(&lab, |_| None).unwrap();
        assert!(read_project(&zip)
            .unwrap()
            .manifest
            .images
            .iter()
            .all(|e| e.id.is_none()));
        let mut twice = manifest.clone();
        twice.images[1].id = Some(a);
        let msg = read_saved_manifest(&serde_json::to_vec(&twice).unwrap()).unwrap_err();
        assert!(msg.to_string().contains("listed twice"), "{msg}");
        let mut none = manifest;
        none.images[0].id = None;
        assert!(read_saved_manifest(&serde_json::to_vec(&none).unwrap()).is_err());
    }

    fn zip_entry(zip: &[u8], name: &str) -> Vec<u8> {
        use std::io::Read;
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
        let mut out = Vec::new();
        archive
            .by_name(name)
            .unwrap()
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    fn zip_entry_missing(zip: &[u8], name: &str) -> bool {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
        let missing = archive.by_name(name).is_err();
        missing
    }
}
