//! Typed errors whose messages tell a person what to do next.

use thiserror::Error;

/// Every fallible operation in the core returns this error.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum LabError {
    /// A setting outside its allowed range, named so the person can fix it.
    #[error("{field} must be {allowed} (got {got})")]
    InvalidSetting {
        field: &'static str,
        allowed: &'static str,
        got: String,
    },
    /// An image that could not be read; the message starts with the file name.
    #[error("{file}: {reason}")]
    BadImage { file: String, reason: String },
    /// The dataset cannot be trained on as it is.
    #[error("{0}")]
    Dataset(String),
    /// A sample or class index that does not exist.
    #[error("{what} {index} does not exist (there are {len})")]
    OutOfRange {
        what: &'static str,
        index: usize,
        len: usize,
    },
    /// Reading files from disk failed (CLI only).
    #[error("{path}: {reason}")]
    Io { path: String, reason: String },
    /// The image backbone could not load its weights or read an image.
    #[error("{0}")]
    Backbone(#[from] crate::core::backbone::BackboneError),
    /// Training diverged: a loss or weight became NaN or infinite.
    #[error("training diverged ({0}); lower the learning rate and restart")]
    Diverged(String),
}

pub type Result<T, E = LabError> = std::result::Result<T, E>;

impl LabError {
    pub fn setting(field: &'static str, allowed: &'static str, got: impl ToString) -> Self {
        LabError::InvalidSetting {
            field,
            allowed,
            got: got.to_string(),
        }
    }

    pub(crate) fn bad_image(file: &str, reason: impl Into<String>) -> Self {
        LabError::BadImage {
            file: file.to_string(),
            reason: reason.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_problem() {
        let e = LabError::setting("smoothing", "in [0, 1)", 1.5);
        assert_eq!(e.to_string(), "smoothing must be in [0, 1) (got 1.5)");
        let e = LabError::bad_image(
            "photo.heic",
            "HEIC is not supported; convert to JPEG or PNG",
        );
        assert_eq!(
            e.to_string(),
            "photo.heic: HEIC is not supported; convert to JPEG or PNG"
        );
    }
}
