#!/usr/bin/env python3
"""Makes the small photo copies in tests/fixtures/backbone/photos/.

    python3 scripts/backbone/photos.py [--cache DIR]

Takes six of scikit-image 0.26.0's sample photos and one of matplotlib's
(CC0 / public domain, sha256-pinned in sources.py), shrinks each by the smallest integer factor that brings its
longer side to at most 256 px (mean of each factor x factor box, rounded;
rows and columns past a multiple of the factor are dropped), turns grey into
RGB and writes 8-bit RGB PNGs. Needs numpy and Pillow (development only).
"""

import argparse
import io
import sys
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sources  # noqa: E402

OUT = sources.ROOT / "tests" / "fixtures" / "backbone" / "photos"
SKIMAGE = "scikit-image", "skimage/data/"
MATPLOTLIB = "matplotlib", "matplotlib/mpl-data/sample_data/"
FILES = [(SKIMAGE, "chelsea.png"), (SKIMAGE, "coffee.png"), (SKIMAGE, "rocket.jpg"),
         (SKIMAGE, "camera.png"), (SKIMAGE, "clock_motion.png"),
         (MATPLOTLIB, "grace_hopper.jpg"), (SKIMAGE, "astronaut.png")]


def shrink(img, limit=256):
    h, w = img.shape[:2]
    f = -(-max(h, w) // limit)
    h, w = h // f * f, w // f * f
    boxes = img[:h, :w].astype(np.float64).reshape(h // f, f, w // f, f, 3)
    return np.round(boxes.mean(axis=(1, 3))).astype(np.uint8), f


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, default=sources.CACHE)
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    for (package, folder), fname in FILES:
        data = sources.member(package, folder + fname, args.cache)
        with Image.open(io.BytesIO(data)) as im:
            img = np.asarray(im.convert("RGB"))
        small, f = shrink(img)
        out = OUT / (Path(fname).stem + ".png")
        Image.fromarray(small, "RGB").save(out, optimize=True)
        print(f"{fname} {img.shape[1]}x{img.shape[0]} -> /{f} -> {out.name} "
              f"{small.shape[1]}x{small.shape[0]} ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
