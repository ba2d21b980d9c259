#!/usr/bin/env bash
# The JVM package: org.volunteerledger:volunteer-ledger:<workspace version>, a jar holding the
# compiled Kotlin binding (generated + bindings-mobile/kotlin/src/main/kotlin) and the release
# native library for linux-x86-64 where JNA's Native.load finds it
# (linux-x86-64/libvolunteer_ledger_ffi.so), a -sources jar and the pom. Installs them in the
# local Maven repository (`mvn install`) and copies them to OUT_DIR (default <repo>/dist/jvm).
# `make dist-jvm`. Needs cargo, a JDK (17+) and Maven; see docs/packages.md.
#
#   bindings-mobile/dist-jvm.sh [OUT_DIR]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/native-lib.sh"
out_dir="${1:-$root/dist/jvm}"
case "$out_dir" in /*) ;; *) out_dir="$PWD/$out_dir" ;; esac

project="$here/jvm"
group_id=org.volunteerledger
artifact_id=volunteer-ledger

# One value of a top-level <properties> entry (or of <version>) of a pom.
pom_value() {
    sed -n "s:^  *<$2>\([^<]*\)</$2>.*:\1:p" "$1" | head -n 1
}

# The versions must agree: the jar's with the workspace's, the dependencies with those the
# tests (bindings-mobile/kotlin/pom.xml) run against.
version="$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' "$root/Cargo.toml")"
pom_version="$(pom_value "$project/pom.xml" version)"
if [[ -z "$version" || "$version" != "$pom_version" ]]; then
    echo "dist-jvm: the workspace version (Cargo.toml: '$version') and bindings-mobile/jvm/pom.xml's ('$pom_version') differ" >&2
    exit 1
fi
for property in kotlin.version jna.version coroutines.version; do
    ours="$(pom_value "$project/pom.xml" "$property")"
    tests="$(pom_value "$here/kotlin/pom.xml" "$property")"
    if [[ -z "$ours" || "$ours" != "$tests" ]]; then
        echo "dist-jvm: $property is '$ours' in bindings-mobile/jvm/pom.xml but '$tests' in bindings-mobile/kotlin/pom.xml" >&2
        exit 1
    fi
done

case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) ;;
    *) echo "dist-jvm: builds the linux-x86-64 jar, on Linux x86_64 only (this is $(uname -s) $(uname -m))" >&2
       exit 1 ;;
esac

# The oldest glibc the library is to load on: 2.17 (CentOS 7, and every later Linux), linked by
# zig (cargo-zigbuild and ziglang from PyPI, in the private virtualenv target/dist-tools-jvm).
# DIST_JVM_GLIBC=host links with the host's toolchain instead: no zig, but the library then
# needs the build machine's glibc. DIST_JVM_GLIBC=debug packages the debug library that
# `make test-kotlin` builds (no release build: what `make check-dist` installs and tests, to
# check the packaging in `make test`'s time; never a jar to hand out).
glibc_wanted="${DIST_JVM_GLIBC:-2.17}"
tools_venv="$root/target/dist-tools-jvm"
tools=("cargo-zigbuild>=0.20,<0.25" "ziglang>=0.13,<0.18")
# The release library and a bindgen built beside it (this crate only, as build_native does).
if [[ "$glibc_wanted" == debug ]]; then build="debug"; else build="release, glibc $glibc_wanted"; fi
echo "==> building the native library (volunteer-ledger-ffi, $build)"
if [[ "$glibc_wanted" == debug ]]; then
    build_native
elif [[ "$glibc_wanted" == host ]]; then
    lib_dir="$target_dir/release"
    (cd "$root" && "$cargo" build -q --release -p volunteer-ledger-ffi --lib --bin uniffi-bindgen)
else
    stamp="$tools_venv/.volunteer-ledger-dist-tools"
    if [[ ! -f "$stamp" || "$(cat "$stamp")" != "${tools[*]}" ]]; then
        echo "    installing ${tools[*]} into ${tools_venv#"$root"/}"
        rm -rf "$tools_venv"
        python3 -m venv "$tools_venv"
        "$tools_venv/bin/python" -m pip install --quiet --disable-pip-version-check "${tools[@]}"
        printf '%s' "${tools[*]}" >"$stamp"
    fi
    # cargo-zigbuild finds zig as `python3 -m ziglang` of the first python3 on PATH.
    lib_dir="$target_dir/x86_64-unknown-linux-gnu/release"
    (cd "$root" && PATH="$tools_venv/bin:$PATH" "$tools_venv/bin/cargo-zigbuild" build -q --release \
        --target "x86_64-unknown-linux-gnu.$glibc_wanted" -p volunteer-ledger-ffi --lib --bin uniffi-bindgen)
fi
lib="$lib_dir/libvolunteer_ledger_ffi.so"
bindgen="$lib_dir/uniffi-bindgen"

# The jar's own generated Kotlin (not the tests' directory, which `make test-kotlin` owns).
kotlin_generated="$project/target/generated-sources/uniffi"
echo "==> generating Kotlin into ${kotlin_generated#"$root"/}"
generate_kotlin

# The library without its line tables (kept in target/ for backtraces): a smaller jar. The
# exported symbols JNA looks up are the dynamic ones, which strip keeps.
native_dir="$project/target/native/linux-x86-64"
rm -rf "$project/target/native"
mkdir -p "$native_dir"
strip --strip-debug -o "$native_dir/libvolunteer_ledger_ffi.so" "$lib"
glibc="$(objdump -T "$native_dir/libvolunteer_ledger_ffi.so" | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -n 1)"
glibc="${glibc#GLIBC_}"
echo "    the library needs glibc $glibc or newer"
if [[ "$glibc_wanted" != host && "$glibc_wanted" != debug && "$(printf '%s\n' "$glibc" "$glibc_wanted" | sort -V | tail -n 1)" != "$glibc_wanted" ]]; then
    echo "dist-jvm: the library needs glibc $glibc, newer than the $glibc_wanted it was built for" >&2
    exit 1
fi

echo "==> packaging and installing $group_id:$artifact_id:$version (Maven)"
cd "$project"
# `clean` would delete the staged library and sources: remove the old packages only.
rm -rf "$project/target/classes" "$project/target"/*.jar
mvn -B -ntp -q install

jar="$project/target/$artifact_id-$version.jar"
sources="$project/target/$artifact_id-$version-sources.jar"
# The jar must hold the library where JNA looks, and the sources both halves of the binding.
# (Listings captured first: `grep -q` closing a pipe early would fail it under pipefail.)
listing="$(unzip -Z1 "$jar")"
grep -qx 'linux-x86-64/libvolunteer_ledger_ffi.so' <<<"$listing" ||
    { echo "dist-jvm: $jar lacks linux-x86-64/libvolunteer_ledger_ffi.so" >&2; exit 1; }
listing="$(unzip -Z1 "$sources")"
for source in org/volunteerledger/volunteer_ledger_ffi.kt org/volunteerledger/Ledgers.kt; do
    grep -qx "$source" <<<"$listing" || { echo "dist-jvm: $sources lacks $source" >&2; exit 1; }
done

mkdir -p "$out_dir"
rm -f "$out_dir/$artifact_id"-*.jar "$out_dir/$artifact_id"-*.pom
cp "$jar" "$sources" "$out_dir/"
cp "$project/pom.xml" "$out_dir/$artifact_id-$version.pom"
echo "==> ${out_dir}: $(cd "$out_dir" && ls "$artifact_id-$version"* | tr '\n' ' ')"
echo "    installed in the local Maven repository as $group_id:$artifact_id:$version"
