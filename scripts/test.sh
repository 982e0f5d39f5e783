#!/usr/bin/env bash
# Installs what the tests need, then runs every check and test: formatting, clippy, and the
# whole workspace's tests (unit, store upgrade, and end-to-end CLI tests on real encrypted files).
source "$(dirname "$0")/lib.sh"
setup
cd "$ROOT"

say "cargo fmt --check"
cargo fmt --all -- --check
say "cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
say "cargo test"
cargo test --workspace --locked
