#!/usr/bin/env python3
"""Checks the JVM and Android packaging files against the rest of the repository.

Part of `make check-android` (and so of `make test`). No Android NDK, SDK or Gradle exists where
this project is built, so the Android module (bindings-mobile/android) is never built here; the
Kotlin it compiles is the JVM binding's, compiled by `make test-kotlin`. What can drift is
checked as text, fast and without the network:

- Versions: the package version of the Android module, of bindings-mobile/jvm/pom.xml (the
  jar) and the one examples/jvm-consumer asks for are the workspace's (Cargo.toml); the Kotlin,
  JNA and coroutines versions of the module, the jar and the consumer are those the tests run
  against (bindings-mobile/kotlin/pom.xml); the module's JNA is the `@aar` build.
- Sources: each Kotlin source directory the module and the jar's pom name exists, or is the
  directory bindings-mobile/native-lib.sh generates the binding into; the hand-written
  directory is the one the tests compile; the module's jniLibs directory is where
  build-android.sh has cargo-ndk write.
- Names: the native library's name is the crate's lib name (bindings-mobile/Cargo.toml), the
  `cdylib_name` of every crate in uniffi.toml and the file dist-jvm.sh stages; the module's
  namespace and group are the binding's package and the jar's groupId; the crate the scripts
  build is the binding's.
- ABIs: build-android.sh's list is the module's abiFilters, each with a Rust target.
- docs/packages.md: the versions, file names, ABIs and install plugin it names are these.

`--self-test` breaks each of a few of these in a copy of the texts and fails unless the check
notices. Exits 1 with one line per mismatch.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILES = {
    "cargo": "Cargo.toml",
    "ffi_cargo": "bindings-mobile/Cargo.toml",
    "uniffi": "bindings-mobile/uniffi.toml",
    "native_lib": "bindings-mobile/native-lib.sh",
    "test_pom": "bindings-mobile/kotlin/pom.xml",
    "jar_pom": "bindings-mobile/jvm/pom.xml",
    "dist_jvm": "bindings-mobile/dist-jvm.sh",
    "consumer_pom": "examples/jvm-consumer/pom.xml",
    "gradle": "bindings-mobile/android/build.gradle.kts",
    "settings": "bindings-mobile/android/settings.gradle.kts",
    "build_android": "bindings-mobile/build-android.sh",
    "test_dist_jvm": "bindings-mobile/test-dist-jvm.sh",
    "docs": "docs/packages.md",
}
MODULE = "bindings-mobile/android"
JAR_PROJECT = "bindings-mobile/jvm"
ABI_TARGETS = {
    "arm64-v8a": "aarch64-linux-android",
    "armeabi-v7a": "armv7-linux-androideabi",
    "x86_64": "x86_64-linux-android",
    "x86": "i686-linux-android",
}


def pom_top(pom: str, tag: str) -> str | None:
    """The value of a top-level element of a pom (or of its <properties>), outside <dependencies>
    and <build>, where the same tags name other things."""
    head = re.split(r"<(?:dependencies|build|parent)>", pom, maxsplit=1)[0]
    found = re.search(rf"<{re.escape(tag)}>\s*([^<]*?)\s*</{re.escape(tag)}>", head)
    return found.group(1) if found else None


def kotlin_source_dirs(pom: str) -> list[str]:
    """The <sourceDir>s of the Kotlin plugin's compile execution."""
    block = re.search(r"<id>compile</id>.*?</execution>", pom, re.S)
    return re.findall(r"<sourceDir>\s*([^<]*?)\s*</sourceDir>", block.group(0)) if block else []


def resolve(path: str, base: str, props: dict[str, str]) -> str:
    """A path as a pom or Gradle file writes it, relative to the repository root."""
    for _ in range(5):
        path = re.sub(r"\$\{([^}]+)\}", lambda m: props.get(m.group(1), m.group(0)), path)
    full = Path(path) if path.startswith("/") else ROOT / base / path
    try:
        return Path(*(part for part in full.resolve(strict=False).relative_to(ROOT).parts)).as_posix()
    except ValueError:
        return full.as_posix()


def gradle_call(gradle: str, call: str) -> list[str]:
    """The string arguments of `call(...)` in a Gradle Kotlin script (first call only)."""
    found = re.search(rf"\b{re.escape(call)}\(([^)]*)\)", gradle)
    return re.findall(r'"([^"]*)"', found.group(1)) if found else []


def gradle_assign(gradle: str, name: str) -> str | None:
    found = re.search(rf'^\s*{re.escape(name)}\s*=\s*"?([^"\n]*?)"?\s*$', gradle, re.M)
    return found.group(1) if found else None


def gradle_dependency(gradle: str, coordinates: str) -> str | None:
    """The version (with any @type) of a dependency `group:name:version` in the script."""
    found = re.search(rf'"{re.escape(coordinates)}:([^"]+)"', gradle)
    return found.group(1) if found else None


def gradle_plugin(gradle: str, plugin: str) -> str | None:
    found = re.search(rf'id\("{re.escape(plugin)}"\)\s*version\s*"([^"]+)"', gradle)
    return found.group(1) if found else None


def shell_value(script: str, name: str) -> str | None:
    found = re.search(rf'^{re.escape(name)}="?([^"\n]*)"?\s*$', script, re.M)
    return found.group(1) if found else None


def check(texts: dict[str, str], exists=lambda rel: (ROOT / rel).exists()) -> list[str]:
    errors: list[str] = []

    def expect(ok: bool, message: str) -> None:
        if not ok:
            errors.append(message)

    cargo = tomllib.loads(texts["cargo"])
    version = cargo["workspace"]["package"]["version"]
    ffi = tomllib.loads(texts["ffi_cargo"])
    crate = ffi["package"]["name"]
    lib_name = ffi["lib"]["name"]
    uniffi = tomllib.loads(texts["uniffi"])
    gradle = texts["gradle"]
    test_pom, jar_pom, consumer_pom = texts["test_pom"], texts["jar_pom"], texts["consumer_pom"]

    # Versions.
    expect(gradle_assign(gradle, "version") == version,
           f"{FILES['gradle']}: version {gradle_assign(gradle, 'version')!r} is not the workspace's {version!r} (Cargo.toml)")
    expect(pom_top(jar_pom, "version") == version,
           f"{FILES['jar_pom']}: version {pom_top(jar_pom, 'version')!r} is not the workspace's {version!r} (Cargo.toml)")
    expect(pom_top(consumer_pom, "volunteer-ledger.version") == version,
           f"{FILES['consumer_pom']}: asks for volunteer-ledger {pom_top(consumer_pom, 'volunteer-ledger.version')!r}, "
           f"the workspace's version is {version!r}")
    tested = {name: pom_top(test_pom, f"{name}.version") for name in ("kotlin", "jna", "coroutines")}
    for name, value in tested.items():
        expect(value is not None, f"{FILES['test_pom']}: no {name}.version property")
        expect(pom_top(jar_pom, f"{name}.version") == value,
               f"{FILES['jar_pom']}: {name}.version {pom_top(jar_pom, f'{name}.version')!r} is not the tests' {value!r} ({FILES['test_pom']})")
    expect(pom_top(consumer_pom, "kotlin.version") == tested["kotlin"],
           f"{FILES['consumer_pom']}: kotlin.version {pom_top(consumer_pom, 'kotlin.version')!r} is not the tests' {tested['kotlin']!r}")
    expect(gradle_plugin(gradle, "org.jetbrains.kotlin.android") == tested["kotlin"],
           f"{FILES['gradle']}: Kotlin plugin {gradle_plugin(gradle, 'org.jetbrains.kotlin.android')!r} is not the tests' Kotlin {tested['kotlin']!r}")
    expect(gradle_dependency(gradle, "net.java.dev.jna:jna") == f"{tested['jna']}@aar",
           f"{FILES['gradle']}: JNA {gradle_dependency(gradle, 'net.java.dev.jna:jna')!r} is not the tests' {tested['jna']!r} as @aar")
    expect(gradle_dependency(gradle, "org.jetbrains.kotlinx:kotlinx-coroutines-core") == tested["coroutines"],
           f"{FILES['gradle']}: coroutines {gradle_dependency(gradle, 'org.jetbrains.kotlinx:kotlinx-coroutines-core')!r} "
           f"is not the tests' {tested['coroutines']!r}")

    # Sources.
    generated = shell_value(texts["native_lib"], "kotlin_generated")
    generated = generated.replace("$root/", "") if generated else None
    expect(generated is not None, f"{FILES['native_lib']}: no kotlin_generated=\"$root/…\" line")
    test_props = {"project.basedir": "bindings-mobile/kotlin", "project.build.directory": "bindings-mobile/kotlin/target"}
    test_dirs = [resolve(d, ".", test_props | {"uniffi.generated.dir": pom_top(test_pom, "uniffi.generated.dir") or ""})
                 for d in kotlin_source_dirs(test_pom)]
    hand_written = [d for d in test_dirs if d != generated]
    expect(len(hand_written) == 1, f"{FILES['test_pom']}: expected the generated and one hand-written Kotlin directory, found {test_dirs}")
    module_dirs = [resolve(d, MODULE, {}) for d in gradle_call(gradle, "kotlin.srcDirs")]
    expect(sorted(module_dirs) == sorted(test_dirs),
           f"{FILES['gradle']}: Kotlin sources {module_dirs} are not the binding's {test_dirs} ({FILES['test_pom']})")
    for d in module_dirs:
        expect(d == generated or exists(d), f"{FILES['gradle']}: source directory {d} does not exist")
    jar_props = {"project.basedir": JAR_PROJECT, "project.build.directory": f"{JAR_PROJECT}/target"}
    jar_dirs = [resolve(d, ".", jar_props | {"uniffi.generated.dir": pom_top(jar_pom, "uniffi.generated.dir") or ""})
                for d in kotlin_source_dirs(jar_pom)]
    jar_generated = shell_value(texts["dist_jvm"], "kotlin_generated")
    jar_generated = jar_generated.replace("$project/", f"{JAR_PROJECT}/") if jar_generated else None
    expect(sorted(jar_dirs) == sorted(hand_written + [jar_generated]),
           f"{FILES['jar_pom']}: Kotlin sources {jar_dirs} are not the hand-written {hand_written} and dist-jvm.sh's generated {jar_generated}")
    for d in jar_dirs:
        expect(d == jar_generated or exists(d), f"{FILES['jar_pom']}: source directory {d} does not exist")
    jni = [resolve(d, MODULE, {}) for d in gradle_call(gradle, "jniLibs.srcDirs")]
    script_jni = shell_value(texts["build_android"], "jni_libs")
    script_jni = script_jni.replace("$module/", f"{MODULE}/") if script_jni else None
    expect(jni == [script_jni], f"{FILES['gradle']}: jniLibs {jni} is not where build-android.sh has cargo-ndk write ({script_jni})")

    # Names.
    for table, settings in uniffi.get("crates", {}).items():
        kotlin = settings.get("bindings", {}).get("kotlin", {})
        expect(kotlin.get("cdylib_name") == lib_name,
               f"{FILES['uniffi']}: crates.{table} cdylib_name {kotlin.get('cdylib_name')!r} is not the crate's lib name {lib_name!r}")
    package = uniffi.get("crates", {}).get(lib_name, {}).get("bindings", {}).get("kotlin", {}).get("package_name")
    expect(gradle_assign(gradle, "namespace") == package,
           f"{FILES['gradle']}: namespace {gradle_assign(gradle, 'namespace')!r} is not the binding's package {package!r}")
    expect(gradle_assign(gradle, "group") == pom_top(jar_pom, "groupId"),
           f"{FILES['gradle']}: group {gradle_assign(gradle, 'group')!r} is not the jar's groupId {pom_top(jar_pom, 'groupId')!r}")
    so = f"lib{lib_name}.so"
    expect(f"linux-x86-64/{so}" in texts["dist_jvm"], f"{FILES['dist_jvm']}: does not stage linux-x86-64/{so}")
    expect(f"/{so}" in texts["build_android"], f"{FILES['build_android']}: does not look for jni/<abi>/{so} in the AAR")
    for script in ("dist_jvm", "build_android"):
        expect(f"-p {crate}" in texts[script] or f"-p \"{crate}\"" in texts[script],
               f"{FILES[script]}: does not build the crate {crate}")
    expect(f'rootProject.name = "{pom_top(jar_pom, "artifactId")}"' in texts["settings"],
           f"{FILES['settings']}: rootProject.name is not the jar's artifactId {pom_top(jar_pom, 'artifactId')!r} "
           "(build-android.sh looks for volunteer-ledger-release.aar)")

    # ABIs.
    listed = re.search(r"^abis=\(([^)]*)\)", texts["build_android"], re.M)
    script_abis = listed.group(1).split() if listed else []
    filters = re.search(r"abiFilters\s*\+=\s*listOf\(([^)]*)\)", gradle)
    gradle_abis = re.findall(r'"([^"]+)"', filters.group(1)) if filters else []
    expect(bool(script_abis), f"{FILES['build_android']}: no abis=(…) list")
    expect(sorted(script_abis) == sorted(gradle_abis),
           f"{FILES['gradle']}: abiFilters {gradle_abis} are not build-android.sh's ABIs {script_abis}")
    for abi in script_abis:
        expect(abi in ABI_TARGETS, f"{FILES['build_android']}: ABI {abi} has no Rust target")
        expect(f"{abi}) echo {ABI_TARGETS.get(abi)}" in texts["build_android"],
               f"{FILES['build_android']}: ABI {abi} is not mapped to {ABI_TARGETS.get(abi)}")

    # The documentation's names and versions.
    docs = texts["docs"]
    for found in sorted(set(re.findall(r"org\.volunteerledger:volunteer-ledger:([0-9][^\s\"`<)]*)", docs) + re.findall(
            r"volunteer-ledger-([0-9][0-9A-Za-z.\-]*?)(?:-sources)?\.(?:jar|pom|aar)", docs))):
        expect(found == version, f"{FILES['docs']}: names volunteer-ledger {found}, the workspace's version is {version}")
    for found in sorted(set(re.findall(r"net\.java\.dev\.jna:jna:([^\s\"`@]+)", docs))):
        expect(found == tested["jna"], f"{FILES['docs']}: names JNA {found}, the binding's is {tested['jna']}")
    for found in sorted(set(re.findall(r"kotlinx-coroutines-core:([^\s\"`]+)", docs))):
        expect(found == tested["coroutines"], f"{FILES['docs']}: names coroutines {found}, the binding's is {tested['coroutines']}")
    plugin = re.search(r"maven-install-plugin:[0-9.]+", texts["test_dist_jvm"])
    for found in re.findall(r"maven-install-plugin:[0-9.]+", docs):
        expect(plugin is not None and found == plugin.group(0),
               f"{FILES['docs']}: installs with {found}, test-dist-jvm.sh with {plugin.group(0) if plugin else None}")
    ndk = re.search(r"cargo ndk((?:\s+-t\s+[\w-]+)+)", docs)
    expect(ndk is not None and sorted(ndk.group(1).split()[1::2]) == sorted(script_abis),
           f"{FILES['docs']}: its cargo ndk line does not build build-android.sh's ABIs {script_abis}")
    return errors


def read() -> dict[str, str]:
    return {key: (ROOT / rel).read_text(encoding="utf-8") for key, rel in FILES.items()}


def self_test() -> list[str]:
    """Each breakage below must be reported: a check that cannot fail checks nothing."""
    texts = read()
    breakages = {
        "the module's JNA version": ("gradle", "net.java.dev.jna:jna:", "net.java.dev.jna:jna:0.0.1-"),
        "the workspace version": ("cargo", '\nversion = "', '\nversion = "9.'),
        "the jar's coroutines": ("jar_pom", "<coroutines.version>", "<coroutines.version>0."),
        "an ABI": ("build_android", "abis=(arm64-v8a", "abis=(x86 arm64-v8a"),
        "a source directory": ("gradle", '"../kotlin/src/main/kotlin"', '"../kotlin/src/main/kotlim"'),
        "the library name": ("uniffi", 'cdylib_name = "volunteer_ledger_ffi"\ngenerate', 'cdylib_name = "volunteer_ledger"\ngenerate'),
        "the jniLibs directory": ("gradle", 'jniLibs.srcDirs("build/rust/jniLibs")', 'jniLibs.srcDirs("src/main/jniLibs")'),
        "the documented JNA": ("docs", "net.java.dev.jna:jna:", "net.java.dev.jna:jna:4."),
        "the documented install plugin": ("test_dist_jvm", "maven-install-plugin:3", "maven-install-plugin:2"),
    }
    failures = []
    for what, (key, old, new) in breakages.items():
        if old not in texts[key]:
            failures.append(f"self-test: cannot break {what}: {old!r} not in {FILES[key]}")
            continue
        broken = dict(texts, **{key: texts[key].replace(old, new, 1)})
        if not check(broken):
            failures.append(f"self-test: breaking {what} in {FILES[key]} went unnoticed")
    return failures


def main() -> int:
    errors = self_test() if "--self-test" in sys.argv[1:] else check(read())
    for error in errors:
        print(error, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
