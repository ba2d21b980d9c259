#!/usr/bin/env bash
# Builds the native library, generates the Kotlin binding from it (UniFFI library mode) and
# runs the JUnit tests on the JVM through JNA. Needs cargo, a JDK (17+) and Maven; everything
# else (crates, Maven artifacts) is fetched on first use. Called by `make test-kotlin`.
#
# The generated Kotlin is a build output: it goes to kotlin/target/generated-sources/uniffi.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cargo="${CARGO:-cargo}"
cd "$root"

# Where cargo puts its output (CARGO_TARGET_DIR may be set, and may be relative to the root).
target_dir="${CARGO_TARGET_DIR:-$root/target}"
case "$target_dir" in /*) ;; *) target_dir="$root/$target_dir" ;; esac
lib_dir="$target_dir/debug"

case "$(uname -s)" in
    Darwin) lib="$lib_dir/libvolunteer_ledger_ffi.dylib" ;;
    *) lib="$lib_dir/libvolunteer_ledger_ffi.so" ;;
esac

echo "==> building the native library (volunteer-ledger-ffi, debug)"
# Only this crate: the workspace's other members would unify features into the core.
"$cargo" build -p volunteer-ledger-ffi --lib --bin uniffi-bindgen

generated="$here/kotlin/target/generated-sources/uniffi"
echo "==> generating Kotlin into ${generated#"$root"/}"
rm -rf "$generated"
# --metadata-no-deps: every exported type lives in a workspace crate, so cargo metadata need
# not resolve (and download) the whole dependency graph of the workspace.
"$target_dir/debug/uniffi-bindgen" generate \
    --library "$lib" \
    --language kotlin \
    --config "$here/uniffi.toml" \
    --metadata-no-deps \
    --no-format \
    --out-dir "$generated"

echo "==> running the Kotlin tests (Maven)"
cd "$here/kotlin"
mvn -B -ntp test -Dnative.lib.dir="$lib_dir"
