"""Speech benchmark: Doorstep's Whisper against faster-whisper, same clips, same thread count.

    python3 tests/speech/bench.py [--model tiny.en] [--model base] [--threads N]
        [--clips a01,a02-gb] [--systems fw-int8,fw-float32,doorstep-f16,doorstep-q8_0,doorstep-q5_1]
        [--doorstep-bin PATH] [--no-prompt] [--runs N] [--json FILE]

Sets up first (scripts/models.sh --bench: the venv with faster-whisper, the CTranslate2 models
and their ggml conversions), then re-runs itself in the venv. Each system runs in its own
subprocess(es) on every clip of $DOORSTEP_SHARED/eval/audio (or --clips): faster-whisper on the
CTranslate2 model (int8 and float32 compute, greedy, language en, no VAD) and Doorstep on the
converted ggml files (f16, q8_0, q5_1) with `doorstep transcribe --json`, built in release unless
--doorstep-bin is given; Doorstep is skipped, with a note, while that command does not exist.

Measured per system: wall time of its processes (start-up and model load included), transcribe
time (model load excluded, as the system reports it), real-time factor = transcribe time / audio
time, WER for US and British voices and key-term recall (tests/speech/score.py), and peak RSS
(the largest resident set of its processes, from wait4). A table is printed with time and memory
ratios against faster-whisper int8 on the same model; --json keeps everything, transcripts and
per-clip times too. On a shared or busy machine times swing widely (both engines spin their
worker threads, so a busy neighbour can make a clip ten times slower): --runs N runs every system
N times in interleaved rounds and counts each clip's fastest round.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CACHE = Path(os.environ.get("DOORSTEP_CACHE", Path.home() / ".cache" / "doorstep"))
VENV = Path(os.environ.get("DOORSTEP_VENV", CACHE / "venv"))
CT2_DIR = Path(os.environ.get("DOORSTEP_CT2_DIR", CACHE / "ct2"))
MODELS_DIR = Path(os.environ.get("DOORSTEP_MODELS_DIR", CACHE / "models"))
SHARED = Path(os.environ.get("DOORSTEP_SHARED", ROOT.parent / "shared"))
ALL_SYSTEMS = ["fw-int8", "fw-float32", "doorstep-f16", "doorstep-q8_0", "doorstep-q5_1"]


def run_measured(cmd: list[str], env: dict | None = None) -> tuple[str, float, int]:
    """Runs cmd; returns (stdout, wall seconds, peak RSS in bytes of that process tree's largest
    process, per wait4). Raises on failure, with the command's stderr."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n"
                               f"{err.read().decode(errors='replace')[-3000:]}")
        return out.read().decode(), wall, usage.ru_maxrss * 1024


def system_env(threads: int) -> dict:
    env = dict(os.environ)
    env.update(OMP_NUM_THREADS=str(threads), HF_HUB_OFFLINE="1")
    return env


def run_faster_whisper(model_dir: Path, compute_type: str, clips: list[Path], threads: int) -> dict:
    cmd = [str(VENV / "bin" / "python"), str(HERE / "faster_whisper_run.py"), str(model_dir),
           *map(str, clips), "--compute-type", compute_type, "--threads", str(threads)]
    stdout, wall, rss = run_measured(cmd, system_env(threads))
    result = json.loads(stdout)
    return {"texts": {c["clip"]: c["text"] for c in result["clips"]},
            "clip_s": {c["clip"]: c["elapsed_s"] for c in result["clips"]},
            "audio_s": result["audio_s"], "transcribe_s": result["transcribe_s"],
            "load_s": result["load_s"], "wall_s": wall, "peak_rss": rss}


def run_doorstep(binary: Path, model: Path, clips: list[Path], threads: int, no_prompt: bool) -> dict:
    """Doorstep, one `doorstep transcribe --json` process per clip (the model is loaded per clip,
    so load_s is the wall time not spent transcribing). Swap for `doorstep bench speech` when it
    exists: it loads the model once for all clips."""
    texts, clip_s, audio_s, wall_s, peak = {}, {}, 0.0, 0.0, 0
    for clip in clips:
        cmd = [str(binary), "transcribe", str(clip), "--model", str(model), "--threads",
               str(threads), "--language", "en", "--json", *(["--no-prompt"] if no_prompt else [])]
        stdout, wall, rss = run_measured(cmd, system_env(threads))
        result = json.loads(stdout)
        texts[clip.stem] = result["text"]
        clip_s[clip.stem] = result["elapsed_ms"] / 1000
        audio_s += result["audio_ms"] / 1000
        wall_s += wall
        peak = max(peak, rss)
    transcribe_s = sum(clip_s.values())
    return {"texts": texts, "clip_s": clip_s, "audio_s": audio_s, "transcribe_s": transcribe_s,
            "load_s": wall_s - transcribe_s, "wall_s": wall_s, "peak_rss": peak}


def combine(runs: list[dict]) -> dict:
    """One system's rounds. Busy neighbours only ever add time, so each clip's time is its best
    round's and the system's transcribe time their sum (wall and load likewise the best round's);
    peak RSS is the largest; transcripts are the first round's, with a flag if any round differed."""
    row = dict(runs[0])
    row["clip_s"] = {clip: min(r["clip_s"][clip] for r in runs) for clip in row["clip_s"]}
    row["transcribe_s"] = sum(row["clip_s"].values())
    row["wall_s"] = min(r["wall_s"] for r in runs)
    row["load_s"] = min(r["load_s"] for r in runs)
    row["peak_rss"] = max(r["peak_rss"] for r in runs)
    row["rounds_transcribe_s"] = [r["transcribe_s"] for r in runs]
    row["rounds_wall_s"] = [r["wall_s"] for r in runs]
    row["transcripts_vary"] = any(r["texts"] != runs[0]["texts"] for r in runs)
    return row


def doorstep_can_transcribe(binary: Path) -> bool:
    probe = subprocess.run([str(binary), "transcribe", "--help"], capture_output=True, check=False)
    return probe.returncode == 0


def build_doorstep() -> Path:
    print("==> Building doorstep (release)", file=sys.stderr)
    build = "source scripts/lib.sh && check_whisper_flags && cargo build -q --release --locked -p doorstep-cli"
    subprocess.run(["bash", "-c", build], cwd=ROOT, check=True)
    target = Path(os.environ.get("CARGO_TARGET_DIR", CACHE / "target"))
    return target / "release" / "doorstep"


def faster_whisper_dir(model: str) -> Path:
    """The CTranslate2 directory for faster-whisper, which needs one model.bin: a split model's
    parts are joined once into CT2_DIR/MODEL-joined (written under a temporary name, renamed)."""
    source = CT2_DIR / model
    if (source / "model.bin").is_file():
        return source
    joined = CT2_DIR / f"{model}-joined"
    stamp = (source / ".doorstep-source").read_text()
    if (joined / ".doorstep-source").is_file() and (joined / ".doorstep-source").read_text() == stamp:
        return joined
    print(f"==> Joining {source}/model.bin.part* for faster-whisper", file=sys.stderr)
    tmp = Path(tempfile.mkdtemp(prefix=f".{model}-joined.", dir=CT2_DIR))
    parts = sorted(source.glob("model.bin.part*"), key=lambda p: int(p.name.rsplit("part", 1)[1]))
    with open(tmp / "model.bin", "wb") as out:
        for part in parts:
            with open(part, "rb") as src:
                shutil.copyfileobj(src, out, 1 << 20)
    for f in source.iterdir():
        if not f.name.startswith("model.bin"):
            shutil.copy2(f, tmp / f.name)
    shutil.rmtree(joined, ignore_errors=True)
    tmp.rename(joined)
    return joined


def fmt(value, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def print_table(rows: list[dict]) -> None:
    header = ["model", "system", "audio s", "wall s", "transcr. s", "RTF", "WER US", "WER GB",
              "key terms", "peak MB", "time x", "RSS x"]
    lines = [header]
    for r in rows:
        s = r["scores"]["summary"]
        lines.append([
            r["model"], r["system"], fmt(r["audio_s"], ".1f"), fmt(r["wall_s"], ".1f"),
            fmt(r["transcribe_s"], ".1f"), fmt(r["rtf"], ".3f"),
            fmt(s["us"] and s["us"]["wer"], ".3f"), fmt(s["gb"] and s["gb"]["wer"], ".3f"),
            fmt(s["all"]["key_term_recall"], ".2f"), fmt(r["peak_rss"] / 1e6, ".0f"),
            fmt(r.get("time_vs_fw_int8"), ".2f"), fmt(r.get("rss_vs_fw_int8"), ".2f"),
        ])
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(header))]
    for n, line in enumerate(lines):
        print("  ".join(str(v).ljust(w) if i < 2 else str(v).rjust(w)
                        for i, (v, w) in enumerate(zip(line, widths, strict=True))))
        if n == 0:
            print("  ".join("-" * w for w in widths))
    print("\nwall: all of the system's processes, start-up and model load included;\n"
          "transcr.: model load excluded (with --runs, each clip's fastest round);\n"
          "RTF: transcribe time / audio time; key terms: recall of reference names and acronyms;\n"
          "x: ratio to faster-whisper int8 on the same model (transcribe time, peak RSS).")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", action="append", choices=["tiny.en", "base"],
                        help="repeatable; default tiny.en")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--clips", help="comma-separated clip names (default: every clip)")
    parser.add_argument("--systems", default=",".join(ALL_SYSTEMS),
                        help=f"comma-separated, from {','.join(ALL_SYSTEMS)}")
    parser.add_argument("--doorstep-bin", type=Path, help="default: a release build")
    parser.add_argument("--runs", type=int, default=1,
                        help="rounds over every system, interleaved; each clip's fastest round counts")
    parser.add_argument("--no-prompt", action="store_true", help="Doorstep without its vocabulary prompt")
    parser.add_argument("--json", type=Path, help="write every result and transcript here")
    parser.add_argument("--no-setup", action="store_true", help="skip scripts/models.sh")
    args = parser.parse_args()
    models = args.model or ["tiny.en"]
    systems = args.systems.split(",")
    unknown = set(systems) - set(ALL_SYSTEMS)
    if unknown:
        parser.error(f"unknown systems {sorted(unknown)}")

    if not args.no_setup:
        wanted = [f"{m}{'' if s == 'doorstep-f16' else s.removeprefix('doorstep')}"
                  for m in models for s in systems if s.startswith("doorstep")]
        subprocess.run(["bash", str(ROOT / "scripts" / "models.sh"), "--bench", *models, *wanted],
                       check=True)
    if Path(sys.prefix).resolve() != VENV.resolve():
        venv_python = VENV / "bin" / "python"
        os.execv(venv_python, [str(venv_python), __file__, *sys.argv[1:], "--no-setup"])

    sys.path.insert(0, str(HERE))
    import score

    audio = SHARED / "eval" / "audio"
    clips = ([audio / f"{c.removesuffix('.wav')}.wav" for c in args.clips.split(",")]
             if args.clips else sorted(audio.glob("*.wav")))

    doorstep = None
    if any(s.startswith("doorstep") for s in systems):
        doorstep = args.doorstep_bin or build_doorstep()
        if not doorstep_can_transcribe(doorstep):
            print(f"==> {doorstep} has no `transcribe` command yet: Doorstep skipped", file=sys.stderr)
            systems = [s for s in systems if not s.startswith("doorstep")]

    rows = []
    for model in models:
        runs = {system: [] for system in systems}
        for round_ in range(args.runs):
            for system in systems:
                print(f"==> {model} {system} on {len(clips)} clips, {args.threads} threads"
                      f"{f', round {round_ + 1}/{args.runs}' if args.runs > 1 else ''}", file=sys.stderr)
                if system.startswith("fw-"):
                    run = run_faster_whisper(faster_whisper_dir(model), system[3:], clips, args.threads)
                else:
                    suffix = system.removeprefix("doorstep-")
                    ggml = MODELS_DIR / f"ggml-{model}{'' if suffix == 'f16' else '-' + suffix}.bin"
                    run = run_doorstep(doorstep, ggml, clips, args.threads, args.no_prompt)
                runs[system].append(run)
        baseline = None
        for system in systems:
            row = combine(runs[system])
            row.update(model=model, system=system, threads=args.threads,
                       rtf=row["transcribe_s"] / row["audio_s"],
                       scores=score.score(row.pop("texts"), audio))
            if system == "fw-int8":
                baseline = row
            if baseline:
                row["time_vs_fw_int8"] = row["transcribe_s"] / baseline["transcribe_s"]
                row["rss_vs_fw_int8"] = row["peak_rss"] / baseline["peak_rss"]
            rows.append(row)

    print_table(rows)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
        print(f"results in {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
