#!/usr/bin/env bash
# Builds bindings-mobile/swift/VolunteerLedgerFFI.xcframework, the binary target of the root
# Package.swift, on a Mac (Xcode command line tools and rustup needed): the Rust library as a
# static library for iOS devices, the iOS simulator (arm64 + x86_64) and macOS (arm64 + x86_64),
# each with the generated C headers and modulemap of bindings-mobile/swift/Headers.
# Refuses to run anywhere but macOS: there is no Apple toolchain on the Linux machines this
# project is built on, so this script has never run there.
set -euo pipefail

if [[ "$(uname -s)" != "Darwin" ]]; then
    echo "build-xcframework.sh: needs macOS with Xcode (xcodebuild, lipo); this is $(uname -s)." >&2
    echo "Nothing was built. On Linux, 'make check-swift' checks the Swift sources without compiling them." >&2
    exit 1
fi
for tool in xcodebuild lipo rustup cargo; do
    command -v "$tool" >/dev/null || { echo "build-xcframework.sh: '$tool' is not on PATH" >&2; exit 1; }
done

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

crate=volunteer-ledger-ffi           # bindings-mobile/Cargo.toml, [package] name
lib=libvolunteer_ledger_ffi.a        # its [lib] name, as a static library
headers="$here/swift/Headers"        # volunteer_ledgerFFI.h, volunteer_ledger_ffiFFI.h, module.modulemap
out="$here/swift/VolunteerLedgerFFI.xcframework"   # the path Package.swift names
target_dir="${CARGO_TARGET_DIR:-$root/target}"
case "$target_dir" in /*) ;; *) target_dir="$root/$target_dir" ;; esac

# The oldest systems Package.swift declares (.iOS(.v15), .macOS(.v12)), so that the linker does
# not warn that the objects were built for newer ones.
export IPHONEOS_DEPLOYMENT_TARGET=15.0
export MACOSX_DEPLOYMENT_TARGET=12.0

targets=(aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios aarch64-apple-darwin x86_64-apple-darwin)
rustup target add "${targets[@]}"
for t in "${targets[@]}"; do
    # The crate's crate-type is cdylib + lib (what Kotlin and the bindgen need); the static
    # library is asked for here only, so the Linux builds do not make one.
    cargo rustc -p "$crate" --lib --release --target "$t" --crate-type staticlib
done

slices="$target_dir/xcframework"
rm -rf "$slices"
mkdir -p "$slices/ios-sim" "$slices/macos"
lipo -create "$target_dir/aarch64-apple-ios-sim/release/$lib" "$target_dir/x86_64-apple-ios/release/$lib" \
    -output "$slices/ios-sim/$lib"
lipo -create "$target_dir/aarch64-apple-darwin/release/$lib" "$target_dir/x86_64-apple-darwin/release/$lib" \
    -output "$slices/macos/$lib"

rm -rf "$out"
xcodebuild -create-xcframework \
    -library "$target_dir/aarch64-apple-ios/release/$lib" -headers "$headers" \
    -library "$slices/ios-sim/$lib" -headers "$headers" \
    -library "$slices/macos/$lib" -headers "$headers" \
    -output "$out"
echo "built ${out#"$root"/}"
echo "next: 'swift build' at the repository root, or add the repository's folder to an Xcode project"
