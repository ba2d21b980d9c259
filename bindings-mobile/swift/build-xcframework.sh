#!/usr/bin/env bash
# Builds VolunteerLedgerFFI.xcframework on a Mac (Xcode and rustup needed): the Rust library as a
# static library for iOS devices, the iOS simulator and macOS, with the generated headers.
# Not run on the Linux machines this project is built on: there is no Apple toolchain there.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

targets=(aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios aarch64-apple-darwin x86_64-apple-darwin)
rustup target add "${targets[@]}"
for t in "${targets[@]}"; do
    cargo rustc -p volunteer-ledger-ffi --lib --release --target "$t" --crate-type staticlib
done

lib=libvolunteer_ledger_ffi.a
mkdir -p target/xcframework/ios-sim target/xcframework/macos
lipo -create target/aarch64-apple-ios-sim/release/$lib target/x86_64-apple-ios/release/$lib \
    -output target/xcframework/ios-sim/$lib
lipo -create target/aarch64-apple-darwin/release/$lib target/x86_64-apple-darwin/release/$lib \
    -output target/xcframework/macos/$lib

rm -rf "$here/VolunteerLedgerFFI.xcframework"
xcodebuild -create-xcframework \
    -library target/aarch64-apple-ios/release/$lib -headers "$here/Headers" \
    -library target/xcframework/ios-sim/$lib -headers "$here/Headers" \
    -library target/xcframework/macos/$lib -headers "$here/Headers" \
    -output "$here/VolunteerLedgerFFI.xcframework"
echo "built bindings-mobile/swift/VolunteerLedgerFFI.xcframework"
