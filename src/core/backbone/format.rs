//! The lab's weights file (data/backbone/FORMAT.md), version 1, little-endian:
//!
//! ```text
//! magic    8 bytes  "SLBKBONE"
//! version  u32      1
//! kind     u16 length + UTF-8, e.g. "efficientnet-lite0/features"
//! count    u32      number of tensors
//! count x  name     u16 length + UTF-8
//!          dtype    u8: 1 = f16 (IEEE binary16), 2 = f32
//!          rank     u8, 1..=4
//!          dims     rank x u32
//!          data     product(dims) values, row-major
//! crc      u32      CRC-32 (IEEE, as zlib.crc32) of every byte before it
//! ```
//!
//! Reading widens every value to f32. Names, order and shapes are checked by
//! the caller against the network it builds.

use super::error::{BackboneError, Result};

/// The first bytes of every weights file.
pub const MAGIC: &[u8; 8] = b"SLBKBONE";
/// The format version this module reads.
pub const VERSION: u32 = 1;
const DTYPE_F16: u8 = 1;
const DTYPE_F32: u8 = 2;

/// One named tensor, widened to f32.
#[derive(Debug, Clone, PartialEq)]
pub struct Tensor {
    pub name: String,
    pub shape: Vec<usize>,
    pub data: Vec<f32>,
}

/// A parsed weights file.
#[derive(Debug, Clone, PartialEq)]
pub struct WeightsFile {
    pub kind: String,
    pub tensors: Vec<Tensor>,
}

impl WeightsFile {
    /// Parses and checks a whole file: magic, version, structure, CRC-32.
    pub fn parse(bytes: &[u8]) -> Result<Self> {
        let mut r = Reader { bytes, pos: 0 };
        let magic = r
            .take(8, "the magic bytes")
            .map_err(|_| BackboneError::BadMagic {
                found: bytes[..bytes.len().min(8)].to_vec(),
            })?;
        if magic != MAGIC {
            return Err(BackboneError::BadMagic {
                found: magic.to_vec(),
            });
        }
        let version = r.u32("the format version")?;
        if version != VERSION {
            return Err(BackboneError::UnsupportedVersion {
                found: version,
                supported: VERSION,
            });
        }
        let kind = r.string("the file kind")?;
        let count = r.u32("the tensor count")? as usize;
        let mut tensors = Vec::with_capacity(count.min(1024));
        for index in 0..count {
            tensors.push(r.tensor(index)?);
        }
        let body = r.pos;
        let stored = r.u32("the CRC-32")?;
        if r.pos != bytes.len() {
            return Err(BackboneError::TrailingBytes {
                extra: bytes.len() - r.pos,
            });
        }
        let computed = crc32(&bytes[..body]);
        if computed != stored {
            return Err(BackboneError::Checksum { stored, computed });
        }
        Ok(WeightsFile { kind, tensors })
    }

    /// Fails unless the file is of `kind`.
    pub fn expect_kind(&self, kind: &str) -> Result<()> {
        if self.kind == kind {
            Ok(())
        } else {
            Err(BackboneError::WrongKind {
                expected: kind.to_string(),
                found: self.kind.clone(),
            })
        }
    }

    /// Takes the tensors out, checking their names, order and shapes.
    pub fn into_checked(self, expected: &[(String, Vec<usize>)]) -> Result<Vec<Vec<f32>>> {
        if self.tensors.len() != expected.len() {
            return Err(BackboneError::TensorCount {
                expected: expected.len(),
                found: self.tensors.len(),
            });
        }
        let mut out = Vec::with_capacity(expected.len());
        for (index, (t, (name, shape))) in self.tensors.into_iter().zip(expected).enumerate() {
            if &t.name != name {
                return Err(BackboneError::UnexpectedTensor {
                    index,
                    expected: name.clone(),
                    found: t.name,
                });
            }
            if &t.shape != shape {
                return Err(BackboneError::ShapeMismatch {
                    name: t.name,
                    expected: shape.clone(),
                    found: t.shape,
                });
            }
            out.push(t.data);
        }
        Ok(out)
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8]> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.bytes.len());
        let Some(end) = end else {
            return Err(BackboneError::Truncated {
                what: what.to_string(),
                offset: self.pos,
                needed: n,
                len: self.bytes.len(),
            });
        };
        let s = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    fn u8(&mut self, what: &str) -> Result<u8> {
        Ok(self.take(1, what)?[0])
    }

    fn u16(&mut self, what: &str) -> Result<u16> {
        let b = self.take(2, what)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    fn u32(&mut self, what: &str) -> Result<u32> {
        let b = self.take(4, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn string(&mut self, what: &str) -> Result<String> {
        let n = self.u16(what)? as usize;
        let b = self.take(n, what)?;
        String::from_utf8(b.to_vec()).map_err(|_| BackboneError::Malformed {
            detail: format!("{what} at offset {} is not UTF-8", self.pos - n),
        })
    }

    fn tensor(&mut self, index: usize) -> Result<Tensor> {
        let name = self.string(&format!("the name of tensor {index}"))?;
        let what = format!("tensor \"{name}\"");
        let dtype = self.u8(&what)?;
        let rank = self.u8(&what)? as usize;
        if !(1..=4).contains(&rank) {
            return Err(BackboneError::Malformed {
                detail: format!("{what} has rank {rank}, expected 1 to 4"),
            });
        }
        let mut shape = Vec::with_capacity(rank);
        for _ in 0..rank {
            shape.push(self.u32(&what)? as usize);
        }
        let numel = shape
            .iter()
            .try_fold(1usize, |a, &d| a.checked_mul(d))
            .ok_or_else(|| BackboneError::Malformed {
                detail: format!("{what} has an impossible shape {shape:?}"),
            })?;
        let size = match dtype {
            DTYPE_F16 => 2,
            DTYPE_F32 => 4,
            _ => {
                return Err(BackboneError::Malformed {
                    detail: format!("{what} has unknown dtype code {dtype} (1 = f16, 2 = f32)"),
                })
            }
        };
        let bytes_needed = numel.saturating_mul(size);
        let raw = self.take(bytes_needed, &format!("the data of {what}"))?;
        let data = if dtype == DTYPE_F16 {
            raw.chunks_exact(2)
                .map(|b| f16_to_f32(u16::from_le_bytes([b[0], b[1]])))
                .collect()
        } else {
            raw.chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect()
        };
        Ok(Tensor { name, shape, data })
    }
}

/// IEEE 754 binary16 to f32, exactly (subnormals, infinities and NaN included).
pub fn f16_to_f32(h: u16) -> f32 {
    let sign = ((h & 0x8000) as u32) << 16;
    let exp = ((h >> 10) & 0x1f) as u32;
    let mant = (h & 0x3ff) as u32;
    let bits = match (exp, mant) {
        (0, 0) => sign,
        (0, m) => {
            // Subnormal: m * 2^-24, normalised for f32.
            let shift = m.leading_zeros() - 21; // bring the top bit to position 10
            let m = (m << shift) & 0x3ff;
            sign | ((127 - 15 + 1 - shift) << 23) | (m << 13)
        }
        (0x1f, m) => sign | 0x7f80_0000 | (m << 13),
        (e, m) => sign | ((e + 127 - 15) << 23) | (m << 13),
    };
    f32::from_bits(bits)
}

/// CRC-32 (IEEE 802.3, reflected, as zlib.crc32).
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut table = [0u32; 256];
    for (i, slot) in table.iter_mut().enumerate() {
        let mut c = i as u32;
        for _ in 0..8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
        *slot = c;
    }
    let mut crc = !0u32;
    for &b in bytes {
        crc = table[((crc ^ b as u32) & 0xff) as usize] ^ (crc >> 8);
    }
    !crc
}

#[cfg(test)]
pub(crate) mod tests;
