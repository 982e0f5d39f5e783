# Shared by the set-up scripts: sourced, not run.
# Installs what Doorstep needs on Debian 12, idempotently: a second run on a ready machine only
# checks, and takes seconds.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOORSTEP_SHARED="${DOORSTEP_SHARED:-$ROOT/../shared}"
SHARED="$DOORSTEP_SHARED"
# Keep build output outside the clone, so a fresh clone (as CI makes) reuses earlier builds.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/doorstep/target}"
# whisper.cpp (speech issue) must not be tuned to the build machine's CPU.
export GGML_NATIVE=OFF

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Debian packages the build and tests need.
APT_PACKAGES=(build-essential pkg-config libssl-dev ca-certificates)

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

setup() {
  install_apt_packages
  check_rust
  check_shared
}
