//! Reads a folder laid out like PyTorch's `ImageFolder`: one subfolder per
//! class, the images of that class inside it (nested folders allowed).
//!
//! ```text
//! root/cats/001.jpg
//! root/cats/more/002.png
//! root/dogs/003.jpg
//! ```
//!
//! Classes are the subfolders sorted by name, so class indices match
//! `ImageFolder`'s. A file that cannot be read does not stop the load: it is
//! reported beside the dataset, named by its path inside the root.

use std::fs;
use std::path::{Path, PathBuf};

use crate::core::data::Dataset;
use crate::core::error::{LabError, Result};
use crate::core::image::{decode_image, ColorMode};

/// Files larger than this are refused unread.
const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Files some systems leave in every folder; they are not images.
const SYSTEM_FILES: &[&str] = &["Thumbs.db", "desktop.ini"];

/// Loads every image under `root`, labelled by its class folder (given and
/// true label alike). Returns the dataset with the problems met on the way:
/// files that could not be read, and class folders without a readable image
/// (those classes stay, empty, so that the trainer can name them). Only an
/// unreadable root or one without class folders is an error.
pub fn read_image_folder(
    root: &Path,
    side: u32,
    color: ColorMode,
) -> Result<(Dataset, Vec<LabError>)> {
    let mut problems = Vec::new();
    let class_dirs = class_folders(root)?;
    if class_dirs.is_empty() {
        return Err(LabError::Dataset(format!(
            "{}: no class folders found; put the images of each class in their own \
             subfolder (e.g. cats/ and dogs/)",
            root.display()
        )));
    }
    let mut ds = Dataset::new(side as usize, color.channels(), Vec::new())?;
    for (name, dir) in class_dirs {
        let class = match ds.add_class(&name) {
            Ok(class) => class,
            Err(e) => {
                problems.push(LabError::Dataset(format!("folder \"{name}\" skipped: {e}")));
                continue;
            }
        };
        let mut files = Vec::new();
        collect_files(&dir, &mut files, &mut problems, root);
        files.sort();
        let mut added = 0;
        for path in files {
            let shown = relative_name(root, &path);
            match read_one(&path, &shown, side, color) {
                Ok(pixels) => {
                    ds.push_sample(&shown, &pixels, class, Some(class))?;
                    added += 1;
                }
                Err(e) => problems.push(e),
            }
        }
        if added == 0 {
            problems.push(LabError::Dataset(format!(
                "class folder \"{name}\" has no readable images"
            )));
        }
    }
    ds.resplit();
    Ok((ds, problems))
}

/// The non-hidden subfolders of `root` with their names, sorted by name.
fn class_folders(root: &Path) -> Result<Vec<(String, PathBuf)>> {
    let io_error = |e: std::io::Error| LabError::Io {
        path: root.display().to_string(),
        reason: e.to_string(),
    };
    let mut dirs = Vec::new();
    for entry in fs::read_dir(root).map_err(io_error)? {
        let entry = entry.map_err(io_error)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_hidden(&name) {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            dirs.push((name, path));
        }
    }
    dirs.sort();
    Ok(dirs)
}

/// Every non-hidden file under `dir`. Links to folders are not followed,
/// which rules out cycles.
fn collect_files(dir: &Path, out: &mut Vec<PathBuf>, problems: &mut Vec<LabError>, root: &Path) {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            problems.push(LabError::Io {
                path: relative_name(root, dir),
                reason: e.to_string(),
            });
            return;
        }
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_hidden(&name) || SYSTEM_FILES.contains(&name.as_str()) {
            continue;
        }
        let path = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => collect_files(&path, out, problems, root),
            Ok(t) if t.is_symlink() && path.is_dir() => {}
            Ok(_) => out.push(path),
            Err(e) => problems.push(LabError::Io {
                path: relative_name(root, &path),
                reason: e.to_string(),
            }),
        }
    }
}

fn read_one(path: &Path, shown: &str, side: u32, color: ColorMode) -> Result<Vec<u8>> {
    let io_error = |e: std::io::Error| LabError::Io {
        path: shown.to_string(),
        reason: e.to_string(),
    };
    let size = fs::metadata(path).map_err(io_error)?.len();
    if size > MAX_FILE_BYTES {
        return Err(LabError::bad_image(
            shown,
            format!(
                "the file is {} MB, more than the {} MB limit",
                size >> 20,
                MAX_FILE_BYTES >> 20
            ),
        ));
    }
    let bytes = fs::read(path).map_err(io_error)?;
    decode_image(shown, &bytes, side, color)
}

fn is_hidden(name: &str) -> bool {
    name.starts_with('.')
}

/// `path` relative to `root` with forward slashes, e.g. "cats/001.jpg".
fn relative_name(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    const RED: &[u8] = include_bytes!("../../../tests/fixtures/images/red.png");
    const BLUE: &[u8] = include_bytes!("../../../tests/fixtures/images/blue.jpg");
    const GREEN: &[u8] = include_bytes!("../../../tests/fixtures/images/green.bmp");

    /// A fresh folder under the system temp dir, removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(tag: &str) -> Self {
            let dir = std::env::temp_dir().join(format!("smoothlab-{tag}-{}", std::process::id()));
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(&dir).unwrap();
            TempDir(dir)
        }
        fn write(&self, rel: &str, bytes: &[u8]) {
            let path = self.0.join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, bytes).unwrap();
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn classes_are_sorted_folders_and_bad_files_are_reported() {
        let tmp = TempDir::new("folder");
        tmp.write("red/a.png", RED);
        tmp.write("red/b.png", RED);
        tmp.write("red/nested/c.png", RED);
        tmp.write("red/.hidden.png", b"not read");
        tmp.write("red/Thumbs.db", b"not read");
        tmp.write("blue/x.jpg", BLUE);
        tmp.write("blue/broken.jpg", &BLUE[..BLUE.len() / 2]);
        tmp.write("blue/notes.txt", b"hello");
        tmp.write("green/g.bmp", GREEN);
        tmp.write("empty/readme.md", b"# nothing here");
        tmp.write(".git/config", b"ignored");
        tmp.write("loose.png", RED);

        let (ds, problems) = read_image_folder(&tmp.0, 4, ColorMode::Rgb).unwrap();
        assert_eq!(ds.classes(), &["blue", "empty", "green", "red"]);
        assert_eq!(ds.class_counts(), vec![1, 0, 1, 3]);
        let names: Vec<&str> = ds.samples().iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "blue/x.jpg",
                "green/g.bmp",
                "red/a.png",
                "red/b.png",
                "red/nested/c.png"
            ]
        );
        assert!(ds.samples().iter().all(|s| s.truth == Some(s.given)));
        assert!(ds.pixels(4).chunks(3).all(|p| p[0] > 200 && p[2] < 60));

        let messages: Vec<String> = problems.iter().map(|e| e.to_string()).collect();
        assert_eq!(messages.len(), 4, "{messages:?}");
        assert!(messages[0].starts_with("blue/broken.jpg: ") && messages[0].contains("damaged"));
        assert!(
            messages[1].starts_with("blue/notes.txt: ") && messages[1].contains("not an image")
        );
        assert!(messages[2].starts_with("empty/readme.md: "));
        assert!(messages[3].contains("\"empty\" has no readable images"));
    }

    #[test]
    fn a_root_without_class_folders_is_an_error() {
        let tmp = TempDir::new("flat");
        tmp.write("a.png", RED);
        let err = read_image_folder(&tmp.0, 4, ColorMode::Gray).unwrap_err();
        assert!(err.to_string().contains("no class folders"), "{err}");
        let missing = tmp.0.join("missing");
        let err = read_image_folder(&missing, 4, ColorMode::Gray).unwrap_err();
        assert!(matches!(err, LabError::Io { .. }), "{err}");
    }
}
