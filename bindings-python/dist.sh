#!/usr/bin/env bash
# Builds what a Python user installs without a Rust toolchain, into OUT_DIR (default
# <repo>/dist/python):
#   - the abi3 wheel for x86_64 Linux (CPython 3.9+), built by maturin with the `dist` profile
#     (release without debug information: Cargo.toml) and zig as the C compiler and linker
#     against glibc 2.17, so that `auditwheel show` finds it manylinux2014;
#   - the sdist (`maturin sdist`: the binding, the core, Cargo.lock, LICENSE, the readme).
# Then check_dist.py checks both (abi3, the manylinux2014 tag auditwheel reports, complete
# metadata, the LICENSE text, the sdist's contents, no placeholder URL) and this script fails
# when any check does.
#
#   bash bindings-python/dist.sh [OUT_DIR]
#
# Needs python3 (3.9+) with venv, cargo, and PyPI: maturin, ziglang (zig, the C compiler and
# linker for the glibc 2.17 target) and auditwheel go into a private virtualenv,
# target/dist-tools (set up once; changing TOOLS below reinstalls them). Cargo builds into
# target/x86_64-unknown-linux-gnu/dist (or CARGO_TARGET_DIR).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HERE="$ROOT/bindings-python"
OUT="${1:-$ROOT/dist/python}"
PYTHON="${PYTHON:-python3}"
TOOLS_VENV="$ROOT/target/dist-tools"
TOOLS=("maturin>=1.9.4,<2" "ziglang>=0.13,<0.18" "auditwheel>=6,<7")
TARGET=x86_64-unknown-linux-gnu

mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"

STAMP="$TOOLS_VENV/.volunteer-ledger-dist-tools"
if [[ ! -f "$STAMP" || "$(cat "$STAMP")" != "${TOOLS[*]}" ]]; then
    echo "dist.sh: installing ${TOOLS[*]} into $TOOLS_VENV"
    rm -rf "$TOOLS_VENV"
    "$PYTHON" -m venv "$TOOLS_VENV"
    "$TOOLS_VENV/bin/python" -m pip install --quiet --disable-pip-version-check "${TOOLS[@]}"
    printf '%s' "${TOOLS[*]}" >"$STAMP"
fi
# maturin finds zig as `python -m ziglang` of the first python on PATH: the tools' one.
export PATH="$TOOLS_VENV/bin:$PATH"
export CARGO_INCREMENTAL=0

# Only this version's files are left in OUT, so that test-dist.sh finds one wheel.
rm -f "$OUT"/volunteer_ledger-*.whl "$OUT"/volunteer_ledger-*.tar.gz

echo "dist.sh: building the abi3 wheel ($TARGET, manylinux2014, zig)"
(cd "$ROOT" && maturin build --profile dist --zig --compatibility manylinux2014 --target "$TARGET" \
    --quiet -m "$HERE/Cargo.toml" --out "$OUT")
echo "dist.sh: building the sdist"
(cd "$ROOT" && maturin sdist -m "$HERE/Cargo.toml" --out "$OUT" >/dev/null)

shopt -s nullglob
WHEELS=("$OUT"/volunteer_ledger-*.whl)
SDISTS=("$OUT"/volunteer_ledger-*.tar.gz)
if [[ ${#WHEELS[@]} -ne 1 || ${#SDISTS[@]} -ne 1 ]]; then
    echo "dist.sh: expected one wheel and one sdist in $OUT, found ${WHEELS[*]-} ${SDISTS[*]-}" >&2
    exit 1
fi

REPORT="$(mktemp)"
trap 'rm -f "$REPORT"' EXIT
auditwheel show "${WHEELS[0]}" >"$REPORT"
python "$HERE/check_dist.py" "${WHEELS[0]}" "${SDISTS[0]}" "$REPORT"
echo "dist.sh: built into $OUT:"
(cd "$OUT" && ls -l volunteer_ledger-*)
