#!/usr/bin/env bash
# The Android library: libvolunteer_ledger_ffi.so for each ABI (cargo-ndk), the Kotlin binding
# (generated as for the JVM), then `gradle assembleRelease` in bindings-mobile/android → an AAR,
# copied to OUT_DIR (default <repo>/dist/android) as volunteer-ledger-<version>.aar.
#
#   bindings-mobile/build-android.sh [OUT_DIR]
#
# Needs, beyond cargo and a JDK 17: the Android SDK (ANDROID_HOME), an Android NDK
# (ANDROID_NDK_HOME), cargo-ndk (`cargo install cargo-ndk`), the Rust targets of the ABIs
# (`rustup target add …`) and Gradle 8.13 or newer on PATH. It says which are missing and stops
# before building anything. Steps: docs/packages.md (## Android).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/native-lib.sh"
out_dir="${1:-$root/dist/android}"
case "$out_dir" in /*) ;; *) out_dir="$PWD/$out_dir" ;; esac
module="$here/android"
jni_libs="$module/build/rust/jniLibs"

# The ABIs of the AAR: android/build.gradle.kts lists the same in abiFilters.
abis=(arm64-v8a armeabi-v7a x86_64)

rust_target() {
    case "$1" in
        arm64-v8a) echo aarch64-linux-android ;;
        armeabi-v7a) echo armv7-linux-androideabi ;;
        x86_64) echo x86_64-linux-android ;;
        x86) echo i686-linux-android ;;
        *) echo "build-android: no Rust target known for ABI $1" >&2; return 1 ;;
    esac
}

missing=()
if [[ -z "${ANDROID_NDK_HOME:-}" || ! -d "${ANDROID_NDK_HOME:-/nonexistent}" ]]; then
    missing+=("an Android NDK: set ANDROID_NDK_HOME to it (e.g. \$ANDROID_HOME/ndk/27.0.12077973, from sdkmanager \"ndk;27.0.12077973\")")
fi
sdk="${ANDROID_HOME:-${ANDROID_SDK_ROOT:-}}"
if [[ -z "$sdk" || ! -d "$sdk" ]] && ! grep -qs '^sdk.dir=' "$module/local.properties"; then
    missing+=("the Android SDK: set ANDROID_HOME to it (platform android-36 and build-tools)")
fi
if ! "$cargo" ndk --version >/dev/null 2>&1; then
    missing+=("cargo-ndk: cargo install cargo-ndk")
fi
if ! command -v gradle >/dev/null 2>&1; then
    missing+=("Gradle 8.13 or newer on PATH (https://gradle.org/install/)")
fi
if command -v rustup >/dev/null 2>&1; then
    installed="$(rustup target list --installed)"
    for abi in "${abis[@]}"; do
        target="$(rust_target "$abi")"
        grep -qx "$target" <<<"$installed" || missing+=("the Rust target $target ($abi): rustup target add $target")
    done
fi
if ((${#missing[@]})); then
    echo "build-android: cannot build the Android library here; missing:" >&2
    printf '  - %s\n' "${missing[@]}" >&2
    echo "See docs/packages.md (## Android)." >&2
    exit 1
fi

version="$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' "$root/Cargo.toml")"

echo "==> building libvolunteer_ledger_ffi.so for ${abis[*]} (cargo-ndk, release)"
rm -rf "$jni_libs"
targets=()
for abi in "${abis[@]}"; do targets+=(-t "$abi"); done
(cd "$root" && "$cargo" ndk "${targets[@]}" -o "$jni_libs" build --release -p volunteer-ledger-ffi)

echo "==> generating Kotlin into ${kotlin_generated#"$root"/}"
build_native
generate_kotlin

echo "==> assembling the AAR (Gradle)"
gradle -p "$module" --console=plain assembleRelease
aar="$module/build/outputs/aar/volunteer-ledger-release.aar"
listing="$(unzip -Z1 "$aar")"
for abi in "${abis[@]}"; do
    grep -qx "jni/$abi/libvolunteer_ledger_ffi.so" <<<"$listing" ||
        { echo "build-android: $aar lacks jni/$abi/libvolunteer_ledger_ffi.so" >&2; exit 1; }
done
mkdir -p "$out_dir"
cp "$aar" "$out_dir/volunteer-ledger-$version.aar"
echo "==> $out_dir/volunteer-ledger-$version.aar"
