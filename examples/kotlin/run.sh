#!/usr/bin/env bash
# Builds the native library and the Kotlin binding if needed, then compiles and runs the
# phone's-day example on the JVM. `make example-kotlin`; run-kotlin-tests.sh also runs it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../../bindings-mobile/native-lib.sh"

if [[ "${1:-}" != "--generated" ]]; then
    build_native
    generate_kotlin
fi
cd "$here"
mvn -B -ntp -q compile exec:java -Dnative.lib.dir="$lib_dir"
