#!/usr/bin/env bash
# Builds the Python binding into the repository's virtualenv and runs its tests.
# Called by `make test-python`; needs only python3 (3.9+) with pip, and cargo.
# Idempotent: the virtualenv and the test tools are set up once; cargo rebuilds only what
# changed. Exits non-zero when any step or any test fails.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HERE="$ROOT/bindings-python"
VENV="$ROOT/.venv"
PYTHON="${PYTHON:-python3}"
# Test tools, pinned to ranges; changing this line reinstalls them. pandas (the optional
# extra), openpyxl (to read exported workbooks back) and matplotlib (the example's chart) are
# here so that the tests that need them run rather than skip; mypy checks the tests and the
# examples with --strict. tqdm is in the README's data-work snippet, which test_readme.py runs.
# polars and pyarrow (the extras `polars` and `arrow`) so that frames in and out of both are
# tested.
TOOLS=("maturin>=1.9.4,<2" "pytest>=8,<10" "hypothesis>=6,<7" "pandas>=2,<4" "pandas-stubs>=2"
    "openpyxl>=3.1,<4" "matplotlib>=3.7,<4" "mypy>=1.10,<2" "tzdata>=2024.1" "tqdm>=4,<5"
    "polars>=1.20,<3" "pyarrow>=18,<27")

if [[ ! -x "$VENV/bin/python" ]]; then
    echo "run-tests.sh: creating $VENV"
    if ! "$PYTHON" -m venv "$VENV"; then
        # Debian's python3 without python3-venv: fall back to virtualenv from PyPI.
        rm -rf "$VENV"
        "$PYTHON" -m pip install --quiet --user "virtualenv>=20"
        "$PYTHON" -m virtualenv --quiet "$VENV"
    fi
fi

export VIRTUAL_ENV="$VENV"
export PATH="$VENV/bin:$PATH"
unset PYTHONHOME CONDA_PREFIX
export PIP_DISABLE_PIP_VERSION_CHECK=1

STAMP="$VENV/.volunteer-ledger-test-tools"
if [[ ! -f "$STAMP" || "$(cat "$STAMP")" != "${TOOLS[*]}" ]]; then
    echo "run-tests.sh: installing ${TOOLS[*]}"
    python -m pip install --quiet --upgrade pip
    python -m pip install --quiet "${TOOLS[@]}"
    printf '%s' "${TOOLS[*]}" >"$STAMP"
fi

# Build the extension (debug profile: quick to compile, and the tests are small) and install
# the package in development mode: the .so lands in python/volunteer_ledger/.
echo "run-tests.sh: building volunteer_ledger with maturin"
(cd "$ROOT" && maturin develop --quiet -m "$HERE/Cargo.toml")

cd "$HERE"
python -m pytest -p no:cacheprovider tests "$@"

# The stubs are what editors and users' type checkers see: the tests and the examples must
# type-check against them with --strict.
echo "run-tests.sh: mypy --strict on the tests and the examples"
python -m mypy --strict --no-incremental tests "$ROOT/examples/python"

