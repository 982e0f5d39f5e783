# The web front end (ui/): sourced by the project's scripts after lib.sh (which sets ROOT and
# `set -euo pipefail`). Installs what it needs idempotently: on a ready machine setup_ui only
# checks, in well under a second.

ROOT="${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
UI="$ROOT/ui"
# Vite 6, Vitest 3 and playwright-core 1.58 still run on Node 18, Debian 12's own.
UI_NODE_MAJOR_MIN=18
UI_CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"

ui_say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

ui_as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root to run: $*" >&2; return 1; fi
}

ui_apt_install() {
  ui_say "Installing Debian packages: $*"
  ui_as_root apt-get update -qq
  ui_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

ui_node_ok() {
  command -v node >/dev/null && command -v npm >/dev/null || return 1
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  [ "$major" -ge "$UI_NODE_MAJOR_MIN" ]
}

# Node.js and npm, then the UI's packages exactly as package-lock.json pins them. npm writes
# node_modules/.package-lock.json on every install: when it is newer than package-lock.json,
# the installed tree is current and nothing is done.
setup_ui() {
  if ! ui_node_ok; then
    ui_apt_install nodejs npm
    ui_node_ok || { echo "Node.js $UI_NODE_MAJOR_MIN or newer is needed for ui/" >&2; return 1; }
  fi
  if [ ! -f "$UI/node_modules/.package-lock.json" ] \
    || [ "$UI/package-lock.json" -nt "$UI/node_modules/.package-lock.json" ]; then
    ui_say "Installing the UI's npm packages"
    (cd "$UI" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# Type-checks the UI, builds it into ui/dist and prints its gzipped size (failing over budget).
build_ui() {
  ui_say "UI: svelte-check and vite build"
  (cd "$UI" && npm run --silent check && npm run --silent build)
}

# Unit tests, then end-to-end tests of the built UI in Debian's Chromium with the IPC mocked.
test_ui() {
  if [ ! -x "$UI_CHROMIUM" ]; then ui_apt_install chromium; fi
  ui_say "UI tests (vitest unit, then e2e in Chromium)"
  (cd "$UI" && npm test --silent)
}
