#!/usr/bin/env bash
# Compiles and runs the Java and the Kotlin example against org.volunteerledger:volunteer-ledger
# as installed in the local Maven repository (bindings-mobile/dist-jvm.sh, or the install line
# of docs/packages.md). Each runs in a JVM of its own with no library path: the native library
# must come out of the jar. Fails when either example finds a wrong result.
# bindings-mobile/test-dist-jvm.sh (`make test-dist-jvm`) installs dist/jvm and runs this.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
# A library found elsewhere would hide a jar without one.
unset LD_LIBRARY_PATH JAVA_TOOL_OPTIONS
rm -rf target/classes
mvn -B -ntp -q -Dstyle.color=never compile exec:exec@java exec:exec@kotlin
