//! Image files to pixels: format sniffing, decoding with size limits, EXIF
//! rotation, centre crop and resize; and pixels the browser decoded.

mod browser_pixels;
mod color;
mod decode;
mod probe;
mod resize;
mod sniff;

pub use browser_pixels::rgba_to_channels;
pub use color::ColorMode;
pub use decode::{decode_image, decode_image_with, DecodeLimits};
pub use probe::{probe_image, ImageProbe};
