//! The small views the page reads (no pixels): the dataset listing, epoch
//! reports by model name, a project's image list and an image's header.
//! Each is a `Serialize` type here, in the core, so that the wasm boundary
//! only serializes and the shapes are tested natively.

use serde::Serialize;

use crate::core::image::ColorMode;
use crate::core::lab::Lab;
use crate::core::project::ProjectImage;
use crate::core::train::{EpochReport, ModelReport, BASELINE, SMOOTHED};

/// What the page needs to draw the dataset.
#[derive(Debug, Serialize)]
pub struct DatasetView<'a> {
    pub side: usize,
    pub channels: usize,
    pub color: ColorMode,
    /// What the models see: "features" (the backbone's) or "pixels".
    pub input: &'static str,
    pub classes: &'a [String],
    pub counts: Vec<usize>,
    /// Mislabeled images in the training split.
    pub mislabeled: usize,
    /// Held-out images with a wrong given label (scored on their truth).
    #[serde(rename = "mislabeledHeldOut")]
    pub mislabeled_held_out: usize,
    pub images: Vec<ImageView<'a>>,
}

#[derive(Debug, Serialize)]
pub struct ImageView<'a> {
    pub id: u64,
    pub name: &'a str,
    pub given: usize,
    pub truth: Option<usize>,
    pub holdout: bool,
    pub mislabeled: bool,
}

impl<'a> DatasetView<'a> {
    pub fn of(lab: &'a Lab) -> Self {
        let ds = lab.dataset();
        DatasetView {
            side: ds.side(),
            channels: ds.channels(),
            color: ds.color(),
            input: if ds.has_features() {
                "features"
            } else {
                "pixels"
            },
            classes: ds.classes(),
            counts: ds.class_counts(),
            mislabeled: ds.mislabeled_in_training(),
            mislabeled_held_out: ds.mislabeled_count() - ds.mislabeled_in_training(),
            images: ds
                .samples()
                .iter()
                .map(|s| ImageView {
                    id: s.id,
                    name: &s.name,
                    given: s.given,
                    truth: s.truth,
                    holdout: s.holdout,
                    mislabeled: s.is_mislabeled(),
                })
                .collect(),
        }
    }
}

/// One point of the paired run's curves with its models by name.
#[derive(Debug, Serialize)]
pub struct ReportView<'a> {
    pub epoch: f64,
    pub baseline: &'a ModelReport,
    pub smoothed: &'a ModelReport,
}

impl<'a> ReportView<'a> {
    pub fn of(report: &'a EpochReport) -> Self {
        ReportView {
            epoch: report.epoch,
            baseline: &report.models[BASELINE],
            smoothed: &report.models[SMOOTHED],
        }
    }
}

/// An image of a project being read back: its file name without the
/// folder, its path in the zip, and its given and true class.
#[derive(Debug, Serialize)]
pub struct ProjectImageView<'a> {
    pub name: &'a str,
    pub file: &'a str,
    pub given: usize,
    pub truth: Option<usize>,
    /// The id it had (saved projects only; null from a zip).
    pub id: Option<u64>,
}

impl<'a> ProjectImageView<'a> {
    pub fn of(image: &'a ProjectImage) -> Self {
        ProjectImageView {
            name: &image.name,
            file: &image.file,
            given: image.given,
            truth: image.truth,
            id: image.id,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::config::Settings;

    #[test]
    fn views_have_the_shapes_the_page_reads() {
        let lab = Lab::sample(Settings::default()).unwrap();
        let json = serde_json::to_value(DatasetView::of(&lab)).unwrap();
        assert_eq!(
            (json["side"].as_u64(), json["color"].as_str()),
            (Some(8), Some("gray"))
        );
        assert_eq!(json["images"].as_array().unwrap().len(), 1797);
        assert_eq!(json["input"], "pixels");
        let first = &json["images"][0];
        for key in ["id", "name", "given", "truth", "holdout", "mislabeled"] {
            assert!(first.get(key).is_some(), "{key} missing: {first}");
        }

        let image = ProjectImage {
            file: "cats/whiskers.png".into(),
            name: "whiskers.png".into(),
            id: None,
            bytes: Vec::new(),
            given: 1,
            truth: None,
        };
        let json = serde_json::to_value(ProjectImageView::of(&image)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"name": "whiskers.png", "file": "cats/whiskers.png", "given": 1, "truth": null, "id": null})
        );
    }
}
