//! The project format: a .zip in ImageFolder layout (`<given class>/<file>`,
//! the original image bytes) plus `manifest.json` (format version, classes,
//! per image its file, given class, true class and mislabeled flag, the
//! settings and the seed) and optionally `curves.csv`.
//!
//! It is built here, in the core, so that the page and the command line read
//! and write exactly the same format. A plain ImageFolder zip from elsewhere
//! (no manifest) reads too: each top-level folder is a class.

use serde::{Deserialize, Serialize};

use crate::core::config::Settings;
use crate::core::error::LabError;
use crate::core::image::ColorMode;

pub const FORMAT: &str = "smoothlab-project";
pub const VERSION: u32 = 1;
pub const MANIFEST: &str = "manifest.json";
/// Refuse archives that would expand past this (zip bombs).
pub const MAX_TOTAL_BYTES: u64 = 2 << 30;
pub const MAX_ENTRIES: usize = 100_000;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ImageEntry {
    /// Path inside the zip, `<given class>/<name>`.
    pub file: String,
    pub given: String,
    /// The true class where known.
    #[serde(rename = "true")]
    pub truth: Option<String>,
    pub mislabeled: bool,
    /// The image's id in the lab, so that its held-out split comes back the
    /// same. Written by the browser's autosave, whose record is this same
    /// manifest; a zip leaves it out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<u64>,
    /// Its name as the lab shows it, where that is not the file's own (the
    /// autosave keeps it; in a zip, names are made unique and are the file's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
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
    /// The name the lab shows: the entry's, or the file's without its folder.
    pub name: String,
    /// The id it had, where the manifest keeps it (see [`ImageEntry::id`]).
    pub id: Option<u64>,
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

/// A file's name without its folders.
pub fn base_name(file: &str) -> &str {
    file.rsplit('/').next().unwrap_or(file)
}

fn rgb() -> ColorMode {
    ColorMode::Rgb
}

pub(super) fn bad(reason: impl Into<String>) -> LabError {
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
