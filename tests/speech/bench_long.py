"""Long recordings end to end: does Doorstep keep up, and does its memory stay flat as the
recording grows?

    python3 tests/speech/bench_long.py [--minutes 10,30] [--model tiny.en] [--threads N]
        [--doorstep-bin PATH] [--json FILE]

For each length it writes a 16 kHz mono WAV made of the evaluation clips one after another
(1.5 s of silence between them, cycled until the length is reached), then runs, each as its own
process measured with wait4:
- `doorstep ingest FILE --subject NAME` into a fresh encrypted store: decode, voice-activity
  windows, Whisper, a checkpoint per window, the sealed audio and the voice note;
- `doorstep transcribe FILE --json`, whose transcript is scored against the clips' references
  joined in the same order (word error rate, key-term recall).
It prints wall time, real-time factor and peak RSS per length, and the ratio of the longest
length's peak RSS to the shortest's: about 1 means memory does not grow with the recording.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import wave
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench import MODELS_DIR, SHARED, build_doorstep, run_measured  # noqa: E402

RATE = 16_000
GAP_S = 1.5
SUBJECT = "Bench Person"


def long_recording(path: Path, minutes: float, clips: list[Path]) -> list[str]:
    """Writes `minutes` of the clips in turn to `path`; returns the clip names in order."""
    frames = {clip.stem: read_pcm(clip) for clip in clips}
    gap = b"\0\0" * int(GAP_S * RATE)
    wanted = int(minutes * 60 * RATE) * 2
    order, written = [], 0
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        while written < wanted:
            for name, pcm in frames.items():
                if written >= wanted:
                    break
                out.writeframes(pcm + gap)
                written += len(pcm) + len(gap)
                order.append(name)
    return order


def read_pcm(clip: Path) -> bytes:
    with wave.open(str(clip)) as w:
        if (w.getframerate(), w.getnchannels(), w.getsampwidth()) != (RATE, 1, 2):
            raise SystemExit(f"{clip}: the evaluation clips are 16 kHz mono 16-bit")
        return w.readframes(w.getnframes())


def references(order: list[str], refs: Path) -> str:
    return " ".join((refs / f"{name.removesuffix('-gb')}.txt").read_text().strip() for name in order)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", default="10,30", help="comma-separated lengths")
    parser.add_argument("--model", default="tiny.en")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--doorstep-bin", type=Path, help="default: a release build")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    import score

    audio = SHARED / "eval" / "audio"
    clips = sorted(audio.glob("*.wav"))
    doorstep = args.doorstep_bin or build_doorstep()
    model = MODELS_DIR / f"ggml-{args.model}.bin"
    speech = ["--model", str(model), "--threads", str(args.threads), "--language", "en"]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for minutes in [float(m) for m in args.minutes.split(",")]:
            wav = Path(tmp) / f"long-{minutes:g}min.wav"
            order = long_recording(wav, minutes, clips)
            audio_s = wav.stat().st_size / 2 / RATE
            env = dict(os.environ, DOORSTEP_DATA_DIR=str(Path(tmp) / f"store-{minutes:g}"),
                       DOORSTEP_PASSPHRASE="a long bench passphrase, not a real one")
            run_measured([str(doorstep), "init", "--practitioner", "Bench"], env)
            run_measured([str(doorstep), "person", "add", SUBJECT], env)
            print(f"==> {minutes:g} min: ingest", file=sys.stderr)
            out, ingest_s, ingest_rss = run_measured(
                [str(doorstep), "--json", "ingest", str(wav), "--subject", SUBJECT, *speech], env)
            ingested = json.loads(out)
            print(f"==> {minutes:g} min: transcribe", file=sys.stderr)
            out, transcribe_s, transcribe_rss = run_measured(
                [str(doorstep), "transcribe", str(wav), *speech, "--json"], env)
            transcript = json.loads(out)
            reference_dir = Path(tmp) / f"refs-{minutes:g}"
            reference_dir.mkdir()
            (reference_dir / "long.txt").write_text(references(order, audio))
            scores = score.score({"long": transcript["text"]}, reference_dir)["summary"]["all"]
            rows.append({
                "minutes": minutes, "audio_s": audio_s, "clips": len(order),
                "windows": transcript["windows"], "segments": len(transcript["segments"]),
                "ingest_s": ingest_s, "ingest_rtf": ingest_s / audio_s,
                "ingest_peak_rss_mib": ingest_rss / 2**20,
                "ingest_note": ingested.get("note"),
                "transcribe_s": transcribe_s, "transcribe_rtf": transcribe_s / audio_s,
                "transcribe_peak_rss_mib": transcribe_rss / 2**20,
                "wer": scores["wer"], "key_term_recall": scores["key_term_recall"],
            })
    print(f"{'min':>5} {'windows':>7} {'ingest s':>9} {'RTF':>6} {'MiB':>6} "
          f"{'transcribe s':>12} {'RTF':>6} {'MiB':>6} {'WER':>6} {'terms':>6}")
    for r in rows:
        print(f"{r['minutes']:>5g} {r['windows']:>7} {r['ingest_s']:>9.1f} {r['ingest_rtf']:>6.3f} "
              f"{r['ingest_peak_rss_mib']:>6.0f} {r['transcribe_s']:>12.1f} "
              f"{r['transcribe_rtf']:>6.3f} {r['transcribe_peak_rss_mib']:>6.0f} "
              f"{r['wer']:>6.3f} {r['key_term_recall']:>6.3f}")
    if len(rows) > 1:
        growth = rows[-1]["ingest_peak_rss_mib"] / rows[0]["ingest_peak_rss_mib"]
        print(f"peak RSS, {rows[-1]['minutes']:g} min / {rows[0]['minutes']:g} min: "
              f"ingest {growth:.2f}x, transcribe "
              f"{rows[-1]['transcribe_peak_rss_mib'] / rows[0]['transcribe_peak_rss_mib']:.2f}x")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
