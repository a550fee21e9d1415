//! Whether a project keeps its images in gray or in colour.

/// Whether images are kept in gray or in colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ColorMode {
    Gray,
    Rgb,
}

impl ColorMode {
    /// Values per pixel: 1 for gray, 3 for RGB.
    pub fn channels(self) -> usize {
        match self {
            ColorMode::Gray => 1,
            ColorMode::Rgb => 3,
        }
    }
}
