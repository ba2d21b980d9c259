#!/usr/bin/env bash
# Generates the Swift binding from the built native library (UniFFI library mode):
#   generate-swift.sh            regenerate the committed sources in swift/ (`make swift`)
#   generate-swift.sh --check    regenerate into a temporary directory and fail if the
#                                committed sources differ (`make check-swift`, part of `make test`)
# Needs only cargo: no Swift compiler is involved (none exists on the machines this is built on).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/native-lib.sh"
cd "$root"
build_native

raw="$(mktemp -d)"
out="$(mktemp -d)"
trap 'rm -rf "$raw" "$out"' EXIT
"$bindgen" generate \
    --library "$lib" \
    --language swift \
    --config "$here/uniffi.toml" \
    --metadata-no-deps \
    --no-format \
    --out-dir "$raw" >/dev/null

# One Swift module (VolunteerLedger) holds both crates' sources: the ffi crate's file uses the
# core's types directly. Both C modules are declared by one modulemap, the one an XCFramework
# carries in its Headers directory.
mkdir -p "$out/Sources/VolunteerLedger" "$out/Headers"
cp "$raw"/*.swift "$out/Sources/VolunteerLedger/"
cp "$raw"/*.h "$out/Headers/"
for m in "$raw"/*.modulemap; do cat "$m"; echo; done > "$out/Headers/module.modulemap"

if [[ "${1:-}" == "--check" ]]; then
    if ! diff -ru "$here/swift/Sources/VolunteerLedger" "$out/Sources/VolunteerLedger" >/dev/null \
        || ! diff -ru "$here/swift/Headers" "$out/Headers" >/dev/null; then
        diff -ru "$here/swift/Sources/VolunteerLedger" "$out/Sources/VolunteerLedger" | head -40 || true
        diff -ru "$here/swift/Headers" "$out/Headers" | head -40 || true
        echo "the committed Swift sources are stale: run 'make swift' and commit bindings-mobile/swift" >&2
        exit 1
    fi
    echo "Swift sources are current"
else
    rm -rf "$here/swift/Sources/VolunteerLedger" "$here/swift/Headers"
    mkdir -p "$here/swift/Sources"
    cp -r "$out/Sources/VolunteerLedger" "$here/swift/Sources/"
    cp -r "$out/Headers" "$here/swift/"
    echo "generated Swift into bindings-mobile/swift (Sources/VolunteerLedger, Headers)"
fi
