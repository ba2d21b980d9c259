# volunteer-ledger — every command sets up what it needs on a fresh machine.
#   make test    all languages: Rust, Python (virtualenv + maturin), Kotlin (Maven)
#   make demo    a small district through a year
#   make bench   volunteer-ledger beside DuckDB, SQLite, pandas and polars on generated data
#                (SIZE=demo|small|medium|large, default medium; RUNS=3; figures in README)
#   make bench-criterion   the criterion benchmark of the core, the store and the register benchmarks
#   make lint    fmt, clippy
#   make check-certificate   certificates printed by headless Chromium: pages, text, QR (part of make test)
#   make fuzz    cargo-fuzz targets for FUZZ_SECONDS each (part of make test)
#   make fuzz-long   every fuzz target for FUZZ_LONG_SECONDS each (default 1800), with executions
#   make example-kotlin   a phone's day on the JVM: record offline, sync, hours, stars, rank
#   make test-wheel     Python: build the abi3 wheel, install it in a fresh virtualenv, test it
#   make bench-python   Python figures: bulk add from pandas and boards vs pandas (release build)
#   make crash-campaign   CRASH_ROUNDS (200) SIGKILLs of writers, with reader processes beside one
#   make dist    the packages, into dist/: the Python abi3 wheel (manylinux2014, zig) and sdist,
#                the JVM jar (+ -sources, pom; linux-x86-64 library for glibc 2.17) also installed
#                in ~/.m2 (docs/packages.md); make test-dist installs and tests them (not part of
#                make test: two release builds); make check-dist (part of make test) runs the same
#                install tests on packages made from make test's debug builds
#   make android   the Android AAR (needs an Android SDK, NDK, cargo-ndk and Gradle: not here)
#   make swift   regenerate the Swift binding in bindings-mobile/swift (check-swift: is it current,
#                and do Package.swift and the hand-written Swift fit it?)
SHELL := /bin/bash
CARGO ?= cargo

.PHONY: test check-layout check-docs check-certificate test-rust test-python test-kotlin example-kotlin swift check-swift demo bench bench-criterion bench-venv lint fuzz \
	test-wheel bench-python crash-campaign dist dist-python dist-jvm test-dist test-dist-python \
	test-dist-jvm check-dist check-android android

test: check-layout test-rust check-certificate check-docs fuzz test-python test-kotlin check-swift \
	check-android check-dist

# No import loops between the core's modules (tools/check_layout.py).
check-layout:
	python3 tools/check_layout.py

# The core's documentation builds without a broken or private link.
check-docs:
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc -q -p volunteer-ledger --no-deps

# Certificates of 2, 15 and 40 records printed with headless Chromium to PDF and PNG: the page
# count, the Chinese text layer and the QR code checked (installs the Debian packages it needs).
check-certificate:
	bash tools/check_certificate_render.sh

test-rust:
	$(CARGO) test --workspace --exclude volunteer-ledger-python
	# The district's year (make demo) runs too, so that it cannot rot.
	$(CARGO) run -q -p volunteer-ledger --example district_year > /dev/null

test-python:
	bash bindings-python/run-tests.sh

test-kotlin:
	bash bindings-mobile/run-kotlin-tests.sh

# Not part of `make test`: a release build and fresh installs, several minutes.
test-wheel: test-dist-python

# The packages users install without a Rust toolchain (docs/packages.md).
dist: dist-python dist-jvm

dist-python:
	bash bindings-python/dist.sh dist/python

dist-jvm:
	bash bindings-mobile/dist-jvm.sh dist/jvm

test-dist: test-dist-python test-dist-jvm
	python3 tools/check_install_lines.py

# The wheel installed where no cargo or rustc is found: examples/python and the Python tests.
test-dist-python: dist-python
	bash bindings-python/test-dist.sh dist/python

# The jar installed from dist/jvm by its coordinates; examples/jvm-consumer (Java, Kotlin).
test-dist-jvm: dist-jvm
	bash bindings-mobile/test-dist-jvm.sh dist/jvm

# The install tests of test-dist on packages made from the debug builds test-python and
# test-kotlin leave (a wheel for this machine's glibc, a jar with the debug library), so that
# make test checks the packaging without two release builds. The manylinux2014 tag and the
# glibc 2.17 library are checked by make dist itself.
check-dist: test-python test-kotlin
	rm -rf target/check-dist
	.venv/bin/maturin build --profile dev --quiet -m bindings-python/Cargo.toml --out target/check-dist/python
	bash bindings-python/test-dist.sh target/check-dist/python
	DIST_JVM_GLIBC=debug bash bindings-mobile/dist-jvm.sh target/check-dist/jvm
	bash bindings-mobile/test-dist-jvm.sh target/check-dist/jvm

# The Android module's files agree with the repository (no SDK, NDK or Gradle here).
check-android:
	python3 tools/check_android_module.py
	python3 tools/check_android_module.py --self-test

android:
	bash bindings-mobile/build-android.sh

# Python figures (a benchmark, not a test): a release wheel of its own, installed
# into its own virtualenv .venv-bench, so the development build in .venv is left alone.
bench-python:
	@test -x .venv-bench/bin/python || python3 -m venv .venv-bench
	.venv-bench/bin/python -m pip install --quiet "maturin>=1.9.4,<2" "pandas>=2,<4"
	rm -rf target/wheels/bench
	.venv-bench/bin/maturin build --release --quiet -m bindings-python/Cargo.toml --out target/wheels/bench
	.venv-bench/bin/python -m pip install --quiet --force-reinstall --no-deps target/wheels/bench/*.whl
	.venv-bench/bin/python bindings-python/bench/bench_pandas.py

# A phone's day on the JVM (also run at the end of test-kotlin, so that it cannot rot).
example-kotlin:
	bash examples/kotlin/run.sh

# The generated Swift is committed (a Swift package needs its sources); make test fails when it
# is stale. No Swift compiler is involved: see the README for building it on a Mac.
swift:
	bash bindings-mobile/generate-swift.sh

# Also, without a Swift compiler: the root Package.swift's paths, build-xcframework.sh's names,
# and the hand-written Swift (bindings-mobile/swift/Sources/Idiomatic) against the generated.
check-swift:
	python3 tools/check_swift_package.py
	bash bindings-mobile/generate-swift.sh --check

demo:
	$(CARGO) run -q -p volunteer-ledger --example district_year

# Benchmarks (never part of make test). The generated data is kept in target/bench-data/, one
# directory per size and seed, and made again only when missing (BENCH_REGEN=1 forces it).
SIZE ?= medium
SEED ?= 8
RUNS ?= 3
BENCH_DATA := target/bench-data/$(SIZE)-$(SEED)
BENCH_PY := bench/.venv/bin/python

bench: bench-venv
	$(CARGO) build -q --release -p volunteer-ledger-bench
	@if [ -n "$(BENCH_REGEN)" ] || [ ! -f $(BENCH_DATA)/meta.json ]; then \
		rm -rf $(BENCH_DATA); target/release/vl-bench gen --size $(SIZE) --seed $(SEED) --out $(BENCH_DATA) || exit 1; \
	fi
	target/release/vl-bench run --data $(BENCH_DATA) --runs $(RUNS) > $(BENCH_DATA)/ledger.json
	$(BENCH_PY) bench/compare.py $(BENCH_DATA) $(BENCH_DATA)/ledger.json --runs $(RUNS) | tee $(BENCH_DATA)/table.md

bench-venv:
	@test -x $(BENCH_PY) || { python3 -m venv bench/.venv && bench/.venv/bin/pip install -q -r bench/requirements.txt; }

bench-criterion:
	$(CARGO) bench -p volunteer-ledger --bench ledger
	$(CARGO) bench -p volunteer-ledger --bench store
	$(CARGO) bench -p volunteer-ledger --bench register

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --exclude volunteer-ledger-python --all-targets -- -D warnings
	$(CARGO) clippy -p volunteer-ledger-python -- -D warnings
	@if test -x .venv/bin/python; then \
		.venv/bin/python -m mypy --strict --no-incremental bindings-python/tests examples/python; \
	else echo "lint: no .venv (make test-python makes it): Python type check skipped"; fi

# Fuzzing (cargo-fuzz, nightly): every target for FUZZ_SECONDS each, from the seeds in fuzz/seeds.
# Each run is held to 256 MB resident and to 256 MB in one allocation (FUZZ_LIMITS): a sheet of
# up to 10 MB is read within 256 MiB, so an input that needs more is a finding, not a crash of
# the machine. `make fuzz-long` (not part of make test) runs every target for FUZZ_LONG_SECONDS
# each and prints the executions of each.
FUZZ_SECONDS ?= 20
FUZZ_LONG_SECONDS ?= 1800
FUZZ_TARGETS := transfer_package texts sheets
FUZZ_LIMITS := -rss_limit_mb=256 -malloc_limit_mb=256
# AddressSanitizer keeps freed memory in quarantine (256 MB by default) to catch use after free,
# which safe Rust cannot do: its quarantine would count against the RSS limit (a corpus load
# reached 303 MB with 25 MB live), so it is kept small.
FUZZ_ENV := ASAN_OPTIONS=quarantine_size_mb=8
.PHONY: fuzz-long
fuzz:
	@command -v cargo-fuzz >/dev/null || $(CARGO) install cargo-fuzz --locked
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p fuzz/corpus/$$t; \
		echo "fuzz: $$t for $(FUZZ_SECONDS) s"; \
		(cd fuzz && $(FUZZ_ENV) $(CARGO) +nightly fuzz run $$t corpus/$$t seeds/$$t -- -max_total_time=$(FUZZ_SECONDS) $(FUZZ_LIMITS) -print_final_stats=0 -print_funcs=0) || exit 1; \
	done

fuzz-long:
	@command -v cargo-fuzz >/dev/null || $(CARGO) install cargo-fuzz --locked
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p fuzz/corpus/$$t; \
		echo "fuzz-long: $$t for $(FUZZ_LONG_SECONDS) s"; \
		set -o pipefail; (cd fuzz && $(FUZZ_ENV) $(CARGO) +nightly fuzz run $$t corpus/$$t seeds/$$t -- -max_total_time=$(FUZZ_LONG_SECONDS) $(FUZZ_LIMITS) -print_final_stats=1 -print_funcs=0 2>&1 | tee ../target/fuzz-long-$$t.log) || exit 1; \
		echo "fuzz-long: $$t: $$(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' target/fuzz-long-$$t.log | grep -o '[0-9]*$$') executions"; \
	done

# Crash campaign (not part of make test; make test runs both tests with a few rounds): a writer
# uploading sheets killed CRASH_ROUNDS times (crash.rs), and a writer adding records and
# uploading killed CRASH_ROUNDS times while reader processes open, verify and close the file
# beside it (readers.rs). Each prints its seed and a line of figures: kills, records
# acknowledged, lost (must be 0), unopenable files (must be 0).
CRASH_ROUNDS ?= 200
crash-campaign:
	set -o pipefail; VL_CRASH_ROUNDS=$(CRASH_ROUNDS) $(CARGO) test --release -p volunteer-ledger \
		--test crash --test readers -- --nocapture --test-threads=1 2>&1 \
		| grep -E "seed|test:|round [0-9]+:|test result|panicked"
