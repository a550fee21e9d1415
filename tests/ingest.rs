//! Every image fixture through the public ingestion API: good files come out
//! the right size, colour and way up; bad files give a message that names the
//! file and says what to do. Fixtures are made by tests/fixtures/make_fixtures.py.

use std::path::{Path, PathBuf};

use smoothlab::core::image::{decode_image, ColorMode};
use smoothlab::core::project::read_image_folder;

fn fixture(name: &str) -> (String, Vec<u8>) {
    let path = fixtures().join("images").join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (name.to_string(), bytes)
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn rgb(name: &str, side: u32) -> Vec<u8> {
    let (name, bytes) = fixture(name);
    let px = decode_image(&name, &bytes, side, ColorMode::Rgb).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(px.len(), (side * side * 3) as usize, "{name}");
    px
}

fn gray(name: &str, side: u32) -> Vec<u8> {
    let (name, bytes) = fixture(name);
    let px = decode_image(&name, &bytes, side, ColorMode::Gray).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(px.len(), (side * side) as usize, "{name}");
    px
}

/// Mean of each of the three channels.
fn mean_rgb(px: &[u8]) -> [f64; 3] {
    let n = (px.len() / 3) as f64;
    let mut m = [0.0; 3];
    for p in px.chunks_exact(3) {
        for c in 0..3 {
            m[c] += p[c] as f64 / n;
        }
    }
    m
}

fn mean(px: &[u8]) -> f64 {
    px.iter().map(|&v| v as f64).sum::<f64>() / px.len() as f64
}

/// Asserts the channel means are within `tol` of `want`.
fn assert_colour(name: &str, want: [f64; 3], tol: f64) {
    let got = mean_rgb(&rgb(name, 16));
    for c in 0..3 {
        assert!(
            (got[c] - want[c]).abs() <= tol,
            "{name}: mean {got:?}, expected about {want:?}"
        );
    }
}

#[test]
fn solid_colour_files_keep_their_colour() {
    assert_colour("red.png", [220.0, 20.0, 30.0], 4.0);
    assert_colour("blue.jpg", [20.0, 40.0, 210.0], 8.0);
    assert_colour("green.bmp", [30.0, 200.0, 40.0], 4.0);
    assert_colour("yellow.webp", [240.0, 220.0, 20.0], 4.0);
    // A CMYK JPEG of pure cyan comes out as RGB cyan.
    assert_colour("cmyk.jpg", [0.0, 255.0, 255.0], 40.0);
}

#[test]
fn animated_gif_gives_its_first_frame() {
    // Frame one is red, frame two blue.
    assert_colour("animated.gif", [230.0, 20.0, 20.0], 8.0);
}

#[test]
fn exif_orientation_is_applied() {
    // Stored sideways (left half white); upright the top half is white.
    let px = gray("exif_rotated.jpg", 8);
    let top = mean(&px[..32]);
    let bottom = mean(&px[32..]);
    let left: Vec<u8> = px.chunks(8).flat_map(|row| row[..4].to_vec()).collect();
    let right: Vec<u8> = px.chunks(8).flat_map(|row| row[4..].to_vec()).collect();
    assert!(
        top > 200.0 && bottom < 55.0,
        "top {top}, bottom {bottom}: {px:?}"
    );
    assert!((mean(&left) - mean(&right)).abs() < 20.0, "{px:?}");
}

#[test]
fn alpha_and_sixteen_bit_pngs() {
    // Transparent left half over white, opaque gray 200 on the right.
    let px = gray("gray_alpha.png", 16);
    assert!(
        px.chunks(16).all(|row| row[..8].iter().all(|&v| v == 255)),
        "{px:?}"
    );
    assert!(
        px.chunks(16).all(|row| row[8..].iter().all(|&v| v == 200)),
        "{px:?}"
    );
    // 16-bit ramp: dark on the left, bright on the right, every row alike.
    let px = gray("sixteen_bit.png", 16);
    assert!(px[0] < 10 && px[15] > 200, "{px:?}");
    assert!(px.chunks(16).all(|row| row == &px[..16]));
    assert!(px[..16].windows(2).all(|w| w[0] <= w[1]), "{px:?}");
}

#[test]
fn bad_files_name_the_file_and_say_what_to_do() {
    let cases: &[(&str, &[&str])] = &[
        ("empty.png", &["empty"]),
        ("truncated.jpg", &["damaged or truncated"]),
        ("bad_crc.png", &["damaged or truncated", "CRC"]),
        ("text.jpg", &["not an image", "PNG, JPEG"]),
        ("drawing.svg", &["SVG", "export it as PNG"]),
        (
            "photo.heic",
            &["HEIC is not supported", "convert to JPEG or PNG"],
        ),
        ("huge_claim.png", &["30000×30000", "16384×16384 limit"]),
    ];
    for &(name, words) in cases {
        let (name, bytes) = fixture(name);
        for color in [ColorMode::Gray, ColorMode::Rgb] {
            let err = decode_image(&name, &bytes, 16, color).expect_err(&name);
            let msg = err.to_string();
            assert!(msg.starts_with(&format!("{name}: ")), "{msg}");
            for word in words {
                assert!(msg.contains(word), "{name}: \"{msg}\" lacks \"{word}\"");
            }
        }
    }
}

#[test]
fn image_folder_reads_both_classes() {
    let (ds, problems) =
        read_image_folder(&fixtures().join("folders"), 16, ColorMode::Rgb).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(ds.classes(), &["cats", "dogs"]);
    assert_eq!(ds.class_counts(), vec![6, 6]);
    assert_eq!((ds.side(), ds.channels()), (16, 3));
    let formats = |prefix: &str, ext: &str| {
        ds.samples()
            .iter()
            .filter(|s| s.name.starts_with(prefix) && s.name.ends_with(ext))
            .count()
    };
    assert!(formats("cats/", ".png") > 0 && formats("cats/", ".jpg") > 0);
    assert!(formats("dogs/", ".png") > 0 && formats("dogs/", ".jpg") > 0);
    assert!(ds
        .samples()
        .iter()
        .all(|s| s.truth == Some(s.given) && !s.is_mislabeled()));
    assert_eq!(
        ds.holdout_indices().len(),
        2,
        "one of six per class held out"
    );
    assert!(ds.check_trainable().is_ok());

    // Cats are warm (red above blue), dogs cool (blue above red).
    for (i, s) in ds.samples().iter().enumerate() {
        let [r, _, b] = mean_rgb(ds.pixels(i));
        let warm = r > b + 30.0;
        let cool = b > r + 30.0;
        match s.given {
            0 => assert!(warm, "{}: r {r:.0} b {b:.0}", s.name),
            _ => assert!(cool, "{}: r {r:.0} b {b:.0}", s.name),
        }
    }

    let (gray, _) = read_image_folder(&fixtures().join("folders"), 8, ColorMode::Gray).unwrap();
    assert_eq!((gray.len(), gray.dim()), (12, 64));
}
