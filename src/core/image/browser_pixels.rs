//! Pixels already decoded and resized elsewhere (in the page, by the
//! browser's own decoder) turned into the dataset's channels, exactly as
//! `decode_image` would store them: transparency laid over white, gray by the
//! `image` crate's own luma conversion.

use image::{DynamicImage, RgbImage};

use crate::core::error::{LabError, Result};
use crate::core::image::ColorMode;

/// `side`×`side` RGBA bytes (rows top to bottom, unpremultiplied alpha) to
/// `side`×`side`×channels bytes for the dataset.
pub fn rgba_to_channels(rgba: &[u8], side: usize, color: ColorMode) -> Result<Vec<u8>> {
    let expected = side * side * 4;
    if rgba.len() != expected {
        return Err(LabError::Dataset(format!(
            "decoded pixels: expected {side}×{side}×4 = {expected} RGBA bytes, got {}",
            rgba.len()
        )));
    }
    let rgb: Vec<u8> = rgba
        .chunks_exact(4)
        .flat_map(|p| {
            let a = p[3] as u32;
            // The same rounding as `resize::over_white`.
            let over = |c: u8| ((c as u32 * a + 255 * (255 - a) + 127) / 255) as u8;
            [over(p[0]), over(p[1]), over(p[2])]
        })
        .collect();
    Ok(match color {
        ColorMode::Rgb => rgb,
        ColorMode::Gray => {
            let side = side as u32;
            let image = RgbImage::from_raw(side, side, rgb).expect("side·side·3 values");
            DynamicImage::ImageRgb8(image).into_luma8().into_raw()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::image::decode_image;
    use image::{ImageFormat, Rgba, RgbaImage};

    /// Opaque, half and fully transparent pixels in a 2×2 picture.
    const PIXELS: [[u8; 4]; 4] = [
        [200, 100, 50, 255],
        [200, 100, 50, 128],
        [0, 0, 0, 0],
        [10, 250, 30, 64],
    ];

    fn rgba() -> Vec<u8> {
        PIXELS.concat()
    }

    #[test]
    fn pinned_values() {
        // c·a/255 + 255·(1 − a/255), rounded: 200·128/255 + 127 = 227.4 → 227.
        let rgb = rgba_to_channels(&rgba(), 2, ColorMode::Rgb).unwrap();
        assert_eq!(
            rgb,
            [200, 100, 50, 227, 177, 152, 255, 255, 255, 194, 254, 199]
        );
        // Rec. 709 luma, rounded: 0.2126·200 + 0.7152·100 + 0.0722·50 = 117.65 → 118.
        let gray = rgba_to_channels(&rgba(), 2, ColorMode::Gray).unwrap();
        assert_eq!(gray, [118, 186, 255, 237]);
    }

    #[test]
    fn matches_decoding_for_the_same_pixels() {
        // A PNG already at the target size: decoding only lays it over white
        // and converts, so the two paths must agree to the byte.
        let image = RgbaImage::from_fn(2, 2, |x, y| Rgba(PIXELS[(y * 2 + x) as usize]));
        let mut png = std::io::Cursor::new(Vec::new());
        image.write_to(&mut png, ImageFormat::Png).unwrap();
        for color in [ColorMode::Rgb, ColorMode::Gray] {
            let decoded = decode_image("a.png", png.get_ref(), 2, color).unwrap();
            assert_eq!(rgba_to_channels(&rgba(), 2, color).unwrap(), decoded);
        }
    }

    #[test]
    fn wrong_length_is_an_error() {
        let msg = rgba_to_channels(&rgba()[..15], 2, ColorMode::Rgb)
            .unwrap_err()
            .to_string();
        assert!(
            msg.contains("expected 2×2×4 = 16 RGBA bytes, got 15"),
            "{msg}"
        );
        assert!(rgba_to_channels(&rgba(), 3, ColorMode::Gray).is_err());
    }
}
