//! A dataset's classes: added, renamed and removed (with their images), and
//! the rules for a class name.

use super::dataset::Dataset;
use crate::core::error::{LabError, Result};

impl Dataset {
    pub(crate) fn check_class(&self, class: usize) -> Result<()> {
        if class < self.classes.len() {
            Ok(())
        } else {
            Err(LabError::OutOfRange {
                what: "class",
                index: class,
                len: self.classes.len(),
            })
        }
    }

    /// Checks an image's given and (where known) true class.
    pub(crate) fn check_labels(&self, given: usize, truth: Option<usize>) -> Result<()> {
        self.check_class(given)?;
        truth.map_or(Ok(()), |t| self.check_class(t))
    }

    /// Adds a class and returns its index. Names must be unique and non-empty.
    pub fn add_class(&mut self, name: &str) -> Result<usize> {
        let name = clean_class_name(name)?;
        if self.classes.contains(&name) {
            return Err(LabError::Dataset(format!(
                "a class named \"{name}\" already exists"
            )));
        }
        self.classes.push(name);
        self.revision += 1;
        Ok(self.classes.len() - 1)
    }

    pub fn rename_class(&mut self, class: usize, name: &str) -> Result<()> {
        self.check_class(class)?;
        let name = clean_class_name(name)?;
        if self
            .classes
            .iter()
            .enumerate()
            .any(|(i, c)| i != class && *c == name)
        {
            return Err(LabError::Dataset(format!(
                "a class named \"{name}\" already exists"
            )));
        }
        self.classes[class] = name;
        Ok(())
    }

    /// Removes a class with every image given or truly of it; later classes
    /// move down by one. Returns how many images went with it.
    pub fn remove_class(&mut self, class: usize) -> Result<usize> {
        self.check_class(class)?;
        let keep: Vec<bool> = self
            .samples
            .iter()
            .map(|s| s.given != class && s.truth != Some(class))
            .collect();
        let removed = keep.iter().filter(|&&k| !k).count();
        self.pixels.retain(&keep);
        if let Some(f) = &mut self.features {
            f.retain(&keep);
        }
        let mut flags = keep.iter();
        self.samples
            .retain(|_| *flags.next().expect("one flag per sample"));
        self.classes.remove(class);
        let shift = |k: usize| if k > class { k - 1 } else { k };
        for s in &mut self.samples {
            s.given = shift(s.given);
            s.truth = s.truth.map(shift);
        }
        self.resplit();
        Ok(removed)
    }
}

fn clean_class_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(LabError::Dataset("a class name cannot be empty".into()));
    }
    if name.chars().count() > 64 {
        return Err(LabError::Dataset(
            "a class name can have at most 64 characters".into(),
        ));
    }
    if name
        .chars()
        .any(|c| c.is_control() || c == '/' || c == '\\')
    {
        return Err(LabError::Dataset(format!(
            "class name \"{}\" may not contain slashes or control characters",
            name.escape_default()
        )));
    }
    Ok(name.to_string())
}
