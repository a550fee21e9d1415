//! Reading a project zip back, checked: paths that climb out, zip bombs and
//! manifests that do not match their files are refused; a plain ImageFolder
//! zip (no manifest) reads too, each top-level folder a class.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{Cursor, Read};

use zip::ZipArchive;

use super::format::*;
use crate::core::config::Settings;
use crate::core::error::{LabError, Result};
use crate::core::image::ColorMode;

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
    let manifest = parse_manifest(json)?;
    let project = checked(manifest, |file| {
        files.remove(file).ok_or_else(|| {
            bad(format!(
                "manifest lists \"{file}\" but the zip does not hold it"
            ))
        })
    })?;
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
    Ok(project)
}

/// Reads a manifest whose images are stored elsewhere by id (the browser's
/// autosave keeps the bytes in IndexedDB): checked as a zip's manifest is,
/// and every image must carry a unique id. The images come back without
/// bytes.
pub fn read_saved_manifest(json: &[u8]) -> Result<Project> {
    let manifest = parse_manifest(json)?;
    if let Some(entry) = manifest.images.iter().find(|e| e.id.is_none()) {
        return Err(bad(format!("{}: the saved image has no id", entry.file)));
    }
    checked(manifest, |_| Ok(Vec::new()))
}

fn parse_manifest(json: &[u8]) -> Result<Manifest> {
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
    Ok(manifest)
}

/// The manifest's images with their labels as class indices, each label
/// checked against the class list and the mislabeled flag, ids unique;
/// `bytes_of(file)` gives each image's bytes.
fn checked(
    manifest: Manifest,
    mut bytes_of: impl FnMut(&str) -> Result<Vec<u8>>,
) -> Result<Project> {
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
    let mut ids = HashSet::new();
    let mut images = Vec::with_capacity(manifest.images.len());
    for entry in &manifest.images {
        let bytes = bytes_of(&entry.file)?;
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
        if let Some(id) = entry.id.filter(|&id| !ids.insert(id)) {
            return Err(bad(format!(
                "{}: image id {id} is listed twice",
                entry.file
            )));
        }
        images.push(ProjectImage {
            file: entry.file.clone(),
            name: entry
                .name
                .clone()
                .unwrap_or_else(|| base_name(&entry.file).to_string()),
            id: entry.id,
            bytes,
            given,
            truth,
        });
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
            ..ImageEntry::default()
        });
        images.push(ProjectImage {
            name: base_name(&file).to_string(),
            id: None,
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
    color: crate::core::image::ColorMode,
) -> Result<(crate::core::data::Dataset, Vec<LabError>)> {
    let mut ds = crate::core::data::Dataset::new(side as usize, color.channels(), Vec::new())?;
    for c in &project.manifest.classes {
        ds.add_class(c)?;
    }
    let mut problems = Vec::new();
    for img in &project.images {
        match crate::core::image::decode_image(&img.file, &img.bytes, side, color) {
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
    use crate::core::project::write_project;
    use std::io::Write;
    use zip::{write::SimpleFileOptions, ZipWriter};

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
                    ..ImageEntry::default()
                },
                ImageEntry {
                    file: "dogs/b.jpg".into(),
                    given: "dogs".into(),
                    truth: Some("cats".into()),
                    mislabeled: true,
                    ..ImageEntry::default()
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
