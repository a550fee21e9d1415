//! What can go wrong reading weights or embedding an image.

use thiserror::Error;

/// An error of the backbone; each message says what to do about it.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum BackboneError {
    #[error(
        "not a smoothlab backbone weights file: it starts with {found:?}, not \"SLBKBONE\" \
         (use data/backbone/efficientnet-lite0.bin or the ImageNet head next to it, \
         made by scripts/backbone/convert.py)"
    )]
    BadMagic { found: Vec<u8> },

    #[error(
        "backbone weights format version {found} is not supported (this build reads version \
         {supported}); regenerate the file with scripts/backbone/convert.py of this revision"
    )]
    UnsupportedVersion { found: u32, supported: u32 },

    #[error(
        "backbone weights file is truncated: {what} needs {needed} bytes at offset {offset} \
         but the file has {len} bytes; the download or copy was cut short, fetch it again"
    )]
    Truncated {
        what: String,
        offset: usize,
        needed: usize,
        len: usize,
    },

    #[error(
        "backbone weights file is corrupt: its CRC-32 is {stored:#010x} but the content \
         gives {computed:#010x}; fetch or regenerate it"
    )]
    Checksum { stored: u32, computed: u32 },

    #[error(
        "backbone weights file has {extra} unexpected bytes after its last tensor; \
         it is damaged or not made by scripts/backbone/convert.py"
    )]
    TrailingBytes { extra: usize },

    #[error(
        "this is a \"{found}\" weights file where \"{expected}\" was expected (the features \
         are efficientnet-lite0.bin, the ImageNet head efficientnet-lite0-imagenet-head.bin)"
    )]
    WrongKind { expected: String, found: String },

    #[error("backbone weights file: {detail}; regenerate it with scripts/backbone/convert.py")]
    Malformed { detail: String },

    #[error(
        "backbone weights file has {found} tensors, the network needs {expected}; it was made \
         for another network or by another version of scripts/backbone/convert.py"
    )]
    TensorCount { expected: usize, found: usize },

    #[error(
        "backbone weights file: tensor {index} is \"{found}\" but the network needs \
         \"{expected}\" there; it was made for another network or converter version"
    )]
    UnexpectedTensor {
        index: usize,
        expected: String,
        found: String,
    },

    #[error(
        "backbone weights file: tensor \"{name}\" has shape {found:?}, the network needs \
         {expected:?}; it was made for another network or converter version"
    )]
    ShapeMismatch {
        name: String,
        expected: Vec<usize>,
        found: Vec<usize>,
    },

    #[error("input side {side} is not supported: choose a side from {min} to {max} pixels")]
    BadSide { side: usize, min: usize, max: usize },

    #[error(
        "image buffer of {len} bytes does not hold a {width}x{height} RGB image \
         ({expected} bytes, 3 per pixel, rows top to bottom)"
    )]
    BadImage {
        width: usize,
        height: usize,
        len: usize,
        expected: usize,
    },

    #[error("input tensor has {len} values, a {side}x{side} RGB input needs {expected}")]
    BadInput {
        side: usize,
        len: usize,
        expected: usize,
    },

    #[error(
        "the ImageNet head is not loaded: call load_imagenet_head with the bytes of \
         efficientnet-lite0-imagenet-head.bin before asking for logits or classes"
    )]
    NoHead,

    #[error("ImageNet class list has {found} names, expected 1000 (one a line)")]
    ClassNames { found: usize },
}

/// The backbone's result type.
pub type Result<T> = std::result::Result<T, BackboneError>;
