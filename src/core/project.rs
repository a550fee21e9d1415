//! The project format: a .zip in ImageFolder layout (`<given class>/<file>`,
//! the original image bytes) plus `manifest.json` (format version, classes,
//! per image its file, given class, true class and mislabeled flag, the
//! settings and the seed) and optionally `curves.csv`.
//!
//! It is built here, in the core, so that the page and the command line read
//! and write exactly the same format. A plain ImageFolder zip from elsewhere
//! (no manifest) reads too: each top-level folder is a class.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{Cursor, Read, Write};

use serde::{Deserialize, Serialize};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use super::config::Settings;
use super::error::{LabError, Result};
use super::ingest::ColorMode;

pub const FORMAT: &str = "smoothlab-project";
pub const VERSION: u32 = 1;
pub const MANIFEST: &str = "manifest.json";
/// Refuse archives that would expand past this (zip bombs).
pub const MAX_TOTAL_BYTES: u64 = 2 << 30;
pub const MAX_ENTRIES: usize = 100_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ImageEntry {
    /// Path inside the zip, `<given class>/<name>`.
    pub file: String,
    pub given: String,
    /// The true class where known.
    #[serde(rename = "true")]
    pub truth: Option<String>,
    pub mislabeled: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Manifest {
    pub format: String,
    pub version: u32,
    pub classes: Vec<String>,
    pub image_size: usize,
    /// Gray or RGB; files written before it existed were RGB.
    #[serde(default = "rgb")]
    pub color: ColorMode,
    pub settings: Settings,
    pub seed: u64,
    pub images: Vec<ImageEntry>,
}

/// An image read back from a project, with its labels as class indices.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectImage {
    pub file: String,
    pub bytes: Vec<u8>,
    pub given: usize,
    pub truth: Option<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    /// The manifest as read, or one made up for a plain ImageFolder zip.
    pub manifest: Manifest,
    pub images: Vec<ProjectImage>,
}

fn rgb() -> ColorMode {
    ColorMode::Rgb
}

fn bad(reason: impl Into<String>) -> LabError {
    LabError::Dataset(format!("project: {}", reason.into()))
}

/// A zip path is safe when it is relative, has no `..`, no backslashes and
/// no drive letter: nothing may land outside the folder it is unpacked into.
pub fn safe_path(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && !path.contains(':')
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

/// Writes a project zip one image at a time (so that only the zip itself is
/// held, not a second copy of every image), then the manifest and curves.
pub struct ProjectWriter {
    zip: ZipWriter<Cursor<Vec<u8>>>,
    written: HashSet<String>,
}

fn zip_error(e: zip::result::ZipError) -> LabError {
    bad(format!("could not write the zip ({e})"))
}

impl Default for ProjectWriter {
    fn default() -> Self {
        ProjectWriter {
            zip: ZipWriter::new(Cursor::new(Vec::new())),
            written: HashSet::new(),
        }
    }
}

impl ProjectWriter {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one image file, stored as it is (images are compressed already).
    pub fn add_file(&mut self, path: &str, bytes: &[u8]) -> Result<()> {
        if !safe_path(path) || !self.written.insert(path.to_string()) {
            return Err(bad(format!("\"{path}\" is not a safe, unique file name")));
        }
        let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
        self.zip.start_file(path, stored).map_err(zip_error)?;
        self.zip.write_all(bytes).map_err(|e| bad(e.to_string()))
    }

    /// Writes the manifest (which must list exactly the files added) and
    /// the curves, and returns the zip's bytes.
    pub fn finish(mut self, manifest: &Manifest, curves_csv: Option<&str>) -> Result<Vec<u8>> {
        let listed: HashSet<&str> = manifest.images.iter().map(|i| i.file.as_str()).collect();
        if listed.len() != manifest.images.len() {
            return Err(bad("the manifest lists a file twice"));
        }
        if let Some(f) = self.written.iter().find(|f| !listed.contains(f.as_str())) {
            return Err(bad(format!("\"{f}\" is not a file of the manifest")));
        }
        if let Some(f) = listed.iter().find(|f| !self.written.contains(**f)) {
            return Err(bad(format!(
                "the manifest lists \"{f}\" but it was not written"
            )));
        }
        let deflated = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
        let json = serde_json::to_string_pretty(manifest).map_err(|e| bad(e.to_string()))?;
        self.zip.start_file(MANIFEST, deflated).map_err(zip_error)?;
        self.zip
            .write_all(json.as_bytes())
            .map_err(|e| bad(e.to_string()))?;
        if let Some(csv) = curves_csv {
            self.zip
                .start_file("curves.csv", deflated)
                .map_err(zip_error)?;
            self.zip
                .write_all(csv.as_bytes())
                .map_err(|e| bad(e.to_string()))?;
        }
        Ok(self.zip.finish().map_err(zip_error)?.into_inner())
    }
}

/// Writes a project from files held in memory.
pub fn write_project<'a>(
    manifest: &Manifest,
    files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
    curves_csv: Option<&str>,
) -> Result<Vec<u8>> {
    let mut writer = ProjectWriter::new();
    for (path, bytes) in files {
        writer.add_file(path, bytes)?;
    }
    writer.finish(manifest, curves_csv)
}

/// Reads a project zip (with manifest) or a plain ImageFolder zip.
pub fn read_project(bytes: &[u8]) -> Result<Project> {
    let mut zip = ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| bad(format!("not a readable zip file ({e})")))?;
    if zip.len() > MAX_ENTRIES {
        return Err(bad(format!("more than {MAX_ENTRIES} files")));
    }
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut total = 0u64;
    for i in 0..zip.len() {
        let mut entry = zip
            .by_index(i)
            .map_err(|e| bad(format!("damaged entry ({e})")))?;
        if entry.is_dir() {
            continue;
        }
        let name = entry
            .name()
            .map_err(|e| bad(format!("a file name is not readable ({e})")))?
            .to_string();
        if !safe_path(&name) {
            return Err(bad(format!(
                "unsafe file name \"{name}\" (absolute or with \"..\")"
            )));
        }
        let hidden = name
            .split('/')
            .any(|p| p.starts_with('.') || p == "__MACOSX");
        if hidden {
            continue;
        }
        let mut data = Vec::new();
        // Read at most what is left of the budget, whatever the header says.
        let budget = MAX_TOTAL_BYTES - total;
        (&mut entry)
            .take(budget + 1)
            .read_to_end(&mut data)
            .map_err(|e| bad(format!("{name}: damaged ({e})")))?;
        total += data.len() as u64;
        if total > MAX_TOTAL_BYTES {
            return Err(bad("the files would unpack to more than 2 GiB"));
        }
        files.insert(name, data);
    }
    match files.remove(MANIFEST) {
        Some(json) => with_manifest(&json, files),
        None => image_folder(files),
    }
}

fn with_manifest(json: &[u8], mut files: BTreeMap<String, Vec<u8>>) -> Result<Project> {
    let manifest: Manifest = serde_json::from_slice(json)
        .map_err(|e| bad(format!("manifest.json is not valid ({e})")))?;
    if manifest.format != FORMAT {
        return Err(bad(format!("manifest.json is not a {FORMAT} manifest")));
    }
    if manifest.version > VERSION {
        return Err(bad(format!(
            "format version {} is newer than this smoothlab reads ({VERSION}); update smoothlab",
            manifest.version
        )));
    }
    let class_index: HashMap<&str, usize> = manifest
        .classes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i))
        .collect();
    let class = |name: &str, file: &str| {
        class_index
            .get(name)
            .copied()
            .ok_or_else(|| bad(format!("{file}: class \"{name}\" is not in the class list")))
    };
    let mut images = Vec::with_capacity(manifest.images.len());
    for entry in &manifest.images {
        let bytes = files.remove(&entry.file).ok_or_else(|| {
            bad(format!(
                "manifest lists \"{}\" but the zip does not hold it",
                entry.file
            ))
        })?;
        let given = class(&entry.given, &entry.file)?;
        let truth = entry
            .truth
            .as_deref()
            .map(|t| class(t, &entry.file))
            .transpose()?;
        if entry.mislabeled != truth.is_some_and(|t| t != given) {
            return Err(bad(format!(
                "{}: the mislabeled flag contradicts the classes",
                entry.file
            )));
        }
        images.push(ProjectImage {
            file: entry.file.clone(),
            bytes,
            given,
            truth,
        });
    }
    let extra: Vec<&String> = files
        .keys()
        .filter(|f| f.as_str() != "curves.csv")
        .collect();
    if let Some(f) = extra.first() {
        return Err(bad(format!(
            "\"{f}\" is in the zip but not in manifest.json ({} such files)",
            extra.len()
        )));
    }
    Ok(Project { manifest, images })
}

fn image_folder(files: BTreeMap<String, Vec<u8>>) -> Result<Project> {
    let mut classes: Vec<String> = Vec::new();
    let mut images = Vec::new();
    let mut entries = Vec::new();
    for (file, bytes) in files {
        // A single wrapping folder (zip of "dataset/") is looked through.
        let Some((class, _)) = file.split_once('/') else {
            continue;
        };
        let k = match classes.iter().position(|c| c == class) {
            Some(k) => k,
            None => {
                classes.push(class.to_string());
                classes.len() - 1
            }
        };
        entries.push(ImageEntry {
            file: file.clone(),
            given: class.to_string(),
            truth: Some(class.to_string()),
            mislabeled: false,
        });
        images.push(ProjectImage {
            file,
            bytes,
            given: k,
            truth: Some(k),
        });
    }
    if classes.is_empty() {
        return Err(bad(
            "no manifest.json and no class folders; put each class's images in its own folder",
        ));
    }
    Ok(Project {
        manifest: Manifest {
            format: FORMAT.into(),
            version: VERSION,
            classes,
            image_size: 32,
            color: ColorMode::Rgb,
            settings: Settings::default(),
            seed: Settings::default().seed,
            images: entries,
        },
        images,
    })
}

/// Decodes a project's images into a dataset of `side`×`side` images; a
/// file that does not decode is left out and reported, never fatal.
pub fn project_dataset(
    project: &Project,
    side: u32,
    color: super::ingest::ColorMode,
) -> Result<(super::dataset::Dataset, Vec<LabError>)> {
    let mut ds = super::dataset::Dataset::new(side as usize, color.channels(), Vec::new())?;
    for c in &project.manifest.classes {
        ds.add_class(c)?;
    }
    let mut problems = Vec::new();
    for img in &project.images {
        match super::ingest::decode_image(&img.file, &img.bytes, side, color) {
            Ok(px) => {
                ds.push_sample(&img.file, &px, img.given, img.truth)?;
            }
            Err(e) => problems.push(e),
        }
    }
    ds.resplit();
    Ok((ds, problems))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest() -> Manifest {
        Manifest {
            format: FORMAT.into(),
            version: VERSION,
            classes: vec!["cats".into(), "dogs".into()],
            image_size: 32,
            color: ColorMode::Rgb,
            settings: Settings::default(),
            seed: 7,
            images: vec![
                ImageEntry {
                    file: "cats/a.png".into(),
                    given: "cats".into(),
                    truth: Some("cats".into()),
                    mislabeled: false,
                },
                ImageEntry {
                    file: "dogs/b.jpg".into(),
                    given: "dogs".into(),
                    truth: Some("cats".into()),
                    mislabeled: true,
                },
            ],
        }
    }

    fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        for (name, bytes) in files {
            zip.start_file(*name, SimpleFileOptions::default()).unwrap();
            zip.write_all(bytes).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn round_trip_keeps_the_manifest_and_bytes() {
        let m = manifest();
        let bytes = write_project(
            &m,
            [("cats/a.png", &b"A"[..]), ("dogs/b.jpg", &b"B"[..])],
            Some("epoch\n1\n"),
        )
        .unwrap();
        let p = read_project(&bytes).unwrap();
        assert_eq!(p.manifest, m);
        assert_eq!(p.images[1].bytes, b"B");
        assert_eq!((p.images[1].given, p.images[1].truth), (1, Some(0)));
        let again = write_project(
            &p.manifest,
            p.images.iter().map(|i| (i.file.as_str(), &i.bytes[..])),
            None,
        )
        .unwrap();
        assert_eq!(read_project(&again).unwrap().manifest, m);
    }

    #[test]
    fn plain_image_folder_zip_reads() {
        let p = read_project(&zip_of(&[
            ("cats/1.png", b"x"),
            ("dogs/2.png", b"y"),
            ("readme.txt", b"z"),
            ("__MACOSX/cats/._1.png", b""),
        ]))
        .unwrap();
        assert_eq!(p.manifest.classes, vec!["cats", "dogs"]);
        assert_eq!(p.images.len(), 2);
    }

    #[test]
    fn unsafe_and_inconsistent_archives_are_refused() {
        for evil in [
            "../x.png",
            "/etc/x.png",
            "cats/../../x.png",
            "c:\\x.png",
            "cats\\..\\x.png",
        ] {
            let e = read_project(&zip_of(&[(evil, b"x")]))
                .unwrap_err()
                .to_string();
            assert!(e.contains("unsafe file name"), "{evil}: {e}");
        }
        let json = serde_json::to_vec(&manifest()).unwrap();
        let missing =
            read_project(&zip_of(&[("manifest.json", &json), ("cats/a.png", b"A")])).unwrap_err();
        assert!(
            missing.to_string().contains("does not hold \"dogs/b.jpg\"")
                || missing.to_string().contains("dogs/b.jpg"),
            "{missing}"
        );
        let extra = read_project(&zip_of(&[
            ("manifest.json", &json),
            ("cats/a.png", b"A"),
            ("dogs/b.jpg", b"B"),
            ("dogs/c.jpg", b"C"),
        ]))
        .unwrap_err();
        assert!(
            extra.to_string().contains("not in manifest.json"),
            "{extra}"
        );
        let mut lying = manifest();
        lying.images[1].mislabeled = false;
        let json = serde_json::to_vec(&lying).unwrap();
        let e = read_project(&zip_of(&[
            ("manifest.json", &json),
            ("cats/a.png", b"A"),
            ("dogs/b.jpg", b"B"),
        ]))
        .unwrap_err();
        assert!(e.to_string().contains("contradicts"), "{e}");
        assert!(read_project(b"PK\x03\x04 nonsense").is_err());
        assert!(read_project(b"").is_err());
        assert!(write_project(&manifest(), [("../evil.png", &b""[..])], None).is_err());
    }
}
