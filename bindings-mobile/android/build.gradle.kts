// volunteer-ledger for Android: an AAR holding the Kotlin binding (the UniFFI-generated Kotlin
// and the hand-written Kotlin of ../kotlin/src/main/kotlin, the same sources as the JVM jar) and
// libvolunteer_ledger_ffi.so for each ABI, built by bindings-mobile/build-android.sh.
//
// The versions below are checked by tools/check_android_module.py: the package version is the
// workspace's (Cargo.toml), Kotlin, JNA and coroutines are those of ../kotlin/pom.xml.
import org.jetbrains.kotlin.gradle.dsl.JvmTarget

plugins {
    id("com.android.library") version "8.13.2"
    id("org.jetbrains.kotlin.android") version "2.4.21"
}

group = "org.volunteerledger"
version = "0.1.0"

android {
    namespace = "org.volunteerledger"
    compileSdk = 36

    defaultConfig {
        // java.time (Instant, LocalDate) in the binding's types needs API 26.
        minSdk = 26
        // Keeps what JNA reaches by reflection in an app that shrinks its code.
        consumerProguardFiles("consumer-rules.pro")
        // The ABIs build-android.sh builds with cargo-ndk (-t …), and no others.
        ndk {
            abiFilters += listOf("arm64-v8a", "armeabi-v7a", "x86_64")
        }
    }

    sourceSets {
        getByName("main") {
            // The generated binding (bindings-mobile/native-lib.sh writes it) and the hand-written.
            kotlin.srcDirs("../kotlin/target/generated-sources/uniffi", "../kotlin/src/main/kotlin")
            // <abi>/libvolunteer_ledger_ffi.so from cargo-ndk (build-android.sh).
            jniLibs.srcDirs("build/rust/jniLibs")
        }
    }

    buildTypes {
        release {
            isMinifyEnabled = false
        }
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }

    lint {
        // The generated binding uses java.lang.ref.Cleaner (API 33) only after checking at run
        // time that the class exists, falling back to JNA's cleaner: a check Lint cannot see.
        disable += "NewApi"
    }
}

kotlin {
    compilerOptions {
        jvmTarget.set(JvmTarget.JVM_17)
    }
}

dependencies {
    // `api`: the binding's public types use both (JNA's Pointer, a CoroutineDispatcher).
    // The Android build of JNA: its AAR carries libjnidispatch.so for each ABI.
    api("net.java.dev.jna:jna:5.19.1@aar")
    api("org.jetbrains.kotlinx:kotlinx-coroutines-core:1.11.0")
}
