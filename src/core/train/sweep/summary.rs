//! A sweep's seeds put together per ε: each measure's mean, spread and
//! range over the seeds, so that a difference between two ε can be set
//! against how much the same ε varies by chance alone.

use serde::{Deserialize, Serialize};

use super::{EpsilonRun, SeedRun};

/// One measure over the seeds that have it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Spread {
    pub mean: f64,
    /// The sample standard deviation (n − 1 in the denominator); 0 for a
    /// single seed, which says nothing about chance.
    pub sd: f64,
    pub min: f64,
    pub max: f64,
    pub n: usize,
}

impl Spread {
    /// None for no values (a measure nobody had, e.g. memorised without noise).
    pub fn of(values: &[f64]) -> Option<Spread> {
        let n = values.len();
        if n == 0 {
            return None;
        }
        let mean = values.iter().sum::<f64>() / n as f64;
        let sd = if n > 1 {
            let squares: f64 = values.iter().map(|v| (v - mean).powi(2)).sum();
            (squares / (n - 1) as f64).sqrt()
        } else {
            0.0
        };
        let min = values.iter().copied().fold(f64::INFINITY, f64::min);
        let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        Some(Spread {
            mean,
            sd,
            min,
            max,
            n,
        })
    }
}

/// One ε over every seed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SweepRow {
    pub epsilon: f32,
    /// Seeds that trained this ε.
    pub runs: usize,
    pub peak_test_acc: Option<Spread>,
    pub final_test_acc: Option<Spread>,
    pub final_test_ece: Option<Spread>,
    pub final_memorized: Option<Spread>,
}

/// One row per ε, in the order they first appear. Runs are matched by ε,
/// not by position, so seeds run with different lists still add up.
pub fn summarise(runs: &[SeedRun]) -> Vec<SweepRow> {
    let mut epsilons: Vec<f32> = Vec::new();
    for m in runs.iter().flat_map(|r| &r.models) {
        if !epsilons.contains(&m.epsilon) {
            epsilons.push(m.epsilon);
        }
    }
    epsilons
        .into_iter()
        .map(|epsilon| {
            let of_eps: Vec<&EpsilonRun> = runs
                .iter()
                .flat_map(|r| &r.models)
                .filter(|m| m.epsilon == epsilon)
                .collect();
            let spread = |measure: fn(&EpsilonRun) -> Option<f64>| {
                let values: Vec<f64> = of_eps.iter().filter_map(|m| measure(m)).collect();
                Spread::of(&values)
            };
            SweepRow {
                epsilon,
                runs: of_eps.len(),
                peak_test_acc: spread(|m| m.peak_test_acc),
                final_test_acc: spread(|m| m.final_test_acc),
                final_test_ece: spread(|m| m.final_test_ece),
                final_memorized: spread(|m| m.final_memorized),
            }
        })
        .collect()
}
