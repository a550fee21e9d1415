//! `ProjectReader` for JavaScript: a project zip, or the manifest of a
//! project saved in the browser, read and checked by the core, its images
//! handed out one at a time so that the worker adds them in slices.

use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;

use super::js::{js, json};
use crate::core::project::{read_project, read_saved_manifest, Project};
use crate::core::view::ProjectImageView;

#[wasm_bindgen]
pub struct ProjectReader {
    project: Project,
}

#[wasm_bindgen]
impl ProjectReader {
    #[wasm_bindgen(constructor)]
    pub fn new(bytes: &[u8]) -> Result<ProjectReader, JsError> {
        Ok(ProjectReader {
            project: read_project(bytes).map_err(js)?,
        })
    }

    /// A project saved in the browser: its manifest (with ids) as JSON, its
    /// images' bytes kept elsewhere by id (`core::project::read_saved_manifest`).
    #[wasm_bindgen(js_name = fromSavedManifest)]
    pub fn from_saved_manifest(json: &str) -> Result<ProjectReader, JsError> {
        Ok(ProjectReader {
            project: read_saved_manifest(json.as_bytes()).map_err(js)?,
        })
    }

    /// The manifest (for a plain ImageFolder zip, one made up for it).
    #[wasm_bindgen(js_name = manifestJson)]
    pub fn manifest_json(&self) -> Result<String, JsError> {
        json(&self.project.manifest)
    }

    /// Every image (`core::view::ProjectImageView`) as JSON.
    #[wasm_bindgen(js_name = imagesJson)]
    pub fn images_json(&self) -> Result<String, JsError> {
        let views: Vec<ProjectImageView> = self
            .project
            .images
            .iter()
            .map(ProjectImageView::of)
            .collect();
        json(&views)
    }

    /// Image `i`'s bytes, handed over once (the reader lets go of them).
    #[wasm_bindgen(js_name = takeBytes)]
    pub fn take_bytes(&mut self, i: u32) -> Result<Uint8Array, JsError> {
        let img = self
            .project
            .images
            .get_mut(i as usize)
            .ok_or_else(|| JsError::new(&format!("no image {i} in the project")))?;
        Ok(Uint8Array::from(&std::mem::take(&mut img.bytes)[..]))
    }
}
