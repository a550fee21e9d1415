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
mod tests;
