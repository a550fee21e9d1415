//! The committed fuzz corpora (fuzz/corpus/) through the very calls the fuzz
//! targets make (fuzz/harness.rs is included here), on stable Rust and
//! without libFuzzer: no file may panic, the known good seeds must read and
//! the known bad ones must give an error that says something. `make fuzz`
//! runs the real fuzzers.
//!
//! The project seeds are made by `project_seeds` below; after a change to the
//! project format, write them again with
//! `SMOOTHLAB_WRITE_SEEDS=1 cargo test --test fuzz_corpus`.

use std::io::{Cursor, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use serde_json::json;
use smoothlab::core::config::Settings;
use smoothlab::core::image::{decode_image, ColorMode};
use smoothlab::core::project::{write_project, Manifest, FORMAT, VERSION};
use zip::write::SimpleFileOptions;
use zip::ZipWriter;

#[path = "../fuzz/harness.rs"]
mod harness;

/// Fixtures copied into the ingest corpus that must decode.
const GOOD_IMAGES: &[&str] = &[
    "animated.gif",
    "blue.jpg",
    "cmyk.jpg",
    "exif_rotated.jpg",
    "gray_alpha.png",
    "green.bmp",
    "red.png",
    "sixteen_bit.png",
    "yellow.webp",
];

/// Fixtures copied into the ingest corpus that must be refused.
const BAD_IMAGES: &[&str] = &[
    "bad_crc.png",
    "drawing.svg",
    "empty.png",
    "huge_claim.png",
    "photo.heic",
    "text.jpg",
    "truncated.jpg",
];

/// The committed corpora together stay small.
const MAX_CORPUS_BYTES: u64 = 512 * 1024;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn corpus_dir(target: &str) -> PathBuf {
    root().join("fuzz/corpus").join(target)
}

/// Every file of a corpus, by name, sorted.
fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    files_in(&corpus_dir(target))
}

/// Every file of a directory but hidden ones, by name, sorted.
fn files_in(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, bytes)
        })
        .filter(|(name, _)| !name.starts_with('.'))
        .collect();
    files.sort();
    files
}

/// Runs `call` on every file and fails listing each file that panicked.
fn no_panics<T>(files: &[(String, Vec<u8>)], call: impl Fn(&str, &[u8]) -> T) -> Vec<T> {
    let mut panicked = Vec::new();
    let mut results = Vec::new();
    for (name, bytes) in files {
        match catch_unwind(AssertUnwindSafe(|| call(name, bytes))) {
            Ok(r) => results.push(r),
            Err(_) => panicked.push(name.clone()),
        }
    }
    assert!(panicked.is_empty(), "panicked on {panicked:?}");
    results
}

fn find<'a>(files: &'a [(String, Vec<u8>)], name: &str) -> &'a [u8] {
    &files
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("{name} is missing from the corpus"))
        .1
}

#[test]
fn ingest_corpus_never_panics() {
    let files = corpus("ingest");
    assert!(files.len() >= GOOD_IMAGES.len() + BAD_IMAGES.len());
    no_panics(&files, |_, bytes| {
        let _ = harness::ingest(bytes);
        // The default limits too, at the two ends of the sizes.
        let _ = decode_image("input.png", bytes, 1, ColorMode::Rgb);
        let _ = decode_image("input.png", bytes, 256, ColorMode::Gray);
    });
    for name in GOOD_IMAGES {
        if let Err(e) = harness::ingest(find(&files, name)) {
            panic!("{name}: {e}");
        }
    }
    for name in BAD_IMAGES {
        match harness::ingest(find(&files, name)) {
            Ok(_) => panic!("{name} decoded"),
            Err(e) => assert!(!e.to_string().trim().is_empty(), "{name}: empty message"),
        }
    }
}

#[test]
fn project_corpus_never_panics() {
    let files = corpus("project");
    no_panics(&files, |_, bytes| {
        let _ = harness::project(bytes);
    });
    // The project fixtures of the other tests, whatever they are.
    let fixtures = root().join("tests/fixtures/projects");
    if fixtures.is_dir() {
        no_panics(&files_in(&fixtures), |_, bytes| {
            let _ = harness::project(bytes);
        });
    }
    for (name, bytes, expect) in project_seeds() {
        let committed = find(&files, name);
        if committed != bytes {
            // Not an error by itself (the format may gain fields), but the
            // committed seed must still give what is expected below.
            eprintln!("{name}: differs from the seed made now; {REWRITE}");
        }
        match (harness::project(committed), expect) {
            (
                Ok((dataset, problems)),
                Expect::Reads {
                    images,
                    problems: p,
                },
            ) => {
                assert_eq!(
                    (dataset.len(), problems.len()),
                    (images, p),
                    "{name}: {problems:?}"
                );
            }
            (Err(e), Expect::Refused(words)) => {
                let msg = e.to_string();
                assert!(msg.contains(words), "{name}: {msg}");
            }
            (Ok(_), Expect::Refused(words)) => panic!("{name} read; expected \"{words}\""),
            (Err(e), Expect::Reads { .. }) => panic!("{name}: {e} ({REWRITE})"),
        }
    }
}

#[test]
fn corpora_stay_small() {
    let total: u64 = ["ingest", "project"]
        .iter()
        .flat_map(|t| corpus(t))
        .map(|(_, bytes)| bytes.len() as u64)
        .sum();
    assert!(
        total <= MAX_CORPUS_BYTES,
        "the corpora hold {total} bytes; minimise them with `cargo fuzz cmin`"
    );
}

/// Writes the project seeds when `SMOOTHLAB_WRITE_SEEDS` is set; the check
/// that the committed ones still give what they should is in
/// `project_corpus_never_panics`.
#[test]
fn write_project_seeds_when_asked() {
    if std::env::var_os("SMOOTHLAB_WRITE_SEEDS").is_none() {
        return;
    }
    let dir = corpus_dir("project");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, bytes, _) in project_seeds() {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
}

const REWRITE: &str = "if the project format changed on purpose, write the seeds again with \
                       SMOOTHLAB_WRITE_SEEDS=1 cargo test --test fuzz_corpus";

enum Expect {
    /// Reads into a dataset of `images` images, with `problems` files left out.
    Reads { images: usize, problems: usize },
    /// Refused with a message holding these words.
    Refused(&'static str),
}

fn image(name: &str) -> Vec<u8> {
    std::fs::read(root().join("tests/fixtures/images").join(name)).unwrap()
}

fn entry(file: &str, given: &str, truth: &str) -> serde_json::Value {
    json!({ "file": file, "given": given, "true": truth, "mislabeled": given != truth })
}

/// Made from JSON, as a file would be read, so that fields the format gains
/// with a default need no change here.
fn manifest(images: Vec<serde_json::Value>) -> Manifest {
    serde_json::from_value(json!({
        "format": FORMAT,
        "version": VERSION,
        "classes": ["cats", "dogs"],
        "imageSize": 8,
        "settings": Settings::default(),
        "seed": 7,
        "images": images,
    }))
    .unwrap()
}

/// A zip of the files as given, without any of write_project's checks.
fn raw_zip(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in files {
        zip.start_file(*name, SimpleFileOptions::default()).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// The project seeds: tiny zips, each with what reading it must give.
fn project_seeds() -> Vec<(&'static str, Vec<u8>, Expect)> {
    let (red, blue, text) = (image("red.png"), image("blue.jpg"), image("text.jpg"));
    let good = manifest(vec![
        entry("cats/red.png", "cats", "cats"),
        entry("dogs/blue.jpg", "dogs", "cats"),
    ]);
    let project = write_project(
        &good,
        [("cats/red.png", &red[..]), ("dogs/blue.jpg", &blue[..])],
        Some("epoch,loss\n1,0.5\n"),
    )
    .unwrap();

    let with_bad_image = manifest(vec![
        entry("cats/red.png", "cats", "cats"),
        entry("dogs/text.jpg", "dogs", "dogs"),
    ]);
    let bad_image = write_project(
        &with_bad_image,
        [("cats/red.png", &red[..]), ("dogs/text.jpg", &text[..])],
        None,
    )
    .unwrap();

    let folder = raw_zip(&[
        ("cats/red.png", &red),
        ("dogs/blue.jpg", &blue),
        ("readme.txt", b"two classes"),
        ("__MACOSX/cats/._red.png", b""),
    ]);

    let unsafe_path = raw_zip(&[("cats/red.png", &red), ("../x.png", &blue)]);

    // The manifest lists dogs/blue.jpg; the zip holds dogs/other.jpg instead.
    let json = serde_json::to_vec(&good).unwrap();
    let mismatched = raw_zip(&[
        ("manifest.json", &json),
        ("cats/red.png", &red),
        ("dogs/other.jpg", &blue),
    ]);

    let mut lying = good.clone();
    lying.images[1].mislabeled = false;
    let json = serde_json::to_vec(&lying).unwrap();
    let contradicts = raw_zip(&[
        ("manifest.json", &json),
        ("cats/red.png", &red),
        ("dogs/blue.jpg", &blue),
    ]);

    vec![
        (
            "ok-project.zip",
            project,
            Expect::Reads {
                images: 2,
                problems: 0,
            },
        ),
        (
            "ok-undecodable-image.zip",
            bad_image,
            Expect::Reads {
                images: 1,
                problems: 1,
            },
        ),
        (
            "ok-image-folder.zip",
            folder,
            Expect::Reads {
                images: 2,
                problems: 0,
            },
        ),
        (
            "bad-unsafe-path.zip",
            unsafe_path,
            Expect::Refused("unsafe file name"),
        ),
        (
            "bad-manifest-mismatch.zip",
            mismatched,
            Expect::Refused("does not hold"),
        ),
        (
            "bad-mislabeled-flag.zip",
            contradicts,
            Expect::Refused("contradicts"),
        ),
        (
            "bad-not-a-zip.zip",
            b"PK\x03\x04 not really a zip".to_vec(),
            Expect::Refused("not a readable zip"),
        ),
    ]
}
