//! Projects on disk: the zip format (ImageFolder layout plus a manifest),
//! writing and reading it, exporting a lab to it, and reading plain
//! ImageFolder directories.

mod export;
mod format;
mod image_folder;
mod read;
mod write;

pub use export::*;
pub use format::*;
pub use image_folder::*;
pub use read::*;
pub use write::*;
