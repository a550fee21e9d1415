//! Decoded pictures to the dataset's pixels: transparency over white, the
//! centre square, an exact box shrink for large photos, then a triangle filter.

use image::imageops::{self, FilterType};
use image::{DynamicImage, ImageBuffer, Pixel, RgbImage, RgbaImage};

use super::color::ColorMode;

/// Lays transparency over white, crops the centre square, scales it to
/// `side` and converts the colours. Colour conversion comes last because
/// luma is a fixed weighted sum of R, G and B, so it commutes with averaging
/// and costs nothing on the small image.
pub(super) fn to_square(image: DynamicImage, side: u32, color: ColorMode) -> Vec<u8> {
    let image = if image.color().has_alpha() {
        DynamicImage::ImageRgb8(over_white(image.into_rgba8()))
    } else {
        image
    };
    let small = if image.color().has_color() {
        DynamicImage::ImageRgb8(square_resize(&image.into_rgb8(), side))
    } else {
        DynamicImage::ImageLuma8(square_resize(&image.into_luma8(), side))
    };
    match color {
        ColorMode::Gray => small.into_luma8().into_raw(),
        ColorMode::Rgb => small.into_rgb8().into_raw(),
    }
}

fn over_white(rgba: RgbaImage) -> RgbImage {
    let (w, h) = rgba.dimensions();
    let mut out = Vec::with_capacity(w as usize * h as usize * 3);
    for p in rgba.pixels() {
        let a = p[3] as u32;
        for &c in &p.0[..3] {
            out.push(((c as u32 * a + 255 * (255 - a) + 127) / 255) as u8);
        }
    }
    RgbImage::from_raw(w, h, out).expect("buffer has w·h·3 values")
}

/// Centre square of `image`, scaled to `side`×`side`.
///
/// Large pictures are first averaged over f×f blocks down to between 2 and 4
/// times `side`: that is exact area averaging (no aliasing) and linear in the
/// pixel count, so that shrinking a 12-megapixel photo takes milliseconds.
/// The triangle filter then does the last, small step.
fn square_resize<P>(image: &ImageBuffer<P, Vec<u8>>, side: u32) -> ImageBuffer<P, Vec<u8>>
where
    P: Pixel<Subpixel = u8> + 'static,
{
    let (w, h) = image.dimensions();
    let square = w.min(h);
    let factor = (square / (2 * side)).max(1);
    let cropped = square / factor * factor;
    let (x0, y0) = ((w - cropped) / 2, (h - cropped) / 2);
    let small: ImageBuffer<P, Vec<u8>> = if factor > 1 {
        box_shrink(image, x0, y0, cropped, factor)
    } else {
        imageops::crop_imm(image, x0, y0, cropped, cropped).to_image()
    };
    if small.width() == side {
        return small;
    }
    imageops::resize(&small, side, side, FilterType::Triangle)
}

/// Averages `factor`×`factor` blocks of the `size`-square region at (x0, y0).
fn box_shrink<P>(
    image: &ImageBuffer<P, Vec<u8>>,
    x0: u32,
    y0: u32,
    size: u32,
    factor: u32,
) -> ImageBuffer<P, Vec<u8>>
where
    P: Pixel<Subpixel = u8> + 'static,
{
    let c = P::CHANNEL_COUNT as usize;
    let stride = image.width() as usize * c;
    let raw = image.as_raw();
    let (f, out_side) = (factor as usize, (size / factor) as usize);
    let area = (f * f) as u64; // up to 8192², so sums need 64 bits
    let mut out = vec![0u8; out_side * out_side * c];
    let mut sums = vec![0u64; out_side * c];
    for oy in 0..out_side {
        sums.iter_mut().for_each(|s| *s = 0);
        for dy in 0..f {
            let y = y0 as usize + oy * f + dy;
            let row = &raw[y * stride + x0 as usize * c..][..out_side * f * c];
            for (ox, block) in row.chunks_exact(f * c).enumerate() {
                let acc = &mut sums[ox * c..(ox + 1) * c];
                for px in block.chunks_exact(c) {
                    for (a, &v) in acc.iter_mut().zip(px) {
                        *a += v as u64;
                    }
                }
            }
        }
        let dst = &mut out[oy * out_side * c..(oy + 1) * out_side * c];
        for (d, &s) in dst.iter_mut().zip(&sums) {
            *d = ((s + area / 2) / area) as u8;
        }
    }
    ImageBuffer::from_raw(out_side as u32, out_side as u32, out).expect("buffer has the right size")
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{GrayImage, Luma};

    #[test]
    fn box_shrink_averages_blocks() {
        let img = GrayImage::from_raw(4, 2, vec![0, 2, 10, 20, 4, 6, 30, 40]).unwrap();
        let out = box_shrink(&img, 0, 0, 2, 2);
        assert_eq!(out.into_raw(), vec![3]);
        let rgb =
            RgbImage::from_raw(2, 2, vec![255, 0, 0, 255, 0, 0, 0, 0, 255, 0, 0, 255]).unwrap();
        assert_eq!(box_shrink(&rgb, 0, 0, 2, 2).into_raw(), vec![128, 0, 128]);
    }

    #[test]
    fn big_pictures_are_cropped_and_shrunk_evenly() {
        // 300×200 with a white left third and black right two thirds: the
        // centre 200×200 square is 50 white columns then 150 black ones.
        let img = GrayImage::from_fn(300, 200, |x, _| Luma([if x < 100 { 255 } else { 0 }]));
        let out = square_resize(&img, 8).into_raw();
        assert_eq!(out.len(), 64);
        assert!(out[0] > 240 && out[7] < 15, "{out:?}");
        assert!(
            out.chunks(8).all(|row| row == &out[..8]),
            "rows differ: {out:?}"
        );
    }

    #[test]
    fn the_largest_shrink_does_not_overflow() {
        // One 4224×4224 block of 255s sums past u32::MAX.
        let img = GrayImage::from_pixel(8_448, 8_448, Luma([255]));
        assert_eq!(square_resize(&img, 1).into_raw(), vec![255]);
    }
}
