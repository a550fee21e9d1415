//! Which image format a file holds, judged from its first bytes, and for
//! the formats smoothlab cannot read, a message saying what to do instead.

use image::ImageFormat;

/// The formats decoded, and how messages name them.
const DECODED: [ImageFormat; 5] = [
    ImageFormat::Png,
    ImageFormat::Jpeg,
    ImageFormat::Gif,
    ImageFormat::Bmp,
    ImageFormat::WebP,
];
const READABLE: &str = "use PNG, JPEG, GIF, BMP or WebP";

const HEIC: &str = "HEIC is not supported; convert to JPEG or PNG";
const AVIF: &str = "AVIF is not supported; convert to JPEG or PNG";
const TIFF: &str = "TIFF is not supported; convert to JPEG or PNG";
const SVG: &str = "SVG is a vector format; export it as PNG";

/// Finds a readable format from the first bytes, or says why there is none.
/// The content decides; the name is only used when the content is unknown.
pub(crate) fn sniff(file_name: &str, bytes: &[u8]) -> std::result::Result<ImageFormat, String> {
    if bytes.is_empty() {
        return Err("the file is empty (0 bytes)".into());
    }
    if let Some(message) = iso_media_brand(bytes) {
        return Err(message.into());
    }
    let head = &bytes[..bytes.len().min(1024)];
    if head.starts_with(b"%PDF-") {
        return Err("PDF is not supported; export the page as PNG or JPEG".into());
    }
    if head.starts_with(b"PK\x03\x04") {
        return Err(format!(
            "this is a zip archive; unzip it and add the images ({READABLE})"
        ));
    }
    if looks_like_svg(head) {
        return Err(SVG.into());
    }
    match image::guess_format(bytes) {
        Ok(f) if DECODED.contains(&f) => Ok(f),
        Ok(ImageFormat::Tiff) => Err(TIFF.into()),
        Ok(other) => {
            let name = other
                .extensions_str()
                .first()
                .unwrap_or(&"these")
                .to_uppercase();
            Err(format!(
                "{name} images are not supported; convert to JPEG or PNG"
            ))
        }
        Err(_) => Err(unknown_format(file_name, bytes)),
    }
}

/// The message for content that matches no known signature.
fn unknown_format(file_name: &str, bytes: &[u8]) -> String {
    let named = |extensions: &[&str]| has_extension(file_name, extensions);
    if named(&["heic", "heif"]) {
        HEIC.into()
    } else if named(&["avif"]) {
        AVIF.into()
    } else if named(&["tif", "tiff"]) {
        TIFF.into()
    } else if named(&["svg", "svgz"]) {
        SVG.into()
    } else if named(&["png", "jpg", "jpeg", "jfif", "gif", "bmp", "webp"]) && bytes.len() < 16 {
        format!(
            "the file is damaged or truncated (only {} bytes)",
            bytes.len()
        )
    } else {
        format!("not an image (or a format smoothlab does not read); {READABLE}")
    }
}

/// HEIC, HEIF and AVIF share the ISO media "ftyp" box; its brands tell them
/// apart. Returns the message for a recognised brand.
fn iso_media_brand(bytes: &[u8]) -> Option<&'static str> {
    if bytes.len() < 12 || &bytes[4..8] != b"ftyp" {
        return None;
    }
    let box_len = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as usize;
    let end = box_len.clamp(12, bytes.len().min(256));
    let major = &bytes[8..12];
    let compatible = bytes[12..end].chunks_exact(4).skip(1); // skip the minor version
    let brands: Vec<&[u8]> = std::iter::once(major).chain(compatible).collect();
    let any = |names: &[&[u8]]| brands.iter().any(|b| names.contains(b));
    if any(&[b"avif", b"avis"]) {
        Some(AVIF)
    } else if any(&[
        b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1",
    ]) {
        Some(HEIC)
    } else {
        None
    }
}

fn looks_like_svg(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head);
    let start = text.trim_start_matches('\u{feff}').trim_start();
    (start.starts_with("<?xml") || start.starts_with("<svg") || start.starts_with("<!DOCTYPE svg"))
        && text.contains("<svg")
}

fn has_extension(file_name: &str, extensions: &[&str]) -> bool {
    match file_name.rsplit_once('.') {
        Some((_, ext)) => extensions.iter().any(|e| ext.eq_ignore_ascii_case(e)),
        None => false,
    }
}
