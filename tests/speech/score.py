"""Scores transcripts of the evaluation clips: word error rate and key-term recall.

    python tests/speech/score.py HYPOTHESES [--refs DIR] [--summary]

HYPOTHESES is JSON or JSONL. Accepted shapes: {"a01": "text", ...}; {"a01": {"text": ...}};
{"clips": [{"clip": "a01", "text": ...}]} (faster_whisper_run.py's output); or JSONL lines of
{"clip" | "name" | "id": ..., "text": ...}. Clip names may be given as a01, a02-gb, a02-gb.wav or
a path. References are DIR/aNN.txt (default $DOORSTEP_SHARED/eval/audio); a "-gb" suffix on the
clip marks a British voice and shares the reference of the clip without it.

Word error rate: both sides normalised with whisper_normalizer's EnglishTextNormalizer (the one
Whisper's papers use: lowercase, punctuation out, numbers and British spellings standardised),
then word-level Levenshtein distance / reference words, per clip. Summaries give the mean over
clips (as the eval README asks) for US and British voices, and the pooled rate (all errors / all
reference words). "wer_simple" is the eval README's plainer rule (lowercase, hyphens as spaces,
other punctuation stripped), which does not forgive "nine" for "9".

Key terms are taken from the REFERENCE only, so every system is scored on the same terms:
- acronyms: tokens with two or more capital letters (GP, OT, CAMHS, EHCP, SENCo, COPD), anywhere;
- proper names: a capitalised word that is not the first word of a sentence (Margaret, Holt, Elm,
  Leeds, Alzheimer), or a sentence-initial word that is a key term elsewhere in the same reference
  ("Tyler has..." after "visit to Tyler");
- never "I" (nor I'll, I'm...), and never a month or day name used as a date, i.e. right after a
  number or one of on/in/from/since/until/by/every/each/next/last/this ("on 14 March", "12 June",
  "from Monday"); a month name used as a person's name ("his wife June") stays a key term.
A possessive 's is dropped (Alzheimer's -> Alzheimer). Each occurrence in the reference counts:
a term occurring r times in the reference and h times in the hypothesis is recalled min(r, h)
times, matching whole words case-insensitively; in the hypothesis, dots between single letters
are dropped first ("G.P." -> "gp"). Recall = recalled / reference occurrences.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import Counter
from pathlib import Path

MONTHS_DAYS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday",
}
DATE_WORDS = {"on", "in", "from", "since", "until", "by", "every", "each", "next", "last", "this"}
# Words, keeping an apostrophe suffix ("Alzheimer's", "I'll"); hyphens split words.
WORD = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?")
SENTENCE_END = re.compile(r"[.!?]")


def clip_name(name: str) -> str:
    """a02-gb.wav, /path/a02-gb.wav, a02-gb -> a02-gb."""
    base = os.path.basename(name)
    return base[:-4] if base.lower().endswith(".wav") else base


def is_british(clip: str) -> bool:
    return clip.endswith("-gb")


def reference_path(clip: str, refs: Path) -> Path:
    return refs / f"{clip[:-3] if is_british(clip) else clip}.txt"


def edit_distance(ref: list[str], hyp: list[str]) -> int:
    """Word-level Levenshtein distance (substitutions + deletions + insertions)."""
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        current = [i]
        for j, h in enumerate(hyp, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h)))
        previous = current
    return previous[-1]


def simple_normalise(text: str) -> str:
    """The eval README's rule: lowercase, hyphens as spaces, other punctuation stripped."""
    text = text.lower().replace("-", " ")
    return re.sub(r"[^\w\s']|'(?!\w)|(?<!\w)'", "", text)


def _strip_possessive(word: str) -> str:
    return word[:-2] if word.lower().endswith("'s") else word


def key_terms(reference: str) -> Counter:
    """Key-term occurrences in a reference: lowercased term -> count (see the module docstring)."""
    tokens = []  # (word, sentence_initial, previous word)
    initial, previous = True, ""
    for match in re.finditer(rf"{WORD.pattern}|{SENTENCE_END.pattern}", reference):
        token = match.group()
        if SENTENCE_END.fullmatch(token):
            # A dot inside a number or abbreviation is not followed by a space.
            end = match.end()
            initial = end >= len(reference) or reference[end].isspace()
            continue
        tokens.append((_strip_possessive(token), initial, previous))
        initial, previous = False, token.lower()

    def acronym(word: str) -> bool:
        return sum(c.isupper() for c in word) >= 2

    def name(word: str, prev: str) -> bool:
        if not word[0].isupper() or word == "I" or word.startswith("I'"):
            return False
        low = word.lower()
        if (low in MONTHS_DAYS or low.rstrip("s") in MONTHS_DAYS) and (
            prev.isdigit() or prev in DATE_WORDS
        ):
            return False
        return True

    terms = Counter()
    names_elsewhere = {w.lower() for w, init, prev in tokens if not init and name(w, prev)}
    for word, init, prev in tokens:
        if acronym(word) or (name(word, prev) and (not init or word.lower() in names_elsewhere)):
            terms[word.lower()] += 1
    return terms


def hypothesis_words(text: str) -> Counter:
    text = re.sub(r"(?<=\b[A-Za-z])\.", "", text)  # G.P. -> GP
    return Counter(_strip_possessive(w).lower() for w in WORD.findall(text))


def load_hypotheses(path: Path) -> dict[str, str]:
    raw = path.read_text(encoding="utf-8")
    try:
        data = json.loads(raw)
        records = data["clips"] if isinstance(data, dict) and "clips" in data else data
    except json.JSONDecodeError:
        records = [json.loads(line) for line in raw.splitlines() if line.strip()]
    if isinstance(records, dict):
        return {
            clip_name(k): v["text"] if isinstance(v, dict) else v for k, v in records.items()
        }
    out = {}
    for record in records:
        key = record.get("clip") or record.get("name") or record.get("id")
        if key is None:
            raise ValueError(f"{path}: a record without clip/name/id: {record}")
        out[clip_name(key)] = record["text"]
    return out


def score(hypotheses: dict[str, str], refs: Path) -> dict:
    from whisper_normalizer.english import EnglishTextNormalizer

    normalise = EnglishTextNormalizer()
    clips = []
    for clip in sorted(hypotheses):
        reference = reference_path(clip, refs).read_text(encoding="utf-8").strip()
        hypothesis = hypotheses[clip]
        ref_words, hyp_words = normalise(reference).split(), normalise(hypothesis).split()
        simple_ref, simple_hyp = simple_normalise(reference).split(), simple_normalise(hypothesis).split()
        terms, said = key_terms(reference), hypothesis_words(hypothesis)
        missed = sorted(t for t in terms if said[t] < terms[t])
        clips.append({
            "clip": clip,
            "voice": "gb" if is_british(clip) else "us",
            "ref_words": len(ref_words),
            "errors": edit_distance(ref_words, hyp_words),
            "wer": edit_distance(ref_words, hyp_words) / len(ref_words),
            "wer_simple": edit_distance(simple_ref, simple_hyp) / len(simple_ref),
            "key_terms": sum(terms.values()),
            "key_terms_recalled": sum(min(n, said[t]) for t, n in terms.items()),
            "missed_terms": missed,
            "hypothesis": hypothesis,
        })
    return {"clips": clips, "summary": summarise(clips)}


def summarise(clips: list[dict]) -> dict:
    def group(selected: list[dict]) -> dict | None:
        if not selected:
            return None
        terms = sum(c["key_terms"] for c in selected)
        return {
            "clips": len(selected),
            "wer": sum(c["wer"] for c in selected) / len(selected),
            "wer_pooled": sum(c["errors"] for c in selected) / sum(c["ref_words"] for c in selected),
            "wer_simple": sum(c["wer_simple"] for c in selected) / len(selected),
            "key_terms": terms,
            "key_term_recall": sum(c["key_terms_recalled"] for c in selected) / terms if terms else None,
        }

    return {
        "us": group([c for c in clips if c["voice"] == "us"]),
        "gb": group([c for c in clips if c["voice"] == "gb"]),
        "all": group(clips),
    }


def main() -> int:
    shared = Path(os.environ.get("DOORSTEP_SHARED", Path(__file__).resolve().parents[2] / "../shared"))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("hypotheses", type=Path, nargs="?", help="JSON or JSONL: clip -> transcript")
    parser.add_argument("--refs", type=Path, default=shared / "eval" / "audio",
                        help="folder of reference texts aNN.txt")
    parser.add_argument("--summary", action="store_true", help="print the summary only")
    parser.add_argument("--terms", action="store_true",
                        help="print each reference's key terms (no hypotheses scored)")
    args = parser.parse_args()
    if args.terms:
        terms = {p.stem: key_terms(p.read_text(encoding="utf-8"))
                 for p in sorted(args.refs.glob("*.txt"))}
        json.dump(terms, sys.stdout, indent=1)
        print()
        return 0
    if args.hypotheses is None:
        parser.error("give a hypotheses file (or --terms)")
    result = score(load_hypotheses(args.hypotheses), args.refs)
    json.dump(result["summary"] if args.summary else result, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
