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

echo "==> generating Kotlin into ${kotlin_generated#"$root"/}"
generate_kotlin

echo "==> running the Kotlin tests (Maven)"
cd "$here/kotlin"
mvn -B -ntp test -Dnative.lib.dir="$lib_dir"

echo "==> running the phone's-day example (examples/kotlin)"
bash "$root/examples/kotlin/run.sh" --generated
