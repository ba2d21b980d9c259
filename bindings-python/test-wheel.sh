#!/usr/bin/env bash
# `make test-wheel`: builds the wheel and the sdist as users get them (dist.sh, into
# <repo>/dist/python) and tests the wheel installed without a Rust toolchain (test-dist.sh).
# Arguments go to pytest. Several minutes (a release build and fresh installs), so not part
# of `make test` by itself.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DIST="$(cd "$HERE/.." && pwd)/dist/python"
bash "$HERE/dist.sh" "$DIST"
bash "$HERE/test-dist.sh" "$DIST" "$@"
