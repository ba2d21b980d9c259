#!/usr/bin/env bash
# Builds the abi3 wheel as users get it (`maturin build --release`), installs it with its test
# extra into a fresh virtualenv (not the development one; nothing of python/ on the path) and
# runs the Python tests against the installed package. Called by `make test-wheel`; kept out of
# `make test` because the release build and the fresh installs take several minutes.
# Leaves the wheel in target/wheels; the virtualenv is removed at the end.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HERE="$ROOT/bindings-python"
PYTHON="${PYTHON:-python3}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# maturin from the development virtualenv (run-tests.sh sets it up), or a private one.
MATURIN="$ROOT/.venv/bin/maturin"
if [[ ! -x "$MATURIN" ]]; then
    "$PYTHON" -m venv "$WORK/tools"
    "$WORK/tools/bin/pip" install --quiet "maturin>=1.9.4,<2"
    MATURIN="$WORK/tools/bin/maturin"
fi

echo "test-wheel.sh: building the wheel"
rm -f "$ROOT"/target/wheels/volunteer_ledger-*.whl
(cd "$ROOT" && "$MATURIN" build --release --quiet -m "$HERE/Cargo.toml" --out "$ROOT/target/wheels")
WHEEL="$(ls "$ROOT"/target/wheels/volunteer_ledger-*.whl)"
case "$WHEEL" in
    *-abi3-*) ;;
    *) echo "test-wheel.sh: $WHEEL is not an abi3 wheel" >&2; exit 1 ;;
esac

echo "test-wheel.sh: installing $(basename "$WHEEL") into a fresh virtualenv"
"$PYTHON" -m venv "$WORK/venv"
VPY="$WORK/venv/bin/python"
"$VPY" -m pip install --quiet --disable-pip-version-check "${WHEEL}[test]"

# The package must come from the installed wheel, with its stubs and py.typed.
"$VPY" - "$WORK/venv" <<'PY'
import pathlib, sys
import volunteer_ledger as vl
where = pathlib.Path(vl.__file__).resolve()
assert str(where).startswith(str(pathlib.Path(sys.argv[1]).resolve())), where
for name in ("__init__.pyi", "py.typed", "_frames.py"):
    assert (where.parent / name).exists(), name
print(f"test-wheel.sh: volunteer_ledger {vl.__version__} from {where.parent}")
PY

echo "test-wheel.sh: running the tests against the installed wheel"
cd "$WORK"
"$VPY" -m pytest -p no:cacheprovider -c "$HERE/pyproject.toml" --rootdir "$HERE" -q "$HERE/tests" "$@"
