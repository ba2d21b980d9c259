#!/usr/bin/env bash
# The JVM package as a user installs it: the jar, -sources jar and pom in DIST_DIR (default
# <repo>/dist/jvm, as bindings-mobile/dist-jvm.sh writes them) go into the local Maven
# repository by the install line of docs/packages.md, then examples/jvm-consumer — a separate
# Maven project that names only the coordinates — compiles and runs its Java and Kotlin
# examples against them. `make test-dist-jvm`. Run dist-jvm.sh first.
#
# Into ~/.m2, not a throwaway local repository: an empty one would download the Kotlin
# compiler, JNA, coroutines and the Maven plugins again on every run (minutes, and the network).
# What is tested is the same: the artifact the consumer resolves is byte for byte the one in
# DIST_DIR (checked below), and the consumer has no other way to the binding.
#
#   bindings-mobile/test-dist-jvm.sh [DIST_DIR]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
dist_dir="$(cd "${1:-$root/dist/jvm}" && pwd)"
install_plugin=org.apache.maven.plugins:maven-install-plugin:3.1.4

pom="$(ls "$dist_dir"/volunteer-ledger-*.pom 2>/dev/null || true)"
if [[ $(wc -w <<<"$pom") -ne 1 ]]; then
    echo "test-dist-jvm: expected one volunteer-ledger-<version>.pom in $dist_dir (run bindings-mobile/dist-jvm.sh)" >&2
    exit 1
fi
version="$(basename "$pom" .pom)"
version="${version#volunteer-ledger-}"
jar="$dist_dir/volunteer-ledger-$version.jar"
sources="$dist_dir/volunteer-ledger-$version-sources.jar"

consumer_version="$(sed -n 's:^  *<volunteer-ledger.version>\([^<]*\)</volunteer-ledger.version>.*:\1:p' "$root/examples/jvm-consumer/pom.xml")"
if [[ "$consumer_version" != "$version" ]]; then
    echo "test-dist-jvm: examples/jvm-consumer/pom.xml asks for volunteer-ledger $consumer_version, $dist_dir holds $version" >&2
    exit 1
fi

echo "==> installing volunteer-ledger $version from ${dist_dir}"
# From DIST_DIR, so that no project's pom is in the way.
(cd "$dist_dir" && mvn -B -ntp -q -Dstyle.color=never "$install_plugin:install-file" \
    -Dfile="$jar" -DpomFile="$pom" -Dsources="$sources")

# The local repository: Maven's default, or the one ~/.m2/settings.xml names.
repo=""
if [[ -f "$HOME/.m2/settings.xml" ]]; then
    repo="$(sed -n 's:.*<localRepository>\([^<]*\)</localRepository>.*:\1:p' "$HOME/.m2/settings.xml" | head -n 1)"
fi
repo="${repo:-$HOME/.m2/repository}"
installed="$repo/org/volunteerledger/volunteer-ledger/$version/volunteer-ledger-$version.jar"
cmp -s "$jar" "$installed" ||
    { echo "test-dist-jvm: $installed is not $jar" >&2; exit 1; }

echo "==> running examples/jvm-consumer (Java and Kotlin)"
bash "$root/examples/jvm-consumer/run.sh"
