# Shared by the set-up scripts: sourced, not run.
# Installs what Doorstep needs on Debian 12, idempotently: a second run on a ready machine only
# checks, and takes seconds.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOORSTEP_SHARED="${DOORSTEP_SHARED:-$ROOT/../shared}"
SHARED="$DOORSTEP_SHARED"
# Keep build output outside the clone, so a fresh clone (as CI makes) reuses earlier builds.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/doorstep/target}"
# whisper.cpp must not be tuned to the build machine's CPU (the binary has to run on others),
# but without SIMD it is ten times slower: on x86-64 target x86-64-v3 (AVX2, FMA, F16C: every
# x86 CPU since 2013). ARM builds get NEON by default.
export GGML_NATIVE=OFF
if [ "$(uname -m)" = x86_64 ]; then
  export GGML_SSE42=ON GGML_AVX=ON GGML_AVX2=ON GGML_FMA=ON GGML_F16C=ON GGML_BMI2=ON
fi
# ggml's tiled matrix kernels (llamafile's tinyBLAS) for the encoder's matrix products: a quarter
# off the time of a transcription, for the same instruction set.
export GGML_LLAMAFILE=ON
# One change to whisper.cpp's decoder, applied when cmake configures it: see the file.
export CMAKE_PROJECT_INCLUDE="$ROOT/scripts/whisper-cpp.cmake"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Debian packages the build and tests need.
APT_PACKAGES=(build-essential pkg-config libssl-dev ca-certificates
  # whisper.cpp is built with cmake; bindgen needs libclang.
  cmake clang libclang-dev
  # Recording: ALSA headers for cpal, and PulseAudio (a null sink) for the capture tests.
  libasound2-dev libasound2-plugins pulseaudio pulseaudio-utils alsa-utils
  # Ecomap PNGs set their text in DejaVu Sans; Symbola draws emoji in names, in outline for print.
  fonts-dejavu-core fonts-symbola
  # The sync server's story test runs on its PostgreSQL backend too (see start_postgres).
  postgresql
  # The app: Tauri 2 on WebKitGTK, run under Xvfb where there is no display, driven end to end by
  # tauri-driver through WebKitWebDriver; the UI's Playwright tests use Debian's Chromium.
  libwebkit2gtk-4.1-dev libgtk-3-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev librsvg2-dev
  libayatana-appindicator3-dev libxdo-dev webkit2gtk-driver xvfb xauth chromium)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root to run: $*" >&2; return 1; fi
}

install_apt_packages() {
  local missing=()
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "Installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

check_rust() {
  if ! command -v cargo >/dev/null; then
    echo "Rust is not installed: install it with rustup (https://rustup.rs), then run this again." >&2
    exit 1
  fi
  local version
  version="$(rustc --version | awk '{print $2}')"
  if ! printf '%s\n%s\n' "1.89.0" "$version" | sort -V -C; then
    echo "Rust $version is too old: Doorstep needs 1.89 or newer (rustup update)." >&2
    exit 1
  fi
  for tool in clippy rustfmt; do
    if ! cargo "${tool/rustfmt/fmt}" --version >/dev/null 2>&1; then
      command -v rustup >/dev/null || { echo "cargo $tool is missing: install it" >&2; exit 1; }
      rustup component add "$tool"
    fi
  done
}

check_shared() {
  if [ ! -f "$SHARED/eval/notes.jsonl" ]; then
    echo "The shared evaluation corpus is missing: expected $SHARED/eval/notes.jsonl" >&2
    exit 1
  fi
}

# The recording tests capture real audio: a PulseAudio daemon (as the user running the tests,
# root on CI) with a null sink whose monitor is the default source. cpal's ALSA host reaches it
# through libasound2-plugins' `default` device. Safe to run again: starts and loads only once.
PULSE_TEST_SINK=doorstep_test
start_pulseaudio() {
  if ! pactl info >/dev/null 2>&1; then
    say "Starting PulseAudio"
    # As root it warns that it is meant for users; it runs all the same.
    pulseaudio -D --exit-idle-time=-1 2>/dev/null || true
    local tries=0
    until pactl info >/dev/null 2>&1; do
      tries=$((tries + 1))
      if [ "$tries" -ge 50 ]; then echo "PulseAudio did not start" >&2; return 1; fi
      sleep 0.1
    done
  fi
  if ! pactl list short sinks | awk -v sink="$PULSE_TEST_SINK" '$2 == sink { found = 1 } END { exit !found }'; then
    pactl load-module module-null-sink sink_name="$PULSE_TEST_SINK" >/dev/null
  fi
  pactl set-default-source "$PULSE_TEST_SINK.monitor"
}

# The sync server's PostgreSQL backend is tested on a real server: Debian's cluster (created when
# the package is installed; 15 on Debian 12), started if it is down, with a login role that may
# create databases (each test run makes its own and drops it) and a database to connect to first.
# Exports DOORSTEP_TEST_POSTGRES for the tests. Safe to run again: creates and starts only once.
# A DOORSTEP_TEST_POSTGRES already set names a server of the caller's own and is left alone.
POSTGRES_TEST_ROLE=doorstep
POSTGRES_TEST_DB=doorstep_test
start_postgres() {
  if [ -n "${DOORSTEP_TEST_POSTGRES:-}" ]; then return 0; fi
  local version port
  version="$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n 1)"
  if [ -z "$version" ]; then echo "PostgreSQL is not installed" >&2; return 1; fi
  pg_main_cluster() { pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main"'; }
  if [ -z "$(pg_main_cluster)" ]; then
    say "Creating PostgreSQL $version cluster"
    as_root pg_createcluster "$version" main >/dev/null
  fi
  if [ "$(pg_main_cluster | awk '{ print $4 }')" != online ]; then
    say "Starting PostgreSQL $version"
    # Waits until the server accepts connections.
    as_root pg_ctlcluster "$version" main start
  fi
  port="$(pg_main_cluster | awk '{ print $3 }')"
  # psql as the postgres superuser, from a directory it can read.
  pg_admin() {
    (cd / && as_root runuser -u postgres -- psql -p "$port" -v ON_ERROR_STOP=1 -qAt "$@")
  }
  if [ -z "$(pg_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$POSTGRES_TEST_ROLE'")" ]; then
    pg_admin -c "CREATE ROLE $POSTGRES_TEST_ROLE LOGIN CREATEDB PASSWORD '$POSTGRES_TEST_ROLE'"
  fi
  if [ -z "$(pg_admin -c "SELECT 1 FROM pg_database WHERE datname = '$POSTGRES_TEST_DB'")" ]; then
    pg_admin -c "CREATE DATABASE $POSTGRES_TEST_DB OWNER $POSTGRES_TEST_ROLE"
  fi
  export DOORSTEP_TEST_POSTGRES="postgres://$POSTGRES_TEST_ROLE:$POSTGRES_TEST_ROLE@127.0.0.1:$port/$POSTGRES_TEST_DB"
}

# whisper-rs-sys hands GGML_* and CMAKE_* to cmake but does not rebuild when they change: a target
# directory built with other flags or another whisper-cpp.cmake has its whisper.cpp rebuilt.
check_whisper_flags() {
  local flags stamp="$CARGO_TARGET_DIR/.doorstep-ggml-flags"
  flags="$(env | grep '^GGML_' | sort; sha256sum < "$ROOT/scripts/whisper-cpp.cmake")"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$flags" ] \
    && compgen -G "$CARGO_TARGET_DIR/*/build/whisper-rs-sys-*" >/dev/null; then
    say "whisper.cpp build flags changed: rebuilding it"
    cargo clean -q -p whisper-rs-sys
    cargo clean -q --release -p whisper-rs-sys
  fi
  mkdir -p "$CARGO_TARGET_DIR"
  printf '%s' "$flags" > "$stamp"
}

setup() {
  install_apt_packages
  check_rust
  check_shared
  check_whisper_flags
}
