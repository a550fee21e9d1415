//! Reading an image file's header without decoding it, so that the browser's
//! own decoder can do the work after the same checks as the image crate's.

use image::{ImageDecoder, ImageFormat};

use super::decode::{open_checked, upright_transform, DecodeLimits};
use super::sniff::sniff;
use crate::core::error::{LabError, Result};

/// What a file's header says, read without decoding any pixel: enough to
/// decode it elsewhere (the browser's decoder) with the same crop, after the
/// same checks as [`decode_image`].
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ImageProbe {
    /// "png", "jpeg", "gif", "bmp" or "webp".
    pub format: &'static str,
    /// As stored, before the EXIF orientation is applied.
    pub width: u32,
    pub height: u32,
    /// The EXIF orientation, 1 (upright) to 8.
    pub orientation: u8,
}

/// Reads the header of an image file, refusing what [`decode_image`] would
/// refuse before decoding (unknown formats, sizes over the default limits,
/// truncated JPEGs), with the same messages.
pub fn probe_image(file_name: &str, bytes: &[u8]) -> Result<ImageProbe> {
    let bad = |reason: String| LabError::bad_image(file_name, reason);
    let format = sniff(file_name, bytes).map_err(bad)?;
    let mut decoder = open_checked(bytes, format, &DecodeLimits::default()).map_err(bad)?;
    let (width, height) = decoder.dimensions();
    Ok(ImageProbe {
        format: format_name(format),
        width,
        height,
        orientation: upright_transform(&mut decoder).to_exif(),
    })
}

fn format_name(format: ImageFormat) -> &'static str {
    match format {
        ImageFormat::Png => "png",
        ImageFormat::Jpeg => "jpeg",
        ImageFormat::Gif => "gif",
        ImageFormat::Bmp => "bmp",
        ImageFormat::WebP => "webp",
        _ => "other", // sniff() lets no other format through
    }
}
