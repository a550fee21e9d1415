//! The lab's search for mislabeled images: a cross-validated run, stepped
//! in slices like training, then ranked by confident learning.

use super::Lab;
use crate::core::error::{LabError, Result};
use crate::core::find::{Filter, FinderReport, IssueFinder, Progress};
use crate::core::train::BASELINE;

impl Lab {
    /// Plans a cross-validated search: `folds` models, `epochs` each.
    pub fn start_find_issues(&mut self, folds: usize, epochs: usize) -> Result<()> {
        self.finder = Some(IssueFinder::new(
            &self.dataset,
            &self.config,
            folds,
            epochs,
        )?);
        Ok(())
    }

    fn finder(&self) -> Result<&IssueFinder> {
        self.finder
            .as_ref()
            .ok_or_else(|| LabError::Dataset("start the search for mislabeled images first".into()))
    }

    /// Advances the search by up to `steps` mini-batch steps.
    pub fn find_issues_step(&mut self, steps: usize) -> Result<Progress> {
        self.finder()?;
        let finder = self.finder.as_mut().expect("checked");
        finder.step(&self.dataset, steps)
    }

    /// Both rankings (out-of-sample and the trained baseline's in-sample).
    pub fn find_issues_report(&self, filter: Filter) -> Result<FinderReport> {
        let trained = self.trainer.as_ref().and_then(|t| t.model(BASELINE));
        let trained = trained.filter(|_| self.epoch() > 0);
        self.finder()?.report(&self.dataset, filter, trained)
    }
}
