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
