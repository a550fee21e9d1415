//! From an RGB image of any size to the network's input, side x side x 3:
//!
//! 1. centre crop to a square of n = min(width, height) pixels, starting at
//!    ((width - n) / 2, (height - n) / 2) (floor division);
//! 2. bilinear resize n -> side with half-pixel centres and no antialiasing:
//!    output i samples u = (i + 0.5) * n / side - 0.5, clamped to [0, n - 1],
//!    between pixels floor(u) and min(floor(u) + 1, n - 1), weight
//!    u - floor(u) on the second; first down the rows, then across;
//! 3. (v - 127) / 128 per channel, v in 0..=255 (the TF Lite models' input).
//!
//! scripts/backbone/reference.py implements the same in numpy.

use super::error::{BackboneError, Result};

/// One output position's two source pixels and the second one's weight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tap {
    pub first: usize,
    pub second: usize,
    pub weight: f32,
}

/// Fills `taps` with `side` taps sampling `n` source pixels starting at `offset`.
pub fn taps(n: usize, side: usize, offset: usize, taps: &mut Vec<Tap>) {
    taps.clear();
    let scale = n as f64 / side as f64;
    for i in 0..side {
        let u = ((i as f64 + 0.5) * scale - 0.5).clamp(0.0, (n - 1) as f64);
        let first = u.floor() as usize;
        taps.push(Tap {
            first: offset + first,
            second: offset + (first + 1).min(n - 1),
            weight: (u - first as f64) as f32,
        });
    }
}

/// Checks that `rgb` holds a `width` x `height` RGB image.
pub fn check_image(rgb: &[u8], width: usize, height: usize) -> Result<()> {
    let expected = width.checked_mul(height).and_then(|p| p.checked_mul(3));
    if width == 0 || height == 0 || expected != Some(rgb.len()) {
        return Err(BackboneError::BadImage {
            width,
            height,
            len: rgb.len(),
            expected: expected.unwrap_or(usize::MAX),
        });
    }
    Ok(())
}

/// Crops, resizes and normalises `rgb` into `out` (side x side x 3).
/// `xs` and `ys` are scratch space, kept by the caller so nothing is allocated
/// once they have grown to `side`.
pub fn preprocess(
    rgb: &[u8],
    width: usize,
    height: usize,
    side: usize,
    xs: &mut Vec<Tap>,
    ys: &mut Vec<Tap>,
    out: &mut [f32],
) -> Result<()> {
    check_image(rgb, width, height)?;
    let n = width.min(height);
    taps(n, side, (width - n) / 2, xs);
    taps(n, side, (height - n) / 2, ys);
    let out = &mut out[..side * side * 3];
    let stride = width * 3;
    for (row, ty) in out.chunks_exact_mut(side * 3).zip(ys.iter()) {
        let top = &rgb[ty.first * stride..][..stride];
        let bottom = &rgb[ty.second * stride..][..stride];
        let (wt, wb) = (1.0 - ty.weight, ty.weight);
        for (px, tx) in row.chunks_exact_mut(3).zip(xs.iter()) {
            let (wl, wr) = (1.0 - tx.weight, tx.weight);
            for (ch, o) in px.iter_mut().enumerate() {
                let left =
                    top[tx.first * 3 + ch] as f32 * wt + bottom[tx.first * 3 + ch] as f32 * wb;
                let right =
                    top[tx.second * 3 + ch] as f32 * wt + bottom[tx.second * 3 + ch] as f32 * wb;
                *o = (left * wl + right * wr - 127.0) / 128.0;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(rgb: &[u8], w: usize, h: usize, side: usize) -> Vec<f32> {
        let mut out = vec![f32::NAN; side * side * 3];
        preprocess(rgb, w, h, side, &mut Vec::new(), &mut Vec::new(), &mut out).unwrap();
        out.iter().map(|v| v * 128.0 + 127.0).collect()
    }

    #[test]
    fn same_size_square_is_only_normalised() {
        let rgb: Vec<u8> = (0..4 * 4 * 3).map(|i| (i * 5) as u8).collect();
        let out = run(&rgb, 4, 4, 4);
        for (a, &b) in out.iter().zip(&rgb) {
            assert!((a - b as f32).abs() < 1e-4);
        }
        let mut x = vec![0.0; 3];
        preprocess(
            &[255, 127, 0],
            1,
            1,
            1,
            &mut Vec::new(),
            &mut Vec::new(),
            &mut x,
        )
        .unwrap();
        assert_eq!(x, vec![1.0, 0.0, -127.0 / 128.0]);
    }

    #[test]
    fn upsampling_uses_half_pixel_centres() {
        // A 2 x 2 grey image to 4 x 4: positions -0.25 (clamped), 0.25, 0.75, 1.25 (clamped).
        let rgb: Vec<u8> = [0u8, 100, 200, 40]
            .iter()
            .flat_map(|&v| [v, v, v])
            .collect();
        let out = run(&rgb, 2, 2, 4);
        let at = |y: usize, x: usize| out[(y * 4 + x) * 3];
        let lerp = |a: f32, b: f32, t: f32| a * (1.0 - t) + b * t;
        assert!((at(0, 0) - 0.0).abs() < 1e-4);
        assert!((at(0, 1) - 25.0).abs() < 1e-4);
        assert!((at(0, 3) - 100.0).abs() < 1e-4);
        let want = lerp(lerp(0.0, 100.0, 0.25), lerp(200.0, 40.0, 0.25), 0.75);
        assert!((at(2, 1) - want).abs() < 1e-4);
        assert!((at(3, 3) - 40.0).abs() < 1e-4);
    }

    #[test]
    fn crops_the_centre_of_wide_and_tall_images() {
        // 5 x 1 wide: the centre square is column 2; 1 x 4 tall: row 1.
        let wide: Vec<u8> = (0..5u8).flat_map(|v| [v * 10, 0, 0]).collect();
        assert_eq!(run(&wide, 5, 1, 1)[0], 20.0);
        let tall: Vec<u8> = (0..4u8).flat_map(|v| [0, v * 10, 0]).collect();
        assert_eq!(run(&tall, 1, 4, 1)[1], 10.0);
    }

    #[test]
    fn constant_images_stay_constant() {
        let rgb = vec![77u8; 31 * 17 * 3];
        for side in [5, 16, 40] {
            assert!(run(&rgb, 31, 17, side)
                .iter()
                .all(|&v| (v - 77.0).abs() < 1e-3));
        }
    }

    #[test]
    fn rejects_buffers_of_the_wrong_size() {
        let mut out = vec![0.0; 12];
        let e = preprocess(
            &[0; 11],
            2,
            2,
            2,
            &mut Vec::new(),
            &mut Vec::new(),
            &mut out,
        )
        .unwrap_err();
        assert_eq!(
            e,
            BackboneError::BadImage {
                width: 2,
                height: 2,
                len: 11,
                expected: 12
            }
        );
        assert!(check_image(&[], 0, 5).is_err());
    }
}
