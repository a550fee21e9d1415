//! Photos with the labels people gave them (CIFAR-10N): a `labels.csv` with
//! one row per photo (`file`, the CIFAR-10 label `true`, and the human labels
//! `aggre`, `worse`, `random1`–`random3`). One column is chosen as the given
//! labels; `true` is kept as the truth, so every curve and the finder's
//! precision know which photos people got wrong.

use serde::Serialize;

use crate::core::error::{LabError, Result};

/// Whose labels the models train on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelSource {
    /// The CIFAR-10 labels (no human mistakes; noise can be injected).
    True,
    /// The majority of three annotators.
    Aggre,
    /// A wrong one of the three, wherever any annotator was wrong.
    Worse,
    /// One annotator alone (1, 2 or 3).
    Annotator(u8),
}

impl LabelSource {
    /// Its column in `labels.csv`.
    pub fn column(self) -> String {
        match self {
            LabelSource::True => "true".into(),
            LabelSource::Aggre => "aggre".into(),
            LabelSource::Worse => "worse".into(),
            LabelSource::Annotator(k) => format!("random{k}"),
        }
    }
}

impl std::str::FromStr for LabelSource {
    type Err = LabError;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "true" => Ok(LabelSource::True),
            "aggre" => Ok(LabelSource::Aggre),
            "worse" => Ok(LabelSource::Worse),
            "random1" => Ok(LabelSource::Annotator(1)),
            "random2" => Ok(LabelSource::Annotator(2)),
            "random3" => Ok(LabelSource::Annotator(3)),
            _ => Err(LabError::setting(
                "labels",
                "true, aggre, worse, random1, random2 or random3",
                s,
            )),
        }
    }
}

/// One photo: its file and its given and true class indices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LabeledPhoto {
    pub file: String,
    pub given: usize,
    pub truth: usize,
}

/// The photos of a `labels.csv` under one label source (the page reads it
/// as JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HumanLabels {
    /// The classes of the true labels, sorted.
    pub classes: Vec<String>,
    pub photos: Vec<LabeledPhoto>,
    /// Photos left out because their label from this source names a class
    /// outside `classes` (a lone annotator may say "airplane" for a cat).
    pub left_out: Vec<String>,
}

/// Reads `labels.csv` (comma separated, a header row, no quoting: file
/// names and class names hold no commas).
pub fn read_human_labels(csv: &str, source: LabelSource) -> Result<HumanLabels> {
    let bad = |what: String| LabError::Dataset(format!("labels.csv: {what}"));
    let mut lines = csv.lines().filter(|l| !l.trim().is_empty());
    let header: Vec<&str> = lines
        .next()
        .ok_or(bad("empty".into()))?
        .split(',')
        .collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h.trim() == name)
            .ok_or(bad(format!("no \"{name}\" column")))
    };
    let (file_col, true_col, given_col) = (col("file")?, col("true")?, col(&source.column())?);
    let rows: Vec<Vec<&str>> = lines
        .map(|l| l.split(',').map(str::trim).collect())
        .collect();
    for (i, row) in rows.iter().enumerate() {
        if row.len() != header.len() {
            return Err(bad(format!(
                "row {} has {} cells, not {}",
                i + 2,
                row.len(),
                header.len()
            )));
        }
    }
    let mut classes: Vec<String> = rows.iter().map(|r| r[true_col].to_string()).collect();
    classes.sort();
    classes.dedup();
    let index = |name: &str| classes.iter().position(|c| c == name);
    let mut photos = Vec::with_capacity(rows.len());
    let mut left_out = Vec::new();
    for row in &rows {
        let truth = index(row[true_col]).expect("every true label is a class");
        match index(row[given_col]) {
            Some(given) => photos.push(LabeledPhoto {
                file: row[file_col].to_string(),
                given,
                truth,
            }),
            None => left_out.push(row[file_col].to_string()),
        }
    }
    Ok(HumanLabels {
        classes,
        photos,
        left_out,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str = "file,cifar10_train_index,true,aggre,worse,random1,random2,random3\n\
        i1.jpg,1,cat,cat,dog,dog,cat,cat\n\
        i2.jpg,2,dog,dog,dog,airplane,dog,dog\n\
        i3.jpg,3,cat,dog,dog,dog,dog,cat\n";

    #[test]
    fn a_source_gives_the_labels_and_the_truth_stays() {
        let worse = read_human_labels(CSV, LabelSource::Worse).unwrap();
        assert_eq!(worse.classes, ["cat", "dog"]);
        let pairs: Vec<(usize, usize)> = worse.photos.iter().map(|p| (p.given, p.truth)).collect();
        assert_eq!(pairs, [(1, 0), (1, 1), (1, 0)]);
        let aggre = read_human_labels(CSV, LabelSource::Aggre).unwrap();
        assert_eq!(
            aggre.photos.iter().filter(|p| p.given != p.truth).count(),
            1
        );
        let truth = read_human_labels(CSV, LabelSource::True).unwrap();
        assert!(truth.photos.iter().all(|p| p.given == p.truth));
    }

    #[test]
    fn a_label_outside_the_classes_leaves_its_photo_out() {
        let one = read_human_labels(CSV, LabelSource::Annotator(1)).unwrap();
        assert_eq!(one.left_out, ["i2.jpg"]);
        assert_eq!(one.photos.len(), 2);
    }

    #[test]
    fn bad_files_and_sources_are_named() {
        assert!("random4".parse::<LabelSource>().is_err());
        assert_eq!(
            "random2".parse::<LabelSource>().unwrap(),
            LabelSource::Annotator(2)
        );
        let e = read_human_labels("file,true\na.jpg,cat\n", LabelSource::Worse).unwrap_err();
        assert!(e.to_string().contains("no \"worse\" column"), "{e}");
        let e = read_human_labels("file,true,worse\na.jpg,cat\n", LabelSource::Worse).unwrap_err();
        assert!(e.to_string().contains("row 2 has 2 cells"), "{e}");
    }
}
