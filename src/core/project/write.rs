//! Writing a project zip: images one at a time, then the manifest and curves.

use std::collections::HashSet;
use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::format::{bad, safe_path, Manifest, MANIFEST};
use crate::core::error::{LabError, Result};

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
