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
pub(crate) mod tests {
    use super::*;

    /// Writes a file of f32 tensors (dtype 2), for tests.
    pub(crate) fn encode(kind: &str, tensors: &[(&str, &[usize], &[f32])]) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        out.extend(VERSION.to_le_bytes());
        out.extend((kind.len() as u16).to_le_bytes());
        out.extend(kind.as_bytes());
        out.extend((tensors.len() as u32).to_le_bytes());
        for (name, shape, data) in tensors {
            out.extend((name.len() as u16).to_le_bytes());
            out.extend(name.as_bytes());
            out.push(DTYPE_F32);
            out.push(shape.len() as u8);
            for &d in *shape {
                out.extend((d as u32).to_le_bytes());
            }
            for v in *data {
                out.extend(v.to_le_bytes());
            }
        }
        let crc = crc32(&out);
        out.extend(crc.to_le_bytes());
        out
    }

    fn small() -> Vec<u8> {
        encode(
            "test/kind",
            &[
                ("a", &[2, 3], &[1., 2., 3., 4., 5., 6.]),
                ("b", &[1], &[-7.5]),
            ],
        )
    }

    #[test]
    fn f16_decoding_is_exact() {
        assert_eq!(f16_to_f32(0x0000), 0.0);
        assert!(f16_to_f32(0x8000).is_sign_negative());
        assert_eq!(f16_to_f32(0x3c00), 1.0);
        assert_eq!(f16_to_f32(0xc000), -2.0);
        assert_eq!(f16_to_f32(0x3555), 0.333_251_95);
        assert_eq!(f16_to_f32(0x7bff), 65504.0);
        assert_eq!(f16_to_f32(0x0400), 2f32.powi(-14)); // smallest normal
        assert_eq!(f16_to_f32(0x0001), 2f32.powi(-24)); // smallest subnormal
        assert_eq!(f16_to_f32(0x03ff), 1023.0 * 2f32.powi(-24)); // largest subnormal
        assert_eq!(f16_to_f32(0x8200), -(2f32.powi(-15)));
        assert_eq!(f16_to_f32(0x7c00), f32::INFINITY);
        assert!(f16_to_f32(0x7e00).is_nan());
    }

    #[test]
    fn crc32_matches_zlib() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn reads_what_was_written() {
        let f = WeightsFile::parse(&small()).unwrap();
        assert_eq!(f.kind, "test/kind");
        assert_eq!(f.tensors[0].shape, vec![2, 3]);
        assert_eq!(f.tensors[0].data, vec![1., 2., 3., 4., 5., 6.]);
        assert_eq!(f.tensors[1].data, vec![-7.5]);
        assert!(f.expect_kind("test/kind").is_ok());
        assert!(matches!(
            f.expect_kind("x"),
            Err(BackboneError::WrongKind { .. })
        ));
    }

    #[test]
    fn reads_f16_tensors() {
        let mut b = MAGIC.to_vec();
        b.extend(1u32.to_le_bytes());
        b.extend(1u16.to_le_bytes());
        b.push(b'k');
        b.extend(1u32.to_le_bytes());
        b.extend(1u16.to_le_bytes());
        b.push(b'h');
        b.extend([DTYPE_F16, 1]);
        b.extend(2u32.to_le_bytes());
        b.extend(0x3c00u16.to_le_bytes());
        b.extend(0xc000u16.to_le_bytes());
        let crc = crc32(&b);
        b.extend(crc.to_le_bytes());
        let f = WeightsFile::parse(&b).unwrap();
        assert_eq!(f.tensors[0].data, vec![1.0, -2.0]);
    }

    #[test]
    fn errors_name_the_problem() {
        let good = small();
        let mut bad = good.clone();
        bad[0] = b'X';
        assert!(matches!(
            WeightsFile::parse(&bad),
            Err(BackboneError::BadMagic { .. })
        ));
        assert!(matches!(
            WeightsFile::parse(b"SLB"),
            Err(BackboneError::BadMagic { .. })
        ));
        let mut bad = good.clone();
        bad[8] = 9;
        assert_eq!(
            WeightsFile::parse(&bad),
            Err(BackboneError::UnsupportedVersion {
                found: 9,
                supported: 1
            })
        );
        for cut in [12, 20, 30, good.len() - 9, good.len() - 1] {
            let e = WeightsFile::parse(&good[..cut]).unwrap_err();
            assert!(matches!(e, BackboneError::Truncated { .. }), "{cut}: {e}");
        }
        let mut bad = good.clone();
        bad.push(0);
        assert_eq!(
            WeightsFile::parse(&bad),
            Err(BackboneError::TrailingBytes { extra: 1 })
        );
        let mut bad = good.clone();
        let n = bad.len();
        bad[n - 8] ^= 1; // a data byte
        assert!(matches!(
            WeightsFile::parse(&bad),
            Err(BackboneError::Checksum { .. })
        ));
    }

    #[test]
    fn checks_names_and_shapes() {
        let want = |a: &str, s: &[usize]| vec![(a.to_string(), s.to_vec()), ("b".into(), vec![1])];
        let f = || WeightsFile::parse(&small()).unwrap();
        assert!(f().into_checked(&want("a", &[2, 3])).is_ok());
        assert!(matches!(
            f().into_checked(&want("a", &[3, 2])),
            Err(BackboneError::ShapeMismatch { .. })
        ));
        assert!(matches!(
            f().into_checked(&want("z", &[2, 3])),
            Err(BackboneError::UnexpectedTensor { index: 0, .. })
        ));
        assert!(matches!(
            f().into_checked(&want("a", &[2, 3])[..1]),
            Err(BackboneError::TensorCount {
                expected: 1,
                found: 2
            })
        ));
    }
}
