//! A dataset as bytes, to hand to another wasm instance (a pool worker
//! running a fold of the finder): everything a model trains on, exactly —
//! classes, every sample's id, labels and split, the pixels, the features —
//! so that training on the copy gives the same bits as on the original.
//!
//! Layout, little-endian: `SLDS`, version u32, side u32, channels u32,
//! holdout fraction f64, split seed u64, next id u64, revision u64, class
//! count u32 and each name (u32 length, UTF-8), sample count u32 and per
//! sample id u64, given u32, truth u32 (`u32::MAX`: none), holdout u8, name;
//! then every sample's pixels; then a feature dimension u32 (0: none) and
//! the features as f32.

use super::dataset::{Dataset, Sample};
use super::paged_store::{FeatureStore, PixelStore};
use crate::core::error::Result;
use crate::core::wire::{Reader, Writer};

const MAGIC: &[u8; 4] = b"SLDS";
const VERSION: u32 = 1;
const NO_TRUTH: u32 = u32::MAX;

impl Dataset {
    /// The dataset as bytes ([`Dataset::from_snapshot`] reads them back).
    pub fn to_snapshot(&self) -> Vec<u8> {
        let feature_dim = self.features.as_ref().map_or(0, |f| f.dim());
        let mut w =
            Writer::with_capacity(64 + self.len() * (self.pixel_dim() + 4 * feature_dim + 32));
        w.raw(MAGIC);
        w.u32(VERSION);
        w.u32(self.side as u32);
        w.u32(self.channels as u32);
        w.f64(self.holdout_fraction);
        for v in [self.split_seed, self.next_id, self.revision] {
            w.u64(v);
        }
        w.len(self.classes.len());
        for name in &self.classes {
            w.str(name);
        }
        w.len(self.samples.len());
        for s in &self.samples {
            w.u64(s.id);
            w.u32(s.given as u32);
            w.u32(s.truth.map_or(NO_TRUTH, |t| t as u32));
            w.u8(s.holdout as u8);
            w.str(&s.name);
        }
        for i in 0..self.len() {
            w.raw(self.pixels.get(i));
        }
        w.u32(feature_dim as u32);
        if let Some(features) = &self.features {
            for i in 0..self.len() {
                for &v in features.get(i) {
                    w.f32(v);
                }
            }
        }
        w.bytes
    }

    /// Reads [`Dataset::to_snapshot`]'s bytes; an error for anything else.
    pub fn from_snapshot(bytes: &[u8]) -> Result<Dataset> {
        let mut r = Reader::new(bytes, "the dataset copy");
        if r.take(4)? != MAGIC || r.u32()? != VERSION {
            return Err(r.bad("not a dataset snapshot of this version"));
        }
        let side = r.u32()? as usize;
        let channels = r.u32()? as usize;
        let mut ds = Dataset::new(side, channels, Vec::new())?;
        ds.holdout_fraction = r.f64()?;
        ds.split_seed = r.u64()?;
        let next_id = r.u64()?;
        let revision = r.u64()?;
        for _ in 0..r.len(4)? {
            let name = r.string()?;
            ds.add_class(&name)?;
        }
        let count = r.len(21)?;
        let mut samples = Vec::with_capacity(count);
        for _ in 0..count {
            let id = r.u64()?;
            let given = r.u32()? as usize;
            let truth = match r.u32()? {
                NO_TRUTH => None,
                t => Some(t as usize),
            };
            let holdout = r.u8()? != 0;
            let name = r.string()?;
            ds.check_labels(given, truth)?;
            samples.push(Sample {
                id,
                name,
                given,
                truth,
                holdout,
            });
        }
        let mut pixels = PixelStore::new(ds.pixel_dim());
        for _ in 0..count {
            pixels.push(r.take(ds.pixel_dim())?);
        }
        let feature_dim = r.u32()? as usize;
        if feature_dim > 0 {
            let mut features = FeatureStore::new(feature_dim);
            let mut row = vec![0f32; feature_dim];
            for _ in 0..count {
                for v in row.iter_mut() {
                    *v = r.f32()?;
                }
                features.push(&row);
            }
            ds.features = Some(features);
        }
        r.finish()?;
        ds.samples = samples;
        ds.pixels = pixels;
        ds.next_id = next_id;
        ds.revision = revision;
        Ok(ds)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::data::{inject_noise, load_digits, NoiseMode};

    fn same(a: &Dataset, b: &Dataset) {
        assert_eq!(a.classes(), b.classes());
        assert_eq!(a.samples(), b.samples());
        assert_eq!(a.revision(), b.revision());
        assert_eq!(a.dim(), b.dim());
        let all: Vec<usize> = (0..a.len()).collect();
        assert_eq!(a.batch(&all), b.batch(&all));
        for i in 0..a.len() {
            assert_eq!(a.pixels(i), b.pixels(i));
        }
    }

    #[test]
    fn a_snapshot_reads_back_as_the_same_dataset() {
        let mut ds = load_digits();
        inject_noise(&mut ds, NoiseMode::Flip, 0.2, 3).unwrap();
        let copy = Dataset::from_snapshot(&ds.to_snapshot()).unwrap();
        same(&ds, &copy);
        let features: Vec<f32> = (0..ds.len() * 5).map(|i| i as f32 / 7.0).collect();
        ds.set_features(5, &features).unwrap();
        let copy = Dataset::from_snapshot(&ds.to_snapshot()).unwrap();
        same(&ds, &copy);
        assert!(copy.has_features());
    }

    #[test]
    fn a_damaged_snapshot_is_refused() {
        let ds = load_digits();
        let bytes = ds.to_snapshot();
        for cut in [0, 3, 40, bytes.len() / 2, bytes.len() - 1] {
            let e = Dataset::from_snapshot(&bytes[..cut]).unwrap_err();
            assert!(e.to_string().contains("damaged"), "{e}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(Dataset::from_snapshot(&longer).is_err());
        let mut other = bytes;
        other[0] = b'X';
        assert!(Dataset::from_snapshot(&other).is_err());
    }
}
