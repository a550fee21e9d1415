//! A dataset's labels alone, for keeping a copy of the dataset in another
//! worker up to date when only labels changed (a relabel, flipped noise):
//! a digest that tells whether they changed, the labels as two arrays, and
//! writing them into the copy. Images added, removed or re-split change the
//! revision instead, and the copy is then made anew.

use super::Dataset;
use crate::core::error::{LabError, Result};

/// A missing truth in [`Dataset::label_arrays`].
pub const NO_TRUTH: u32 = u32::MAX;

impl Dataset {
    /// A 64-bit FNV-1a digest of every sample's id, given and true label
    /// and split, with the revision: equal digests, equal labels.
    pub fn labels_digest(&self) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let mut eat = |v: u64| {
            for b in v.to_le_bytes() {
                h = (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3);
            }
        };
        eat(self.revision);
        for s in &self.samples {
            eat(s.id);
            eat(s.given as u64);
            eat(s.truth.map_or(u64::MAX, |t| t as u64));
            eat(s.holdout as u64);
        }
        h
    }

    /// Every sample's given label, then every sample's true label
    /// ([`NO_TRUTH`] where unknown), in dataset order.
    pub fn label_arrays(&self) -> Vec<u32> {
        let given = self.samples.iter().map(|s| s.given as u32);
        let truth = self
            .samples
            .iter()
            .map(|s| s.truth.map_or(NO_TRUTH, |t| t as u32));
        given.chain(truth).collect()
    }

    /// Writes [`Dataset::label_arrays`] of a dataset with the same images
    /// into this one; the revision is kept, as relabelling keeps it.
    pub fn set_label_arrays(&mut self, labels: &[u32]) -> Result<()> {
        let n = self.samples.len();
        if labels.len() != 2 * n {
            return Err(LabError::Dataset(format!(
                "{} labels for {n} images",
                labels.len()
            )));
        }
        let (given, truth) = labels.split_at(n);
        let truth: Vec<Option<usize>> = truth
            .iter()
            .map(|&t| (t != NO_TRUTH).then_some(t as usize))
            .collect();
        for (i, &g) in given.iter().enumerate() {
            self.check_labels(g as usize, truth[i])?;
        }
        for (s, (&g, t)) in self.samples.iter_mut().zip(given.iter().zip(truth)) {
            s.given = g as usize;
            s.truth = t;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::core::data::{inject_noise, load_digits, NoiseMode};

    #[test]
    fn labels_copied_alone_make_the_same_dataset() {
        let ds = load_digits();
        let mut copy = ds.clone();
        let mut noisy = ds.clone();
        inject_noise(&mut noisy, NoiseMode::Flip, 0.2, 3).unwrap();
        assert_ne!(noisy.labels_digest(), copy.labels_digest());
        copy.set_label_arrays(&noisy.label_arrays()).unwrap();
        assert_eq!(copy.samples(), noisy.samples());
        assert_eq!(copy.labels_digest(), noisy.labels_digest());
        assert!(copy.set_label_arrays(&[0, 1]).is_err());
        let mut bad = noisy.label_arrays();
        bad[0] = 99;
        let e = copy.set_label_arrays(&bad).unwrap_err();
        assert_eq!(
            copy.samples(),
            noisy.samples(),
            "nothing changes on a refusal ({e})"
        );
    }
}
