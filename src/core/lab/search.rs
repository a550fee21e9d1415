//! The lab's search for mislabeled images: a cross-validated run, stepped
//! in slices like training, then ranked by confident learning.

use super::Lab;
use crate::core::config::Settings;
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

    /// The dataset as bytes ([`crate::core::data::Dataset::to_snapshot`]),
    /// for pool workers that train folds of the search under way.
    pub fn find_issues_snapshot(&self) -> Result<Vec<u8>> {
        self.finder()?;
        Ok(self.dataset.to_snapshot())
    }

    /// The settings the search's folds train with.
    pub fn find_issues_settings(&self) -> Result<Settings> {
        Ok(self.finder()?.cross_validation_config().settings().clone())
    }

    /// A fold for a pool worker, or None when every fold is taken.
    pub fn find_issues_take_fold(&mut self) -> Result<Option<usize>> {
        self.finder()?;
        Ok(self
            .finder
            .as_mut()
            .expect("checked")
            .cross_validation()
            .take_fold())
    }

    /// A pool worker's answer for a fold: its probabilities
    /// ([`crate::core::find::fold_probabilities`]), or None when it failed
    /// (the fold is then trained here).
    pub fn find_issues_fold_done(&mut self, fold: usize, rows: Option<&[f32]>) -> Result<()> {
        self.finder()?;
        let cv = self.finder.as_mut().expect("checked").cross_validation();
        match rows {
            Some(rows) => cv.accept_fold(fold, rows),
            None => {
                cv.release_fold(fold);
                Ok(())
            }
        }
    }
}
