#!/usr/bin/env python3
"""Builds data/digits.bin from scikit-learn's copy of the UCI handwritten digits.

Usage (from the repository root):

    dir=$(mktemp -d)
    pip download --no-deps scikit-learn==1.9.1 -d "$dir"
    python3 data/make_digits.py "$dir"/scikit_learn-1.9.1-*.whl

The argument is either a scikit-learn wheel or the extracted
sklearn/datasets/data/digits.csv.gz. Standard library only.

Input: 1797 CSV rows of 65 integers, the 64 pixels of an 8×8 image (row by
row, values 0..16) followed by the digit 0..9 (the layout sklearn's
load_digits reads).

Output format of digits.bin (1797 × 65 = 116,805 bytes, no header):
    bytes 0 .. 1797                  label of image i (0..9), one byte each
    bytes 1797 .. 1797 + 1797 × 64   pixels of image i at 1797 + 64·i, row by row,
                                     one byte each, values 0..16 as in the source
"""

import csv
import gzip
import io
import sys
import zipfile
from pathlib import Path

COUNT = 1797
MEMBER = "sklearn/datasets/data/digits.csv.gz"
OUT = Path(__file__).resolve().parent / "digits.bin"


def read_csv_gz(source: Path) -> bytes:
    if source.suffix == ".whl":
        with zipfile.ZipFile(source) as wheel:
            return wheel.read(MEMBER)
    return source.read_bytes()


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    text = gzip.decompress(read_csv_gz(Path(sys.argv[1]))).decode("ascii")
    rows = [[int(v) for v in row] for row in csv.reader(io.StringIO(text)) if row]
    if len(rows) != COUNT or any(len(r) != 65 for r in rows):
        sys.exit(f"expected {COUNT} rows of 65 values")
    labels = bytes(r[64] for r in rows)
    pixels = bytes(v for r in rows for v in r[:64])
    if max(labels) > 9 or max(pixels) > 16:
        sys.exit("labels must be 0..9 and pixels 0..16")
    OUT.write_bytes(labels + pixels)
    print(f"wrote {OUT.name}: {len(labels) + len(pixels)} bytes")


if __name__ == "__main__":
    main()
