//! Confident learning (Northcutt, Jiang & Chuang, JAIR 2021): find the
//! images whose given label is likely wrong, from out-of-sample predicted
//! probabilities.
//!
//! 1. Per-class thresholds t_j: the mean self-confidence p̂(j|x) over the
//!    images given class j.
//! 2. The confident joint C[i][j]: images given i whose p̂(j|x) ≥ t_j (the
//!    largest such j when several pass), calibrated so that row i sums to
//!    the number of images given i.
//! 3. Prune by noise rate (the default): for each off-diagonal (i, j), flag
//!    the round(C[i][j]) images given i with the largest margin
//!    p̂(j|x) − p̂(i|x). Images the model predicts as their given class are
//!    never flagged (as cleanlab does).
//! 4. Rank the flags by self-confidence p̂(given|x), lowest first.

use ndarray::ArrayView2;
use serde::Serialize;

use crate::core::error::{LabError, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Filter {
    /// Prune by noise rate (Northcutt et al. 2021, method "C_prune").
    PruneByNoiseRate,
    /// Every off-diagonal entry of the confident joint ("C_confusion"-like).
    ConfidentJoint,
}

impl std::str::FromStr for Filter {
    type Err = LabError;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "prune_by_noise_rate" | "prune" => Ok(Filter::PruneByNoiseRate),
            "confident_joint" | "joint" => Ok(Filter::ConfidentJoint),
            _ => Err(LabError::setting(
                "filter",
                "prune_by_noise_rate or confident_joint",
                s,
            )),
        }
    }
}

/// One image whose label looks wrong.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LabelIssue {
    /// Index of the image in the rows of the probabilities.
    pub index: usize,
    pub given: usize,
    /// The most probable other class.
    pub suggested: usize,
    /// p̂(given | x): the lower, the more likely the label is wrong.
    pub self_confidence: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Findings {
    pub thresholds: Vec<f64>,
    /// Raw counts: rows = given class, columns = class the image confidently
    /// belongs to.
    pub confident_joint: Vec<Vec<usize>>,
    /// Issues, worst (lowest self-confidence) first.
    pub issues: Vec<LabelIssue>,
}

fn argmax(row: &[f64]) -> usize {
    let mut best = 0;
    for (j, &v) in row.iter().enumerate() {
        if v > row[best] {
            best = j;
        }
    }
    best
}

/// Finds label issues from out-of-sample probabilities (one row per image,
/// one column per class) and the given labels.
pub fn find_label_issues(
    probs: ArrayView2<f32>,
    given: &[usize],
    filter: Filter,
) -> Result<Findings> {
    let (n, k) = probs.dim();
    if given.len() != n {
        return Err(LabError::Dataset(format!(
            "{} labels for {n} rows of probabilities",
            given.len()
        )));
    }
    if let Some(&bad) = given.iter().find(|&&g| g >= k) {
        return Err(LabError::OutOfRange {
            what: "class",
            index: bad,
            len: k,
        });
    }
    let rows: Vec<Vec<f64>> = probs
        .rows()
        .into_iter()
        .map(|r| r.iter().map(|&v| v as f64).collect())
        .collect();
    if rows.iter().flatten().any(|v| !v.is_finite()) {
        return Err(LabError::Dataset(
            "some images have no out-of-sample probabilities yet; finish cross-validation first"
                .into(),
        ));
    }

    let mut counts = vec![0usize; k];
    let mut thresholds = vec![0.0; k];
    for (row, &g) in rows.iter().zip(given) {
        counts[g] += 1;
        thresholds[g] += row[g];
    }
    for (t, &c) in thresholds.iter_mut().zip(&counts) {
        // A class nobody was given can never be confidently joined.
        *t = if c > 0 { *t / c as f64 } else { f64::INFINITY };
    }

    let mut joint = vec![vec![0usize; k]; k];
    let mut joined_to = vec![None; n];
    for (x, (row, &g)) in rows.iter().zip(given).enumerate() {
        let best = (0..k)
            .filter(|&j| row[j] >= thresholds[j])
            .max_by(|&a, &b| row[a].total_cmp(&row[b]));
        if let Some(j) = best {
            joint[g][j] += 1;
            joined_to[x] = Some(j);
        }
    }

    let mut flagged = vec![false; n];
    match filter {
        Filter::ConfidentJoint => {
            for x in 0..n {
                flagged[x] = joined_to[x].is_some_and(|j| j != given[x]);
            }
        }
        Filter::PruneByNoiseRate => {
            let calibrated = calibrate(&joint, &counts);
            for i in 0..k {
                let members: Vec<usize> = (0..n).filter(|&x| given[x] == i).collect();
                // Never prune a class away entirely.
                let mut budget = members.len().saturating_sub(1);
                for j in (0..k).filter(|&j| j != i) {
                    let take = (calibrated[i][j].round() as usize).min(budget);
                    budget -= take;
                    let mut by_margin: Vec<(f64, usize)> = members
                        .iter()
                        .map(|&x| (rows[x][j] - rows[x][i], x))
                        .collect();
                    by_margin.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                    for &(_, x) in by_margin.iter().take(take) {
                        flagged[x] = true;
                    }
                }
            }
        }
    }

    let mut issues: Vec<LabelIssue> = (0..n)
        .filter(|&x| flagged[x] && argmax(&rows[x]) != given[x])
        .map(|x| {
            let row = &rows[x];
            let suggested = (0..k)
                .filter(|&j| j != given[x])
                .max_by(|&a, &b| row[a].total_cmp(&row[b]))
                .unwrap_or(given[x]);
            LabelIssue {
                index: x,
                given: given[x],
                suggested,
                self_confidence: row[given[x]],
            }
        })
        .collect();
    issues.sort_by(|a, b| {
        a.self_confidence
            .total_cmp(&b.self_confidence)
            .then(a.index.cmp(&b.index))
    });
    Ok(Findings {
        thresholds,
        confident_joint: joint,
        issues,
    })
}

/// Scales each row of the confident joint to the number of images given
/// that class, then the whole matrix to n (cleanlab's
/// `calibrate_confident_joint`).
pub fn calibrate(joint: &[Vec<usize>], counts: &[usize]) -> Vec<Vec<f64>> {
    let n: usize = counts.iter().sum();
    let mut cal: Vec<Vec<f64>> = joint
        .iter()
        .zip(counts)
        .map(|(row, &c)| {
            let s: usize = row.iter().sum();
            row.iter()
                .map(|&v| {
                    if s > 0 {
                        v as f64 / s as f64 * c as f64
                    } else {
                        0.0
                    }
                })
                .collect()
        })
        .collect();
    let total: f64 = cal.iter().flatten().sum();
    if total > 0.0 {
        for v in cal.iter_mut().flatten() {
            *v *= n as f64 / total;
        }
    }
    cal
}

/// Precision and recall of flags against known mislabeled images.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FlagQuality {
    pub precision: Option<f64>,
    pub recall: Option<f64>,
    pub flagged: usize,
    pub mislabeled: usize,
    pub hits: usize,
}

pub fn flag_quality(issues: &[LabelIssue], is_mislabeled: &[bool]) -> FlagQuality {
    let hits = issues.iter().filter(|i| is_mislabeled[i.index]).count();
    let mislabeled = is_mislabeled.iter().filter(|&&m| m).count();
    FlagQuality {
        precision: (!issues.is_empty()).then(|| hits as f64 / issues.len() as f64),
        recall: (mislabeled > 0).then(|| hits as f64 / mislabeled as f64),
        flagged: issues.len(),
        mislabeled,
        hits,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    /// A tiny example worked by hand:
    /// t0 = (0.9 + 0.8 + 0.25)/3 = 0.65, t1 = (0.8 + 0.9 + 0.4)/3 = 0.7;
    /// x0, x1 join class 0; x2 (given 0) joins 1 (0.75 ≥ 0.7); x3, x4 join 1;
    /// x5 (0.6 < 0.65, 0.4 < 0.7) joins nothing. C = [[2, 1], [0, 2]].
    /// Calibrated: row 0 → [2, 1], row 1 → [0, 3]; one image given 0 is
    /// pruned toward 1: the largest margin p1 − p0 is x2's.
    #[test]
    fn pinned_thresholds_joint_and_issues() {
        let p = array![
            [0.9f32, 0.1],
            [0.8, 0.2],
            [0.25, 0.75],
            [0.2, 0.8],
            [0.1, 0.9],
            [0.6, 0.4]
        ];
        let given = [0, 0, 0, 1, 1, 1];
        let f = find_label_issues(p.view(), &given, Filter::PruneByNoiseRate).unwrap();
        assert!((f.thresholds[0] - 0.65).abs() < 1e-6 && (f.thresholds[1] - 0.7).abs() < 1e-6);
        assert_eq!(f.confident_joint, vec![vec![2, 1], vec![0, 2]]);
        assert_eq!(f.issues.len(), 1);
        let issue = &f.issues[0];
        assert_eq!((issue.index, issue.given, issue.suggested), (2, 0, 1));
        assert!((issue.self_confidence - 0.25).abs() < 1e-6);
        let cal = calibrate(&f.confident_joint, &[3, 3]);
        assert_eq!(cal, vec![vec![2.0, 1.0], vec![0.0, 3.0]]);
        // x5 is predicted as class 0 while given 1, but the joint did not
        // count it, so the joint filter does not flag it either.
        let j = find_label_issues(p.view(), &given, Filter::ConfidentJoint).unwrap();
        assert_eq!(
            j.issues.iter().map(|i| i.index).collect::<Vec<_>>(),
            vec![2]
        );
    }

    #[test]
    fn quality_against_the_truth() {
        let issues = vec![
            LabelIssue {
                index: 0,
                given: 0,
                suggested: 1,
                self_confidence: 0.1,
            },
            LabelIssue {
                index: 2,
                given: 0,
                suggested: 1,
                self_confidence: 0.2,
            },
        ];
        let q = flag_quality(&issues, &[true, true, false, true]);
        assert_eq!(q.precision, Some(0.5));
        assert!((q.recall.unwrap() - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn bad_inputs_are_errors() {
        let p = array![[0.5f32, 0.5]];
        assert!(find_label_issues(p.view(), &[0, 1], Filter::PruneByNoiseRate).is_err());
        assert!(find_label_issues(p.view(), &[2], Filter::PruneByNoiseRate).is_err());
        let nan = array![[f32::NAN, 0.5]];
        assert!(find_label_issues(nan.view(), &[0], Filter::PruneByNoiseRate).is_err());
    }
}
