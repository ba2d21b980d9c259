#!/usr/bin/env bash
# Builds the native library, generates the Kotlin binding from it (UniFFI library mode) and
# runs the JUnit tests on the JVM through JNA. Needs cargo, a JDK (17+) and Maven; everything
# else (crates, Maven artifacts) is fetched on first use. Called by `make test-kotlin`.
#
# The generated Kotlin is a build output: it goes to kotlin/target/generated-sources/uniffi.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/native-lib.sh"
cd "$root"

echo "==> building the native library (volunteer-ledger-ffi, debug)"
build_native

generated="$here/kotlin/target/generated-sources/uniffi"
echo "==> generating Kotlin into ${generated#"$root"/}"
rm -rf "$generated"
# --metadata-no-deps: every exported type lives in a workspace crate, so cargo metadata need
# not resolve (and download) the whole dependency graph of the workspace.
"$bindgen" generate \
    --library "$lib" \
    --language kotlin \
    --config "$here/uniffi.toml" \
    --metadata-no-deps \
    --no-format \
    --out-dir "$generated"

echo "==> running the Kotlin tests (Maven)"
cd "$here/kotlin"
mvn -B -ntp test -Dnative.lib.dir="$lib_dir"
