//! ReLU6, the activation of EfficientNet-Lite: min(max(x, 0), 6).

/// Clamps every value to [0, 6] in place.
pub fn relu6(x: &mut [f32]) {
    for v in x {
        *v = v.clamp(0.0, 6.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clamps_to_zero_and_six() {
        let mut x = [-3.0, -0.0, 0.5, 6.0, 6.5, 1e9];
        relu6(&mut x);
        assert_eq!(x, [0.0, 0.0, 0.5, 6.0, 6.0, 6.0]);
    }
}
