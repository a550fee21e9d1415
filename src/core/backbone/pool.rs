//! Global average pooling of a channels-last feature map.

/// Mean over `pixels` rows of `input` (pixels x channels) into `out` (channels).
pub fn global_average(input: &[f32], pixels: usize, out: &mut [f32]) {
    let channels = out.len();
    assert!(pixels > 0 && input.len() >= pixels * channels);
    out.fill(0.0);
    for row in input[..pixels * channels].chunks_exact(channels) {
        for (o, &v) in out.iter_mut().zip(row) {
            *o += v;
        }
    }
    let scale = 1.0 / pixels as f32;
    for o in out {
        *o *= scale;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn averages_each_channel() {
        let input = [1.0, 10.0, 3.0, 20.0, 5.0, 60.0];
        let mut out = [0.0; 2];
        global_average(&input, 3, &mut out);
        assert_eq!(out, [3.0, 30.0]);
    }
}
