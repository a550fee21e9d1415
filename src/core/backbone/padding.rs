//! TensorFlow "SAME" padding, which the checkpoint was trained with.
//!
//! The output has ceil(input / stride) positions; the total padding is
//! max((out - 1) * stride + kernel - input, 0), of which the smaller half goes
//! before and the rest after. At stride 2 on an even input that is
//! asymmetric (3x3: 0 before, 1 after; 5x5: 1 before, 2 after), unlike
//! PyTorch's symmetric kernel / 2, which moves the features by ~40%.

/// Output length and padding along one axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Same {
    pub out: usize,
    pub before: usize,
    pub after: usize,
}

/// SAME padding of a convolution with `kernel` and `stride` over `input` positions.
pub fn same(input: usize, kernel: usize, stride: usize) -> Same {
    assert!(input > 0 && kernel > 0 && stride > 0);
    let out = input.div_ceil(stride);
    let total = ((out - 1) * stride + kernel).saturating_sub(input);
    Same {
        out,
        before: total / 2,
        after: total - total / 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pads(input: usize, kernel: usize, stride: usize) -> (usize, usize, usize) {
        let s = same(input, kernel, stride);
        (s.out, s.before, s.after)
    }

    #[test]
    fn stride_two_on_even_inputs_pads_more_after() {
        assert_eq!(pads(224, 3, 2), (112, 0, 1));
        assert_eq!(pads(128, 3, 2), (64, 0, 1));
        assert_eq!(pads(112, 5, 2), (56, 1, 2));
        assert_eq!(pads(8, 5, 2), (4, 1, 2));
    }

    #[test]
    fn stride_two_on_odd_inputs_is_symmetric() {
        assert_eq!(pads(131, 3, 2), (66, 1, 1));
        assert_eq!(pads(33, 5, 2), (17, 2, 2));
        assert_eq!(pads(97, 3, 2), (49, 1, 1));
        assert_eq!(pads(1, 3, 2), (1, 1, 1));
    }

    #[test]
    fn stride_one_pads_half_the_kernel_each_side() {
        for n in [1, 4, 7, 64] {
            assert_eq!(pads(n, 3, 1), (n, 1, 1));
            assert_eq!(pads(n, 5, 1), (n, 2, 2));
            assert_eq!(pads(n, 1, 1), (n, 0, 0));
        }
    }

    #[test]
    fn every_output_window_is_inside_the_padded_input() {
        for input in 1..40 {
            for kernel in [1, 3, 5] {
                for stride in [1, 2] {
                    let s = same(input, kernel, stride);
                    let padded = s.before + input + s.after;
                    assert!((s.out - 1) * stride + kernel <= padded);
                    assert!(s.before <= s.after && s.after <= s.before + 1);
                }
            }
        }
    }
}
