# volunteer-ledger — every command sets up what it needs on a fresh machine.
#   make test    all languages: Rust, Python (virtualenv + maturin), Kotlin (Maven)
#   make demo    a small district through a year
#   make bench   criterion benchmarks (figures in README)
#   make lint    fmt, clippy
SHELL := /bin/bash
CARGO ?= cargo

.PHONY: test test-rust test-python test-kotlin demo bench lint

test: test-rust test-python test-kotlin

test-rust:
	$(CARGO) test --workspace --exclude volunteer-ledger-python

test-python:
	bash bindings-python/run-tests.sh

test-kotlin:
	bash bindings-mobile/run-kotlin-tests.sh

demo:
	$(CARGO) run -q -p volunteer-ledger --example district_year

bench:
	$(CARGO) bench -p volunteer-ledger --bench ledger

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --exclude volunteer-ledger-python --all-targets -- -D warnings
