# The app: build it (release, with the UI embedded) and what its end-to-end test needs.
# Sourced after lib.sh (and ui.sh, since the build embeds ui/dist).

# Builds the app with the UI's files compiled in (Tauri's custom-protocol feature, which its CLI
# would otherwise turn on), and the `doorstep` CLI that prepares the test stores. `release` for
# the benchmark and the demo; the tests use the debug build, which shares the tests' artefacts
# (the speech and embedding code is optimised in debug builds too: see Cargo.toml).
# Sets APP_BIN and DOORSTEP_BIN.
build_app() {
  local profile="${1:-debug}" flags=()
  [ "$profile" = release ] && flags=(--release)
  say "Building the app ($profile)"
  cargo build "${flags[@]}" --locked -p doorstep-tauri --features custom-protocol
  cargo build "${flags[@]}" --locked -p doorstep-cli -p doorstep-server
  APP_BIN="$CARGO_TARGET_DIR/$profile/doorstep-app"
  DOORSTEP_BIN="$CARGO_TARGET_DIR/$profile/doorstep"
  SERVER_BIN="$CARGO_TARGET_DIR/$profile/doorstep-server"
}

# tauri-driver, from crates.io, drives the app through WebKitWebDriver (Debian's
# webkit2gtk-driver) for the end-to-end test. Installed once into ~/.cargo/bin.
TAURI_DRIVER_VERSION=2.1.0
ensure_tauri_driver() {
  if ! command -v tauri-driver >/dev/null || [ "$(tauri-driver --version 2>/dev/null | awk '{print $2}')" != "$TAURI_DRIVER_VERSION" ]; then
    say "Installing tauri-driver $TAURI_DRIVER_VERSION"
    cargo install --locked --version "$TAURI_DRIVER_VERSION" tauri-driver
  fi
}

# Runs "$@" with a display: the one there is, or a private Xvfb server.
with_display() {
  if [ -n "${DISPLAY:-}" ]; then "$@"; else
    xvfb-run --auto-servernum --server-args="-screen 0 1280x1024x24" "$@"; fi
}

# The end-to-end test of the app: a store prepared with the CLI (the evaluation notes, indexed,
# and the person the clip is about) and a sync server on loopback, then tests/app/e2e.mjs drives
# the app. Screenshots go to $DOORSTEP_ARTEFACTS (default target/app-artefacts).
test_app() {
  local work port server
  work="$(mktemp -d)"
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  "$SERVER_BIN" serve --listen "127.0.0.1:$port" --db "sqlite://$work/server.db" --log warn &
  server=$!
  export DOORSTEP_DATA_DIR="$work/store" DOORSTEP_PASSPHRASE="e2e passphrase, long enough"
  local doorstep="$DOORSTEP_BIN"
  "$doorstep" init --practitioner "Sam Okafor" >/dev/null
  "$doorstep" note import "$SHARED/eval/notes.jsonl" >/dev/null
  "$doorstep" person add "Margaret Holt" >/dev/null
  "$doorstep" index >/dev/null
  say "App end-to-end test (tauri-driver, WebKitWebDriver, Xvfb)"
  local status=0
  DOORSTEP_APP="$APP_BIN" DOORSTEP_CLIP="$SHARED/eval/audio/a01.wav" \
    DOORSTEP_SYNC_URL="http://127.0.0.1:$port" \
    DOORSTEP_ARTEFACTS="${DOORSTEP_ARTEFACTS:-$CARGO_TARGET_DIR/app-artefacts}" \
    with_display node "$ROOT/tests/app/e2e.mjs" || status=$?
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -rf "$work"
  unset DOORSTEP_DATA_DIR DOORSTEP_PASSPHRASE
  return "$status"
}

# The start-up benchmark on the release build: a store of 10,000 generated notes (made once and
# kept in $DOORSTEP_BENCH_DIR, default ~/.cache/doorstep/app-bench), then tests/app/bench.mjs.
bench_app() {
  local dir="${DOORSTEP_BENCH_DIR:-$HOME/.cache/doorstep/app-bench}"
  export DOORSTEP_DATA_DIR="$dir/store" DOORSTEP_PASSPHRASE="benchmark passphrase"
  if [ ! -f "$dir/store/doorstep.db" ]; then
    rm -rf "$dir" && mkdir -p "$dir"
    say "Making a store of 10,000 notes for the app benchmark"
    "$DOORSTEP_BIN" init --practitioner "Sam Okafor" >/dev/null
    node "$ROOT/tests/app/generate.mjs" "$SHARED/eval/notes.jsonl" 10000 >"$dir/notes.jsonl"
    "$DOORSTEP_BIN" note import "$dir/notes.jsonl" >/dev/null
  fi
  say "App benchmark (release, Xvfb)"
  DOORSTEP_APP="$APP_BIN" DOORSTEP_ROUNDS="${DOORSTEP_ROUNDS:-5}" with_display node "$ROOT/tests/app/bench.mjs"
  unset DOORSTEP_DATA_DIR DOORSTEP_PASSPHRASE
}
