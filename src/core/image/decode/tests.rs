use super::*;
use crate::core::image::{probe_image, ImageProbe};
use crate::core::rng::Rng;
use std::panic::{catch_unwind, AssertUnwindSafe};

const FIXTURES: &[(&str, &[u8])] = &[
    (
        "red.png",
        include_bytes!("../../../../tests/fixtures/images/red.png"),
    ),
    (
        "gray_alpha.png",
        include_bytes!("../../../../tests/fixtures/images/gray_alpha.png"),
    ),
    (
        "sixteen_bit.png",
        include_bytes!("../../../../tests/fixtures/images/sixteen_bit.png"),
    ),
    (
        "blue.jpg",
        include_bytes!("../../../../tests/fixtures/images/blue.jpg"),
    ),
    (
        "cmyk.jpg",
        include_bytes!("../../../../tests/fixtures/images/cmyk.jpg"),
    ),
    (
        "exif_rotated.jpg",
        include_bytes!("../../../../tests/fixtures/images/exif_rotated.jpg"),
    ),
    (
        "animated.gif",
        include_bytes!("../../../../tests/fixtures/images/animated.gif"),
    ),
    (
        "green.bmp",
        include_bytes!("../../../../tests/fixtures/images/green.bmp"),
    ),
    (
        "yellow.webp",
        include_bytes!("../../../../tests/fixtures/images/yellow.webp"),
    ),
];

fn mean(pixels: &[u8], channel: usize, channels: usize) -> f64 {
    let vals: Vec<f64> = pixels
        .iter()
        .skip(channel)
        .step_by(channels)
        .map(|&v| v as f64)
        .collect();
    vals.iter().sum::<f64>() / vals.len() as f64
}

#[test]
fn every_fixture_decodes_to_the_requested_shape() {
    for &(name, bytes) in FIXTURES {
        for (color, side) in [
            (ColorMode::Gray, 8),
            (ColorMode::Rgb, 32),
            (ColorMode::Rgb, 1),
        ] {
            let px =
                decode_image(name, bytes, side, color).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(
                px.len(),
                (side * side) as usize * color.channels(),
                "{name}"
            );
        }
    }
}

#[test]
fn solid_colours_survive() {
    let red = decode_image("red.png", FIXTURES[0].1, 4, ColorMode::Rgb).unwrap();
    assert!(
        red.chunks(3).all(|p| p[0] > 200 && p[1] < 40 && p[2] < 50),
        "{red:?}"
    );
    let gray = decode_image("red.png", FIXTURES[0].1, 4, ColorMode::Gray).unwrap();
    // Rec. 709 luma of (220, 20, 30): 0.2126·220 + 0.7152·20 + 0.0722·30 ≈ 63.
    assert!((mean(&gray, 0, 1) - 63.0).abs() < 3.0, "{gray:?}");
}

#[test]
fn transparency_is_laid_over_white() {
    // Left half fully transparent, right half opaque gray 200.
    let px = decode_image("gray_alpha.png", FIXTURES[1].1, 16, ColorMode::Gray).unwrap();
    assert!(px[0] == 255 && px[15] == 200, "{px:?}");
}

#[test]
fn unsupported_formats_say_what_to_do() {
    let check = |name: &str, bytes: &[u8], words: &str| {
        let msg = decode_image(name, bytes, 8, ColorMode::Gray)
            .unwrap_err()
            .to_string();
        assert!(msg.starts_with(&format!("{name}: ")), "{msg}");
        assert!(msg.contains(words), "{name}: {msg}");
    };
    check("a.png", b"", "empty");
    check(
        "a.heic",
        b"\0\0\0\x18ftypheic\0\0\0\0mif1heic",
        "HEIC is not supported",
    );
    check("a.bin", b"\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf", "AVIF");
    check("a.heic", b"garbage", "HEIC");
    check("a.tif", b"II*\0\x08\0\0\0", "TIFF");
    check("a.pdf", b"%PDF-1.7\n", "PDF");
    check(
        "a.svg",
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        "export it as PNG",
    );
    check("a.zip", b"PK\x03\x04rest", "unzip");
    check("a.ico", &[0, 0, 1, 0, 1, 0], "ICO images are not supported");
    check("a.txt", b"hello", "not an image");
    check("a.png", b"\x89PN", "truncated");
    assert!(decode_image("a.png", FIXTURES[0].1, 0, ColorMode::Gray).is_err());
    assert!(decode_image("a.png", FIXTURES[0].1, 257, ColorMode::Gray).is_err());
}

#[test]
fn truncated_jpegs_are_caught_past_a_thumbnail() {
    let blue = FIXTURES[3].1;
    assert!(jpeg_has_end(blue));
    assert!(!jpeg_has_end(&blue[..blue.len() - 2]));
    // An APP1 segment holding a whole thumbnail (with its own end marker)
    // before a scan that is cut off.
    let mut cut = vec![0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x06, 0xFF, 0xD8, 0xFF, 0xD9];
    cut.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x04, 0x01, 0x02, 0x12, 0xFF, 0x00, 0x34]);
    assert!(!jpeg_has_end(&cut));
    cut.extend_from_slice(&[0xFF, 0xD9]);
    assert!(jpeg_has_end(&cut));
}

#[test]
fn decoder_detail_is_tidied() {
    let raw = "CRC error while decoding ChunkType { type: IDAT, critical: true } chunk.";
    assert_eq!(tidy(raw), "CRC error while decoding IDAT chunk");
    assert_eq!(tidy("ChunkType { type: "), "");
}

#[test]
fn limits_are_checked_before_decoding() {
    let tight = DecodeLimits {
        max_width: 10,
        max_height: 10,
        max_alloc: 1 << 20,
    };
    let msg = decode_image_with("red.png", FIXTURES[0].1, 8, ColorMode::Rgb, &tight)
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("20×16 pixels is larger than the 10×10 limit"),
        "{msg}"
    );
    let small_alloc = DecodeLimits {
        max_alloc: 100,
        ..DecodeLimits::default()
    };
    let msg = decode_image_with("red.png", FIXTURES[0].1, 8, ColorMode::Rgb, &small_alloc)
        .unwrap_err()
        .to_string();
    assert!(msg.contains("limit"), "{msg}");
}

#[test]
fn probes_read_the_header_and_refuse_what_decoding_would() {
    let probe = probe_image("exif_rotated.jpg", FIXTURES[5].1).unwrap();
    let expected = ImageProbe {
        format: "jpeg",
        width: 40,
        height: 24,
        orientation: 6,
    };
    assert_eq!(probe, expected);
    let png = probe_image("red.png", FIXTURES[0].1).unwrap();
    assert_eq!(
        (png.format, png.width, png.height, png.orientation),
        ("png", 20, 16, 1)
    );
    let refused = |name: &str, bytes: &[u8]| {
        let probed = probe_image(name, bytes).unwrap_err().to_string();
        let decoded = decode_image(name, bytes, 8, ColorMode::Rgb)
            .unwrap_err()
            .to_string();
        assert_eq!(probed, decoded);
        probed
    };
    let huge = include_bytes!("../../../../tests/fixtures/images/huge_claim.png");
    assert!(refused("huge.png", huge).contains("larger than the 16384×16384 limit"));
    let cut = include_bytes!("../../../../tests/fixtures/images/truncated.jpg");
    assert!(refused("cut.jpg", cut).contains("truncated"));
    assert!(refused("a.heic", b"garbage").contains("HEIC"));
}

/// Every prefix and thousands of random corruptions of each fixture must
/// give Ok or Err, never a panic.
#[test]
fn mangled_files_never_panic() {
    let limits = DecodeLimits {
        max_width: 2048,
        max_height: 2048,
        max_alloc: 32 << 20,
    };
    let try_decode = |name: &str, bytes: &[u8]| {
        let run = AssertUnwindSafe(|| {
            let _ = decode_image_with(name, bytes, 8, ColorMode::Rgb, &limits);
        });
        assert!(
            catch_unwind(run).is_ok(),
            "{name} panicked on {} bytes: {bytes:?}",
            bytes.len()
        );
    };
    let mut rng = Rng::new(0x5EED);
    let photo: (&str, &[u8]) = (
        "cat_1.jpg",
        include_bytes!("../../../../tests/fixtures/folders/cats/cat_1.jpg"),
    );
    for &(name, bytes) in FIXTURES.iter().chain([&photo]) {
        for len in 0..bytes.len() {
            try_decode(name, &bytes[..len]);
        }
        for _ in 0..1500 {
            let mut copy = bytes.to_vec();
            let flips = 1 + rng.below(4);
            for _ in 0..flips {
                let at = rng.below(copy.len());
                match rng.below(3) {
                    0 => copy[at] ^= 1 << rng.below(8),
                    1 => copy[at] = rng.next_u64() as u8,
                    _ => copy[at] = [0x00, 0xFF, 0x7F, 0x80][rng.below(4)],
                }
            }
            try_decode(name, &copy);
        }
    }
}
