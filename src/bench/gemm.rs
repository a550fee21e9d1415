//! The matrix products alone, at the model's shapes and layouts, for GFLOP/s.

use ndarray::linalg::general_mat_mul;
use ndarray::{Array2, ShapeBuilder};

use crate::core::error::{LabError, Result};
use crate::core::rng::Rng;

/// How a product's operands are laid out, as in the model's three products.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// `a·W` (forward): both row-major.
    Nn,
    /// `aᵀ·δ` (weight gradient): the left operand is a transposed view.
    Tn,
    /// `δ·Wᵀ` (input gradient): the right operand is a transposed view.
    Nt,
}

impl std::str::FromStr for Layout {
    type Err = LabError;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "nn" => Ok(Layout::Nn),
            "tn" => Ok(Layout::Tn),
            "nt" => Ok(Layout::Nt),
            _ => Err(LabError::setting("layout", "\"nn\", \"tn\" or \"nt\"", s)),
        }
    }
}

/// `C (m×n) = A (m×k) · B (k×n)` repeated, for GFLOP/s at a given shape.
#[derive(Debug, Clone)]
pub struct GemmBench {
    a: Array2<f32>,
    b: Array2<f32>,
    c: Array2<f32>,
}

impl GemmBench {
    pub fn new(m: usize, n: usize, k: usize, layout: Layout) -> Self {
        let mut rng = Rng::new(42);
        let mut fill = |shape: (usize, usize), column_major: bool| {
            let sh = if column_major {
                shape.f()
            } else {
                shape.into_shape_with_order()
            };
            Array2::from_shape_simple_fn(sh, || rng.uniform() as f32 - 0.5)
        };
        GemmBench {
            a: fill((m, k), layout == Layout::Tn),
            b: fill((k, n), layout == Layout::Nt),
            c: Array2::zeros((m, n)),
        }
    }

    pub fn flops(&self) -> f64 {
        2.0 * (self.a.nrows() * self.a.ncols() * self.b.ncols()) as f64
    }

    /// Runs the product `reps` times; returns a checksum so that the work
    /// cannot be optimised away.
    pub fn run(&mut self, reps: usize) -> f32 {
        for _ in 0..reps {
            general_mat_mul(1.0, &self.a, &self.b, 0.0, &mut self.c);
        }
        self.c[[0, 0]]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gemm_layouts_agree() {
        let mut sums = Vec::new();
        for layout in [Layout::Nn, Layout::Tn, Layout::Nt] {
            let mut g = GemmBench::new(5, 4, 3, layout);
            g.run(1);
            let want = g.a.dot(&g.b);
            assert!((&g.c - &want).iter().all(|v| v.abs() < 1e-6));
            sums.push(g.flops());
        }
        assert_eq!(sums, vec![120.0; 3]);
    }
}
