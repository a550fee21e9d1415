//! Calibration: does a model that says 90% turn out right 90% of the time?
//! Label smoothing's best-documented effect is on calibration (Müller,
//! Kornblith and Hinton 2019), so the lab measures it, on the clean
//! held-out images: a reliability table of 15 equal-width confidence bins
//! ((0, 1/15], (1/15, 2/15], …, (14/15, 1]; confidence is the predicted
//! class's probability) and the expected calibration error over them
//! (Guo et al. 2017): Σ (n_b / n) · |accuracy_b − confidence_b|.

use serde::Serialize;

pub const CALIBRATION_BINS: usize = 15;

/// One confidence bin: how many predictions fell in it, their mean
/// confidence and the share of them that were right (NaN when empty).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReliabilityBin {
    pub count: usize,
    pub confidence: f64,
    pub accuracy: f64,
}

/// Predictions gathered into the bins.
#[derive(Debug, Clone)]
pub struct Reliability {
    // Per bin: count, sum of confidences, right predictions.
    sums: Vec<(usize, f64, usize)>,
}

impl Default for Reliability {
    fn default() -> Self {
        Reliability {
            sums: vec![(0, 0.0, 0); CALIBRATION_BINS],
        }
    }
}

impl Reliability {
    /// One prediction: the probability it gave its class, and whether the
    /// class was right.
    pub fn add(&mut self, confidence: f64, right: bool) {
        let m = CALIBRATION_BINS;
        let bin = ((confidence * m as f64).ceil() as usize).clamp(1, m) - 1;
        let b = &mut self.sums[bin];
        b.0 += 1;
        b.1 += confidence;
        b.2 += right as usize;
    }

    pub fn bins(&self) -> Vec<ReliabilityBin> {
        self.sums
            .iter()
            .map(|&(count, conf, right)| ReliabilityBin {
                count,
                confidence: conf / count as f64,
                accuracy: right as f64 / count as f64,
            })
            .collect()
    }

    /// The expected calibration error; None without predictions.
    pub fn ece(&self) -> Option<f64> {
        let n: usize = self.sums.iter().map(|b| b.0).sum();
        (n > 0).then(|| {
            self.sums
                .iter()
                .filter(|b| b.0 > 0)
                .map(|&(_, conf, right)| (conf - right as f64).abs() / n as f64)
                .sum()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ece_of_hand_made_predictions() {
        let mut r = Reliability::default();
        // (14/15, 1]: 0.95 twice, one right; (8/15, 9/15]: 0.55 twice, both
        // right; (4/15, 5/15]: 0.3, wrong.
        for (c, right) in [
            (0.95, true),
            (0.95, false),
            (0.55, true),
            (0.55, true),
            (0.3, false),
        ] {
            r.add(c, right);
        }
        // 2/5·|0.5 − 0.95| + 2/5·|1 − 0.55| + 1/5·|0 − 0.3| = 0.18 + 0.18 + 0.06
        assert!((r.ece().unwrap() - 0.42).abs() < 1e-12, "{:?}", r.ece());
        let bins = r.bins();
        assert_eq!(bins.len(), 15);
        let counts: Vec<usize> = bins.iter().map(|b| b.count).collect();
        assert_eq!(counts, [0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 2]);
        assert_eq!((bins[14].confidence, bins[14].accuracy), (0.95, 0.5));
        assert_eq!((bins[8].confidence, bins[8].accuracy), (0.55, 1.0));
        assert!(bins[0].confidence.is_nan() && bins[0].accuracy.is_nan());
    }

    #[test]
    fn the_ends_of_the_range_and_a_perfectly_calibrated_model() {
        let mut r = Reliability::default();
        assert_eq!(r.ece(), None);
        r.add(1.0, true);
        r.add(0.0, false);
        assert_eq!(r.bins()[14].count, 1);
        assert_eq!(r.bins()[0].count, 1);
        assert_eq!(r.ece(), Some(0.0));
        // Right 70% of the time at confidence 0.7: calibrated.
        let mut r = Reliability::default();
        for i in 0..10 {
            r.add(0.7, i < 7);
        }
        assert!(r.ece().unwrap().abs() < 1e-12);
    }
}
