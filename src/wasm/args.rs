//! Arguments as JavaScript passes them: every number is an f64, so ids,
//! indices and counts are checked to be whole and in range before the core
//! sees them.

/// A whole number ≥ 0 that fits in 32 bits, or a message naming `what`.
pub fn index(value: f64, what: &str) -> Result<usize, String> {
    if value.is_finite() && value >= 0.0 && value.fract() == 0.0 && value <= u32::MAX as f64 {
        Ok(value as usize)
    } else {
        Err(format!("{what} must be a whole number ≥ 0 (got {value})"))
    }
}

/// An image id (ids are whole numbers below 2³²).
pub fn id(value: f64) -> Result<u64, String> {
    index(value, "image id").map(|v| v as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_whole_numbers_in_range_pass() {
        assert_eq!(index(3.0, "class"), Ok(3));
        assert_eq!(id(4294967295.0), Ok(u32::MAX as u64));
        for bad in [-1.0, 0.5, f64::NAN, f64::INFINITY, 4294967296.0] {
            let msg = index(bad, "class").unwrap_err();
            assert!(msg.starts_with("class must be a whole number"), "{msg}");
        }
    }
}
