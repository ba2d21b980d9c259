#!/usr/bin/env bash
# Installs the wheel of DIST_DIR (default <repo>/dist/python, as dist.sh builds it) the way a
# user without a Rust toolchain does, and checks it works there:
#   - a fresh virtualenv, and a PATH on which neither cargo nor rustc is found (asserted;
#     CARGO and RUSTC point nowhere), so nothing can be compiled;
#   - `pip install` of the wheel with the extras pandas, polars, arrow and test from PyPI (and
#     tqdm and matplotlib, which the examples use), binary only for volunteer-ledger (no fall
#     back to the sdist);
#   - the package imported is the installed one (not bindings-python/python), with its stubs;
#   - examples/python/monthly_upload.py runs into a temporary directory: it exits 0, uploads
#     the sample sheet and writes the ledger file, the leaderboard workbook and the chart;
#   - the Python tests (bindings-python/tests) run against the installed package.
#
#   bash bindings-python/test-dist.sh [DIST_DIR] [pytest arguments...]
#
# Needs python3 (3.9+) with venv, and PyPI for the extras. The virtualenv is removed at the end.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HERE="$ROOT/bindings-python"
DIST="${1:-$ROOT/dist/python}"
shift || true
PYTHON="${PYTHON:-python3}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

shopt -s nullglob
WHEELS=("$DIST"/volunteer_ledger-*-abi3-*.whl)
if [[ ${#WHEELS[@]} -ne 1 ]]; then
    echo "test-dist.sh: expected one abi3 wheel in $DIST (bindings-python/dist.sh builds it), found ${#WHEELS[@]}" >&2
    exit 1
fi
WHEEL="$(cd "$(dirname "${WHEELS[0]}")" && pwd)/$(basename "${WHEELS[0]}")"

echo "test-dist.sh: a fresh virtualenv"
"$PYTHON" -m venv "$WORK/venv"
VENV="$WORK/venv"

# A PATH without the Rust toolchain: ~/.cargo/bin and every directory holding cargo or rustc
# are left out; the virtualenv comes first.
NO_RUST_PATH="$VENV/bin"
IFS=':' read -r -a ENTRIES <<<"$PATH"
for dir in "${ENTRIES[@]}"; do
    [[ -z "$dir" || "$dir" == "$HOME/.cargo/bin" || "$dir" == *"/.cargo/bin" || "$dir" == *"/.rustup/"* ]] && continue
    [[ -e "$dir/cargo" || -e "$dir/rustc" ]] && continue
    NO_RUST_PATH="$NO_RUST_PATH:$dir"
done
export PATH="$NO_RUST_PATH" CARGO=/nonexistent RUSTC=/nonexistent VIRTUAL_ENV="$VENV"
unset CARGO_HOME RUSTUP_HOME RUSTUP_TOOLCHAIN PYTHONPATH PYTHONHOME CONDA_PREFIX
export PIP_DISABLE_PIP_VERSION_CHECK=1
for tool in cargo rustc; do
    if command -v "$tool" >/dev/null 2>&1; then
        echo "test-dist.sh: $tool is still found on PATH ($(command -v "$tool"))" >&2
        exit 1
    fi
done
echo "test-dist.sh: no cargo, no rustc on PATH"

# Beside the extras, what the examples use when it is there (as run-tests.sh installs it): tqdm
# (the README's data-work snippet) and matplotlib (the example's chart).
echo "test-dist.sh: pip install $(basename "$WHEEL")[pandas,polars,arrow,test] tqdm matplotlib"
python -m pip install --quiet --only-binary volunteer-ledger "${WHEEL}[pandas,polars,arrow,test]" \
    "tqdm>=4,<5" "matplotlib>=3.7,<4"

# The package must come from the installed wheel, with its stubs, py.typed and its metadata.
python - "$VENV" "$WHEEL" <<'PY'
import importlib.metadata as md, pathlib, sys
import volunteer_ledger as vl
where = pathlib.Path(vl.__file__).resolve()
assert str(where).startswith(str(pathlib.Path(sys.argv[1]).resolve())), where
for name in ("__init__.pyi", "py.typed", "_frames.py"):
    assert (where.parent / name).exists(), name
dist = md.distribution("volunteer-ledger")
assert dist.version == vl.__version__, (dist.version, vl.__version__)
assert pathlib.Path(sys.argv[2]).name.startswith(f"volunteer_ledger-{dist.version}-"), dist.version
print(f"test-dist.sh: volunteer_ledger {vl.__version__} from {where.parent}")
PY

echo "test-dist.sh: examples/python/monthly_upload.py"
OUT="$WORK/monthly"
(cd "$WORK" && python -W error "$ROOT/examples/python/monthly_upload.py" --out "$OUT" --month 2015-06) \
    | tee "$WORK/monthly.txt"
grep -q "10 added" "$WORK/monthly.txt" || { echo "test-dist.sh: the sample sheet's 10 rows were not added" >&2; exit 1; }
for f in district.db leaderboard-2015-06.xlsx street-hours.png; do
    [[ -s "$OUT/$f" ]] || { echo "test-dist.sh: the example wrote no $f" >&2; exit 1; }
done

echo "test-dist.sh: the Python tests against the installed wheel"
cd "$WORK"
python -m pytest -p no:cacheprovider -c "$HERE/pyproject.toml" --rootdir "$HERE" -q "$HERE/tests" "$@"
