#!/usr/bin/env python3
"""Independent numpy reference of EfficientNet-Lite0; writes the pinned test outputs.

    python3 scripts/backbone/reference.py [--cache DIR]

Written from the architecture alone (not from the Rust code): float64,
BatchNorm applied as BatchNorm (not folded), TensorFlow SAME padding, input
(x - 127) / 128. It runs twice on every test image:

* "original": the checkpoint's float32 weights, read from the .pth;
* "converted": the weights read back from data/backbone/*.bin (folded,
  f16 or f32, widened to float64) by this file's own reader of FORMAT.md.

The converted run is the oracle the Rust port must match; the original run
shows what the f16 rounding costs. Results go to tests/fixtures/backbone/
(formula.json, photos.json, report.json). Needs numpy and Pillow (PNG
reading only), development only.
"""

import argparse
import json
import struct
import sys
import zlib
from pathlib import Path

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sources  # noqa: E402

EPS = 1e-3
DATA = sources.ROOT / "data" / "backbone"
FIXTURES = sources.ROOT / "tests" / "fixtures" / "backbone"

# (repeats, kernel, stride, expansion, in, out): the EfficientNet-B0 table.
STAGES = [
    (1, 3, 1, 1, 32, 16), (2, 3, 2, 6, 16, 24), (2, 5, 2, 6, 24, 40),
    (3, 3, 2, 6, 40, 80), (3, 5, 1, 6, 80, 112), (4, 5, 2, 6, 112, 192),
    (1, 3, 1, 6, 192, 320),
]
BLOCKS = [(k, s if r == 0 else 1, e, cin if r == 0 else cout, cout)
          for n, k, s, e, cin, cout in STAGES for r in range(n)]

FORMULA_W, FORMULA_H = 256, 192
FORMULA_SIDES = [128, 224, 131]
PHOTO_SIDES = [128, 224]
PHOTOS = ["chelsea", "coffee", "rocket", "camera", "clock_motion", "grace_hopper",
          "astronaut"]


# --- layers ----------------------------------------------------------------

def same_pad(n, k, s):
    """TensorFlow SAME: (before, after) for input length n, kernel k, stride s."""
    out = -(-n // s)
    total = max((out - 1) * s + k - n, 0)
    return total // 2, total - total // 2


def windows(x, k, s, symmetric=False):
    h, w, _ = x.shape
    if symmetric:  # PyTorch-style k//2 on both sides, only for the diagnostic
        (pt, pb), (pl, pr) = (k // 2, k // 2), (k // 2, k // 2)
    else:
        (pt, pb), (pl, pr) = same_pad(h, k, s), same_pad(w, k, s)
    xp = np.pad(x, ((pt, pb), (pl, pr), (0, 0)))
    return sliding_window_view(xp, (k, k), axis=(0, 1))[::s, ::s]  # Ho,Wo,C,k,k


def conv(x, w, s, symmetric=False):
    """Full convolution, x (H, W, C), w (O, C, k, k)."""
    return np.einsum("hwcij,ocij->hwo", windows(x, w.shape[2], s, symmetric), w,
                     optimize=True)


def depthwise(x, w, s, symmetric=False):
    """Depthwise convolution, w (C, 1, k, k)."""
    return np.einsum("hwcij,cij->hwc", windows(x, w.shape[2], s, symmetric), w[:, 0],
                     optimize=True)


def pointwise(x, w):
    return x @ w[:, :, 0, 0].T


def relu6(x):
    return np.clip(x, 0.0, 6.0)


def affine(y, layer):
    """BatchNorm (original weights) or bias (folded weights)."""
    if "bn" in layer:
        gamma, beta, mean, var = layer["bn"]
        return (y - mean) / np.sqrt(var + EPS) * gamma + beta
    return y + layer["b"]


def features(net, x, symmetric=False):
    """(H, W, 3) normalised input -> the 1280 pooled features."""
    x = relu6(affine(conv(x, net["stem"]["w"], 2, symmetric), net["stem"]))
    for i, (_k, s, e, cin, cout) in enumerate(BLOCKS):
        h = x
        if e != 1:
            L = net[f"{i}.expand"]
            h = relu6(affine(pointwise(h, L["w"]), L))
        L = net[f"{i}.depthwise"]
        h = relu6(affine(depthwise(h, L["w"], s, symmetric), L))
        L = net[f"{i}.project"]
        h = affine(pointwise(h, L["w"]), L)
        if s == 1 and cin == cout:
            h = h + x
        x = h
    x = relu6(affine(pointwise(x, net["head"]["w"]), net["head"]))
    return x.mean(axis=(0, 1))


def logits(net, f):
    return net["fc"]["w"] @ f + net["fc"]["b"]


def macs(side):
    """Multiply-adds of the feature extractor at side x side (the classifier adds 1.28 M)."""
    n = -(-side // 2)
    total = n * n * 27 * 32
    for k, s, e, cin, cout in BLOCKS:
        c = cin * e
        if e != 1:
            total += n * n * cin * c
        n = -(-n // s)
        total += n * n * k * k * c + n * n * c * cout
    return total + n * n * 320 * 1280


# --- the two weight sets -------------------------------------------------------

def original_net(ck):
    f = lambda k: ck[k].astype(np.float64)  # noqa: E731

    def layer(conv_name, bn):
        return {"w": f(conv_name + ".weight"),
                "bn": tuple(f(f"{bn}.{p}") for p in
                            ("weight", "bias", "running_mean", "running_var"))}

    net = {"stem": layer("_conv_stem", "_bn0"), "head": layer("_conv_head", "_bn1"),
           "fc": {"w": f("_fc.weight"), "b": f("_fc.bias")}}
    for i, (_k, _s, e, _cin, _cout) in enumerate(BLOCKS):
        p = f"_blocks.{i}."
        if e != 1:
            net[f"{i}.expand"] = layer(p + "_expand_conv", p + "_bn0")
        net[f"{i}.depthwise"] = layer(p + "_depthwise_conv", p + "_bn1")
        net[f"{i}.project"] = layer(p + "_project_conv", p + "_bn2")
    return net


def read_bin(path, kind):
    """FORMAT.md reader, independent of the converter: name -> float64 array."""
    data = path.read_bytes()
    if data[:8] != b"SLBKBONE":
        sources.fail(f"{path.name}: bad magic")
    (crc,) = struct.unpack_from("<I", data, len(data) - 4)
    if zlib.crc32(data[:-4]) & 0xFFFFFFFF != crc:
        sources.fail(f"{path.name}: CRC-32 mismatch")
    version, klen = struct.unpack_from("<IH", data, 8)
    assert version == 1, version
    pos = 14
    got_kind = data[pos:pos + klen].decode()
    assert got_kind == kind, (got_kind, kind)
    pos += klen
    (count,) = struct.unpack_from("<I", data, pos)
    pos += 4
    out = {}
    for _ in range(count):
        (nlen,) = struct.unpack_from("<H", data, pos)
        name = data[pos + 2:pos + 2 + nlen].decode()
        pos += 2 + nlen
        dtype, rank = struct.unpack_from("<BB", data, pos)
        code = {1: "<f2", 2: "<f4"}[dtype]
        shape = struct.unpack_from(f"<{rank}I", data, pos + 2)
        pos += 2 + 4 * rank
        n = int(np.prod(shape))
        out[name] = np.frombuffer(data, code, n, pos).astype(np.float64).reshape(shape)
        pos += np.dtype(code).itemsize * n
    assert pos == len(data) - 4
    return out


def converted_net(features_bin, head_bin):
    t = read_bin(features_bin, "efficientnet-lite0/features")
    fc = read_bin(head_bin, "efficientnet-lite0/imagenet-head")

    def pw(name):  # (in, out) -> (out, in, 1, 1)
        return {"w": t[name + ".weight"].T[:, :, None, None], "b": t[name + ".bias"]}

    net = {"stem": {"w": t["stem.weight"].transpose(3, 2, 0, 1), "b": t["stem.bias"]},
           "head": pw("head"),
           "fc": {"w": fc["classifier.weight"].T, "b": fc["classifier.bias"]}}
    for i, (_k, _s, e, _cin, _cout) in enumerate(BLOCKS):
        if e != 1:
            net[f"{i}.expand"] = pw(f"blocks.{i}.expand")
        d = t[f"blocks.{i}.depthwise.weight"]  # (k, k, c) -> (c, 1, k, k)
        net[f"{i}.depthwise"] = {"w": d.transpose(2, 0, 1)[:, None],
                                 "b": t[f"blocks.{i}.depthwise.bias"]}
        net[f"{i}.project"] = pw(f"blocks.{i}.project")
    return net


def rounded_net(folded, how):
    """The folded weights with every tensor of over 4096 values re-rounded.

    how = "f16": all of them f16, as if no tensor were kept f32 (biases too);
    how = "int8": symmetric int8 with one scale per output channel, small
    tensors and biases kept as they are. Only for the report: the shipped
    file is what `converted_net` reads.
    """
    net = {}
    for name, layer in folded.items():
        w, b = layer["w"], layer["b"]
        if how == "f16":
            half = lambda a: a.astype(np.float16).astype(np.float64)  # noqa: E731
            net[name] = {"w": half(w), "b": half(b)}
        elif w.size > 4096:
            axes = tuple(range(1, w.ndim))  # every layout here is (out, ...)
            scale = np.abs(w).max(axis=axes, keepdims=True) / 127.0
            scale[scale == 0] = 1.0
            net[name] = {"w": np.round(w / scale).clip(-127, 127) * scale, "b": b}
        else:
            net[name] = layer
    return net


# --- images --------------------------------------------------------------------

def tri(v):
    return np.abs(v % 510 - 255)


def formula_image(w=FORMULA_W, h=FORMULA_H):
    """The formula test image, u8 (h, w, 3); integer arithmetic only."""
    y, x = np.mgrid[0:h, 0:w].astype(np.int64)
    r = 255 * (x + y) // (w + h - 2)
    g = tri(((x - w // 2) ** 2 + (y - h // 2) ** 2) // 16)
    b = tri(3 * x + 5 * y)
    return np.stack([r, g, b], axis=-1).astype(np.uint8)


def crop_resize(img, side):
    """Centre crop to a square, then bilinear with half-pixel centres, float64."""
    h, w, _ = img.shape
    n = min(h, w)
    y0, x0 = (h - n) // 2, (w - n) // 2
    crop = img[y0:y0 + n, x0:x0 + n].astype(np.float64)
    u = np.clip((np.arange(side) + 0.5) * (n / side) - 0.5, 0.0, n - 1)
    i0 = np.floor(u).astype(np.int64)
    i1 = np.minimum(i0 + 1, n - 1)
    t = u - i0
    rows = crop[i0] * (1 - t)[:, None, None] + crop[i1] * t[:, None, None]
    return rows[:, i0] * (1 - t)[None, :, None] + rows[:, i1] * t[None, :, None]


def normalise(x):
    return (x - 127.0) / 128.0


def load_png(path):
    from PIL import Image

    with Image.open(path) as im:
        return np.asarray(im.convert("RGB"))


# --- outputs -------------------------------------------------------------------

def compare(a, b):
    """a against reference b: max abs difference and relative L2."""
    return {"max_abs": float(np.abs(a - b).max()),
            "rel_l2": float(np.linalg.norm(a - b) / np.linalg.norm(b))}


def top5(net, f, names):
    z = logits(net, f)
    idx = np.argsort(-z, kind="stable")[:5]
    return [{"class": int(i), "name": names[i], "logit": round(float(z[i]), 5)}
            for i in idx]


def run_case(nets, img, side, names, keep_original=True, keep_features=True):
    x = normalise(crop_resize(img, side))
    f = {k: features(net, x) for k, net in nets.items()}
    case = {"side": side}
    if keep_features:
        case["features"] = f["converted"]
    if keep_original:
        case["features_original"] = f["original"]
    case["f16_vs_original"] = compare(f["converted"], f["original"])
    case["top5"] = top5(nets["converted"], f["converted"], names)
    case["top5_original"] = top5(nets["original"], f["original"], names)
    case["variants"] = {k: dict(compare(f[k], f["original"]),
                                top5=[t["class"] for t in top5(nets[k], f[k], names)])
                        for k in ("all_f16", "int8")}
    print(f"  side {side}: shipped vs f32 rel {case['f16_vs_original']['rel_l2']:.2e} "
          f"max {case['f16_vs_original']['max_abs']:.2e}; all-f16 rel "
          f"{case['variants']['all_f16']['rel_l2']:.2e}; int8 rel "
          f"{case['variants']['int8']['rel_l2']:.2e}; top5 "
          + ", ".join(f"{t['name']} {t['logit']:.2f}" for t in case["top5"]),
          file=sys.stderr)
    return case, x


def summary(cases):
    """Worst error and top-5 agreement with the f32 original over all cases."""
    out = {}
    for key in ("shipped", "all_f16", "int8"):
        errs, same_set, same_order = [], 0, 0
        for c in cases:
            v = c["f16_vs_original"] if key == "shipped" else c["variants"][key]
            t = [t["class"] for t in c["top5"]] if key == "shipped" else v["top5"]
            want = [t["class"] for t in c["top5_original"]]
            errs.append(v)
            same_set += set(t) == set(want)
            same_order += t == want
        out[key] = {"worst_rel_l2": max(e["rel_l2"] for e in errs),
                    "worst_max_abs": max(e["max_abs"] for e in errs),
                    "cases": len(cases), "top5_same_set": same_set,
                    "top5_same_order": same_order}
    return out


def dumps(obj, indent=0):
    """JSON with one line per number list, floats at 8 significant digits."""
    pad = " " * indent
    if isinstance(obj, dict):
        items = [f'{pad} {json.dumps(k)}: {dumps(v, indent + 1).lstrip()}'
                 for k, v in obj.items()]
        return pad + "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, np.ndarray):
        return pad + "[" + ", ".join(f"{v:.8g}" for v in obj.tolist()) + "]"
    if isinstance(obj, list) and obj and isinstance(obj[0], dict):
        return pad + "[\n" + ",\n".join(dumps(v, indent + 1) for v in obj) + "\n" + pad + "]"
    if isinstance(obj, float):
        return pad + f"{obj:.8g}"
    return pad + json.dumps(obj)


def write(name, obj):
    path = FIXTURES / name
    path.write_text(dumps(obj) + "\n")
    print(f"wrote tests/fixtures/backbone/{name} ({path.stat().st_size} bytes)",
          file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, default=sources.CACHE)
    args = ap.parse_args()

    ck = sources.checkpoint(args.cache)
    names = (DATA / "imagenet-classes.txt").read_text().splitlines()
    conv_net = converted_net(DATA / "efficientnet-lite0.bin",
                             DATA / "efficientnet-lite0-imagenet-head.bin")
    nets = {"original": original_net(ck), "converted": conv_net,
            "all_f16": rounded_net(conv_net, "f16"), "int8": rounded_net(conv_net, "int8")}
    every = []
    FIXTURES.mkdir(parents=True, exist_ok=True)

    img = formula_image()
    cases = []
    for side in FORMULA_SIDES:
        print(f"formula {FORMULA_W}x{FORMULA_H}:", file=sys.stderr)
        case, x = run_case(nets, img, side, names)
        if side == 224:  # the padding convention matters: show by how much
            fs = features(nets["converted"], x, symmetric=True)
            sym = compare(fs, case["features"])
            print(f"  (symmetric k//2 padding instead of SAME would move the "
                  f"features by rel {sym['rel_l2']:.1%})", file=sys.stderr)
        cases.append(case)
    every += cases
    write("formula.json", {
        "image": {"width": FORMULA_W, "height": FORMULA_H,
                  "formula": "integer arithmetic, x in 0..W, y in 0..H: "
                             "r = 255*(x+y) / (W+H-2); "
                             "g = tri(((x-W/2)^2 + (y-H/2)^2) / 16); "
                             "b = tri(3x + 5y); tri(v) = |v mod 510 - 255|; "
                             "/ is floor division"},
        "cases": cases})

    photos = []
    for name in PHOTOS:
        print(f"{name}:", file=sys.stderr)
        img = load_png(FIXTURES / "photos" / f"{name}.png")
        cases = []
        for side in PHOTO_SIDES:
            keep = name == "chelsea" or side == 224
            case, _ = run_case(nets, img, side, names, keep_original=name == "chelsea",
                               keep_features=keep)
            cases.append(case)
        every += cases
        photos.append({"file": f"photos/{name}.png",
                       "width": img.shape[1], "height": img.shape[0], "cases": cases})
    write("photos.json", {"photos": photos})

    report = summary(every)
    for k, v in report.items():
        print(f"{k}: worst rel {v['worst_rel_l2']:.2e}, worst abs {v['worst_max_abs']:.2e}, "
              f"top-5 same set {v['top5_same_set']}/{v['cases']}, "
              f"same order {v['top5_same_order']}/{v['cases']}", file=sys.stderr)
    write("report.json", {
        "against_f32_original": report,
        "multiply_adds": {"features_at_128": macs(128), "features_at_224": macs(224),
                          "imagenet_classifier": 1280 * 1000},
        "parameters": {"features": int(sum(v.size for k, v in ck.items()
                                           if "running" not in k and "num_batches" not in k
                                           and not k.startswith("_fc"))),
                       "imagenet_head": int(ck["_fc.weight"].size + ck["_fc.bias"].size)}})


if __name__ == "__main__":
    main()
