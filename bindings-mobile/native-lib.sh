# Sourced by the binding scripts (run-kotlin-tests.sh, generate-swift.sh): where the native
# library and the bindgen are. Sets root, cargo, target_dir, lib_dir, lib, bindgen and
# kotlin_generated, and defines build_native, which builds both (debug, this crate only: the
# workspace's other members would unify features into the core), and generate_kotlin.

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cargo="${CARGO:-cargo}"

# Where cargo puts its output (CARGO_TARGET_DIR may be set, and may be relative to the root).
target_dir="${CARGO_TARGET_DIR:-$root/target}"
case "$target_dir" in /*) ;; *) target_dir="$root/$target_dir" ;; esac
lib_dir="$target_dir/debug"
bindgen="$lib_dir/uniffi-bindgen"

case "$(uname -s)" in
    Darwin) lib="$lib_dir/libvolunteer_ledger_ffi.dylib" ;;
    *) lib="$lib_dir/libvolunteer_ledger_ffi.so" ;;
esac

build_native() {
    (cd "$root" && "$cargo" build -q -p volunteer-ledger-ffi --lib --bin uniffi-bindgen)
}

# The generated Kotlin is a build output, shared by the JUnit tests and examples/kotlin.
kotlin_generated="$root/bindings-mobile/kotlin/target/generated-sources/uniffi"

generate_kotlin() {
    rm -rf "$kotlin_generated"
    # --metadata-no-deps: every exported type lives in a workspace crate, so cargo metadata
    # need not resolve (and download) the whole dependency graph of the workspace.
    "$bindgen" generate \
        --library "$lib" \
        --language kotlin \
        --config "$root/bindings-mobile/uniffi.toml" \
        --metadata-no-deps \
        --no-format \
        --out-dir "$kotlin_generated" >/dev/null
}
