// The Android library of volunteer-ledger: one module, this directory. bindings-mobile/build-android.sh
// builds the native libraries (cargo-ndk) and the Kotlin binding, then `gradle assembleRelease`
// here; see docs/packages.md (## Android). tools/check_android_module.py (make test) checks
// that these files agree with the rest of the repository.
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}

dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
    }
}

rootProject.name = "volunteer-ledger"
