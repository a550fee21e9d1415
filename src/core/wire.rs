//! Little-endian bytes for handing exact values to another wasm instance
//! (a pool worker): a writer and a reader of the few kinds the formats need.
//! Floats go as their bits, never through text, so a copy is bit-identical.

use crate::core::error::{LabError, Result};

/// Appends values to a byte buffer.
#[derive(Debug, Default)]
pub struct Writer {
    pub bytes: Vec<u8>,
}

impl Writer {
    pub fn with_capacity(n: usize) -> Self {
        Writer {
            bytes: Vec::with_capacity(n),
        }
    }
    pub fn raw(&mut self, bytes: &[u8]) {
        self.bytes.extend_from_slice(bytes);
    }
    pub fn u8(&mut self, v: u8) {
        self.bytes.push(v);
    }
    pub fn u32(&mut self, v: u32) {
        self.raw(&v.to_le_bytes());
    }
    pub fn u64(&mut self, v: u64) {
        self.raw(&v.to_le_bytes());
    }
    pub fn f32(&mut self, v: f32) {
        self.raw(&v.to_le_bytes());
    }
    pub fn f64(&mut self, v: f64) {
        self.raw(&v.to_le_bytes());
    }
    /// A count (u32); the formats never hold more than 2³² items.
    pub fn len(&mut self, n: usize) {
        self.u32(n as u32);
    }
    pub fn str(&mut self, s: &str) {
        self.len(s.len());
        self.raw(s.as_bytes());
    }
    /// A presence byte, then the value (a diverged model's Some(NaN) stays
    /// Some(NaN)).
    pub fn opt_f64(&mut self, v: Option<f64>) {
        self.u8(v.is_some() as u8);
        self.f64(v.unwrap_or(0.0));
    }
    pub fn f32s(&mut self, values: &[f32]) {
        self.len(values.len());
        for &v in values {
            self.f32(v);
        }
    }
}

/// Reads what a [`Writer`] wrote; every read checks that the bytes are there.
pub struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    /// What is being read, for the error message ("the dataset copy").
    what: &'static str,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8], what: &'static str) -> Self {
        Reader { bytes, at: 0, what }
    }
    /// The error for damaged bytes: "`what` is damaged: `why`".
    pub fn bad(&self, why: &str) -> LabError {
        LabError::Dataset(format!("{} is damaged: {why}", self.what))
    }
    pub fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or_else(|| self.bad("it ends too soon"))?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }
    fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        Ok(self.take(N)?.try_into().expect("N bytes"))
    }
    pub fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }
    pub fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(self.array()?))
    }
    pub fn u64(&mut self) -> Result<u64> {
        Ok(u64::from_le_bytes(self.array()?))
    }
    pub fn f32(&mut self) -> Result<f32> {
        Ok(f32::from_le_bytes(self.array()?))
    }
    pub fn f64(&mut self) -> Result<f64> {
        Ok(f64::from_le_bytes(self.array()?))
    }
    /// A count, checked against the bytes left (each item takes at least
    /// `item_bytes`), so damaged bytes never ask for a huge allocation.
    pub fn len(&mut self, item_bytes: usize) -> Result<usize> {
        let n = self.u32()? as usize;
        if n.saturating_mul(item_bytes.max(1)) > self.bytes.len() - self.at {
            return Err(self.bad("a count is larger than the bytes left"));
        }
        Ok(n)
    }
    pub fn string(&mut self) -> Result<String> {
        let n = self.len(1)?;
        String::from_utf8(self.take(n)?.to_vec()).map_err(|_| self.bad("a name is not UTF-8"))
    }
    pub fn opt_f64(&mut self) -> Result<Option<f64>> {
        let present = self.u8()?;
        let v = self.f64()?;
        match present {
            0 => Ok(None),
            1 => Ok(Some(v)),
            _ => Err(self.bad("an optional value is neither there nor missing")),
        }
    }
    pub fn f32s(&mut self) -> Result<Vec<f32>> {
        let n = self.len(4)?;
        (0..n).map(|_| self.f32()).collect()
    }
    /// An error unless every byte was read.
    pub fn finish(&self) -> Result<()> {
        if self.at != self.bytes.len() {
            return Err(self.bad("bytes left over at the end"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_back_bit_for_bit() {
        let mut w = Writer::default();
        w.u8(7);
        w.u32(u32::MAX);
        w.u64(1 << 40);
        w.f32(-0.0);
        w.f64(f64::MIN_POSITIVE);
        w.str("chat noir");
        w.opt_f64(None);
        w.opt_f64(Some(f64::NAN));
        w.f32s(&[1.0, f32::INFINITY, 1e-42]);
        let mut r = Reader::new(&w.bytes, "the test bytes");
        assert_eq!(r.u8().unwrap(), 7);
        assert_eq!(r.u32().unwrap(), u32::MAX);
        assert_eq!(r.u64().unwrap(), 1 << 40);
        assert_eq!(r.f32().unwrap().to_bits(), (-0.0f32).to_bits());
        assert_eq!(r.f64().unwrap(), f64::MIN_POSITIVE);
        assert_eq!(r.string().unwrap(), "chat noir");
        assert_eq!(r.opt_f64().unwrap(), None);
        assert!(r.opt_f64().unwrap().unwrap().is_nan());
        let v = r.f32s().unwrap();
        assert_eq!(v[2].to_bits(), 1e-42f32.to_bits());
        assert!(r.finish().is_ok());
    }

    #[test]
    fn short_or_padded_bytes_are_refused() {
        let mut w = Writer::default();
        w.f32s(&[1.0, 2.0]);
        let cut = &w.bytes[..w.bytes.len() - 1];
        let e = Reader::new(cut, "the copy").f32s().unwrap_err();
        assert!(e.to_string().contains("the copy is damaged"), "{e}");
        let mut huge = Writer::default();
        huge.u32(u32::MAX);
        assert!(Reader::new(&huge.bytes, "x").f32s().is_err());
        let r = Reader::new(&[0], "x");
        assert!(r.finish().is_err());
    }
}
