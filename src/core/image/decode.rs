//! Turns the bytes of one image file into `side`×`side` pixels.
//!
//! The format is sniffed from the content (never trusted from the name), the
//! size is checked against limits before anything large is allocated, EXIF
//! orientation is applied, and the picture goes to `resize` for its square.
//! Formats smoothlab cannot read get a message saying what to do instead.
//! No input may panic.

use std::io::Cursor;

use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits};

use super::color::ColorMode;
use super::resize::to_square;
use super::sniff::sniff;
use crate::core::error::{LabError, Result};
use crate::core::limits;

/// How large an image may be before it is refused unread.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeLimits {
    pub max_width: u32,
    pub max_height: u32,
    /// Bytes the decoder may allocate for the decoded picture.
    pub max_alloc: u64,
}

impl Default for DecodeLimits {
    fn default() -> Self {
        DecodeLimits {
            max_width: 16_384,
            max_height: 16_384,
            max_alloc: 512 * 1024 * 1024,
        }
    }
}

/// Decodes one image file to `side`×`side`×channels bytes (rows top to
/// bottom, pixels left to right, channels interleaved), with default limits.
pub fn decode_image(file_name: &str, bytes: &[u8], side: u32, color: ColorMode) -> Result<Vec<u8>> {
    decode_image_with(file_name, bytes, side, color, &DecodeLimits::default())
}

/// [`decode_image`] with explicit limits.
pub fn decode_image_with(
    file_name: &str,
    bytes: &[u8],
    side: u32,
    color: ColorMode,
    limits: &DecodeLimits,
) -> Result<Vec<u8>> {
    limits::IMAGE_SIZE.check_whole(side as usize)?;
    let bad = |reason: String| LabError::bad_image(file_name, reason);
    let format = sniff(file_name, bytes).map_err(bad)?;
    let image = decode_upright(bytes, format, limits).map_err(bad)?;
    Ok(to_square(image, side, color))
}

/// A decoder past its header, once the size is known to be within the
/// limits (and a JPEG known to be complete); strict limits are set on it.
pub(super) fn open_checked<'a>(
    bytes: &'a [u8],
    format: ImageFormat,
    limits: &DecodeLimits,
) -> std::result::Result<impl ImageDecoder + 'a, String> {
    // The decoder is built with only the memory limit so that its header can
    // be read and an oversized claim reported with its size; the strict size
    // limits are set right after, before any pixel is decoded.
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut header_limits = Limits::default();
    header_limits.max_alloc = Some(limits.max_alloc);
    reader.limits(header_limits);
    let mut decoder = reader.into_decoder().map_err(describe)?;

    let (w, h) = decoder.dimensions();
    if w == 0 || h == 0 {
        return Err(format!("the image has no pixels ({w}×{h})"));
    }
    if w > limits.max_width || h > limits.max_height {
        return Err(format!(
            "{w}×{h} pixels is larger than the {}×{} limit; scale it down first",
            limits.max_width, limits.max_height
        ));
    }
    let needed = decoder.total_bytes();
    if needed > limits.max_alloc {
        return Err(format!(
            "{w}×{h} pixels would need {} MB to decode, more than the {} MB limit; \
             scale it down first",
            needed.div_ceil(1 << 20),
            limits.max_alloc >> 20
        ));
    }
    if format == ImageFormat::Jpeg && !jpeg_has_end(bytes) {
        // The JPEG decoder fills missing data with gray instead of failing.
        return Err("the file is damaged or truncated (the JPEG data stops before its end)".into());
    }
    let mut strict = Limits::default();
    strict.max_image_width = Some(limits.max_width);
    strict.max_image_height = Some(limits.max_height);
    strict.max_alloc = Some(limits.max_alloc);
    decoder.set_limits(strict).map_err(describe)?;
    Ok(decoder)
}

/// Broken EXIF should not cost the picture: read it as "no rotation".
pub(super) fn upright_transform(decoder: &mut impl ImageDecoder) -> Orientation {
    decoder.orientation().unwrap_or(Orientation::NoTransforms)
}

/// Decodes with the size checked first, then turns the picture upright.
fn decode_upright(
    bytes: &[u8],
    format: ImageFormat,
    limits: &DecodeLimits,
) -> std::result::Result<DynamicImage, String> {
    let mut decoder = open_checked(bytes, format, limits)?;
    let orientation = upright_transform(&mut decoder);
    let mut image = DynamicImage::from_decoder(decoder).map_err(describe)?;
    image.apply_orientation(orientation);
    Ok(image)
}

/// Whether the end-of-image marker follows the first scan. Segments before
/// the scan are skipped by their lengths, so that the end marker of an EXIF
/// thumbnail is not mistaken for the picture's; inside scan data 0xFF is
/// always followed by 0x00 or a restart marker, so 0xFF 0xD9 there is the end.
fn jpeg_has_end(bytes: &[u8]) -> bool {
    let mut i = 2; // after SOI
    loop {
        while bytes.get(i) == Some(&0xFF) && bytes.get(i + 1) == Some(&0xFF) {
            i += 1; // fill bytes
        }
        let (Some(&0xFF), Some(&marker)) = (bytes.get(i), bytes.get(i + 1)) else {
            // Out of data, or not a marker where one belongs: let the decoder judge.
            return i + 1 < bytes.len();
        };
        match marker {
            0x01 | 0xD0..=0xD8 => i += 2,
            0xD9 => return true,
            _ => {
                let Some(len) = bytes.get(i + 2..i + 4) else {
                    return false;
                };
                i += 2 + u16::from_be_bytes([len[0], len[1]]) as usize;
                if marker == 0xDA {
                    let scans = bytes.get(i..).unwrap_or(&[]);
                    // A whole file ends with the marker: no need to scan megabytes.
                    return scans.ends_with(&[0xFF, 0xD9])
                        || scans.windows(2).any(|w| w == [0xFF, 0xD9]);
                }
            }
        }
    }
}

/// A person-readable reason for a decoder error.
fn describe(e: ImageError) -> String {
    match e {
        ImageError::Limits(e) => {
            format!("the image is too large to decode ({e}); scale it down first")
        }
        ImageError::Unsupported(e) => {
            format!(
                "this file uses a feature smoothlab cannot read ({e}); re-save it as PNG or JPEG"
            )
        }
        e => format!(
            "the file is damaged or truncated ({})",
            tidy(&e.to_string())
        ),
    }
}

/// Shortens decoder detail for people: the PNG decoder prints chunk types
/// as `ChunkType { type: IDAT, critical: true, ... }`, which becomes `IDAT`.
fn tidy(detail: &str) -> String {
    let mut out = String::with_capacity(detail.len());
    let mut rest = detail;
    while let Some(start) = rest.find("ChunkType { type: ") {
        out.push_str(&rest[..start]);
        let after = &rest[start + "ChunkType { type: ".len()..];
        let name_end = after.find([',', ' ', '}']).unwrap_or(after.len());
        out.push_str(&after[..name_end]);
        rest = match after.find('}') {
            Some(close) => &after[close + 1..],
            None => "",
        };
    }
    out.push_str(rest);
    out.trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::image::{probe_image, ImageProbe};
    use crate::core::rng::Rng;
    use std::panic::{catch_unwind, AssertUnwindSafe};

    const FIXTURES: &[(&str, &[u8])] = &[
        (
            "red.png",
            include_bytes!("../../../tests/fixtures/images/red.png"),
        ),
        (
            "gray_alpha.png",
            include_bytes!("../../../tests/fixtures/images/gray_alpha.png"),
        ),
        (
            "sixteen_bit.png",
            include_bytes!("../../../tests/fixtures/images/sixteen_bit.png"),
        ),
        (
            "blue.jpg",
            include_bytes!("../../../tests/fixtures/images/blue.jpg"),
        ),
        (
            "cmyk.jpg",
            include_bytes!("../../../tests/fixtures/images/cmyk.jpg"),
        ),
        (
            "exif_rotated.jpg",
            include_bytes!("../../../tests/fixtures/images/exif_rotated.jpg"),
        ),
        (
            "animated.gif",
            include_bytes!("../../../tests/fixtures/images/animated.gif"),
        ),
        (
            "green.bmp",
            include_bytes!("../../../tests/fixtures/images/green.bmp"),
        ),
        (
            "yellow.webp",
            include_bytes!("../../../tests/fixtures/images/yellow.webp"),
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
                let px = decode_image(name, bytes, side, color)
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
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
        let huge = include_bytes!("../../../tests/fixtures/images/huge_claim.png");
        assert!(refused("huge.png", huge).contains("larger than the 16384×16384 limit"));
        let cut = include_bytes!("../../../tests/fixtures/images/truncated.jpg");
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
            include_bytes!("../../../tests/fixtures/folders/cats/cat_1.jpg"),
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
}
