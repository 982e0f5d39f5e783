"""Tests of score.py: run by scripts/test.sh as
`$DOORSTEP_VENV/bin/python -m unittest discover -s tests/speech`."""

import json
import os
import sys
import tempfile
import unittest
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import score  # noqa: E402

SHARED = Path(os.environ.get("DOORSTEP_SHARED", Path(__file__).resolve().parents[2] / "../shared"))
AUDIO = SHARED / "eval" / "audio"


class WordErrorRate(unittest.TestCase):
    def test_edit_distance_counts_substitutions_deletions_and_insertions(self):
        self.assertEqual(score.edit_distance("a b c".split(), "a b c".split()), 0)
        self.assertEqual(score.edit_distance("a b c".split(), "a x c".split()), 1)
        self.assertEqual(score.edit_distance("a b c".split(), "a c".split()), 1)
        self.assertEqual(score.edit_distance("a b c".split(), "a b c d e".split()), 2)
        self.assertEqual(score.edit_distance("a b".split(), []), 2)

    def test_british_clips_share_the_reference(self):
        self.assertEqual(score.clip_name("/x/a02-gb.wav"), "a02-gb")
        self.assertTrue(score.is_british("a02-gb"))
        self.assertEqual(score.reference_path("a02-gb", Path("r")), Path("r/a02.txt"))
        self.assertEqual(score.reference_path("a01", Path("r")), Path("r/a01.txt"))

    def test_simple_normalisation_follows_the_eval_readme(self):
        self.assertEqual(score.simple_normalise("Well-premented, Mum's GP."), "well premented mum's gp")


class KeyTerms(unittest.TestCase):
    def test_acronyms_and_names_not_sentence_initial_words_or_dates(self):
        terms = score.key_terms(
            "Visited Margaret Holt at 2 Elm Grove. She had a fall on Tuesday. The GP came. "
            "I will refer to the OT. Next visit is on 14 March."
        )
        self.assertEqual(terms, Counter(margaret=1, holt=1, elm=1, grove=1, gp=1, ot=1))

    def test_a_month_used_as_a_name_counts_and_sentence_initial_names_seen_elsewhere(self):
        terms = score.key_terms("He cares for his wife June. June has Alzheimer's. Review on 12 June.")
        self.assertEqual(terms, Counter(june=2, alzheimer=1))

    def test_acronyms_count_at_a_sentence_start_too(self):
        self.assertEqual(score.key_terms("CAMHS have him. I'll call the SENCo."),
                         Counter(camhs=1, senco=1))

    def test_recall_matches_whole_words_as_often_as_the_reference(self):
        said = score.hypothesis_words("Tyler saw the G.P. with tyler's mum; Tylers")
        self.assertEqual(said["tyler"], 2)
        self.assertEqual(said["gp"], 1)

    def test_every_reference_has_key_terms(self):
        for ref in sorted(AUDIO.glob("*.txt")):
            self.assertGreater(sum(score.key_terms(ref.read_text()).values()), 0, ref)


class Scoring(unittest.TestCase):
    def test_the_references_themselves_score_perfectly(self):
        hyps = {p.stem: p.read_text() for p in AUDIO.glob("*.txt")}
        hyps["a02-gb"] = hyps["a02"]
        result = score.score(hyps, AUDIO)
        for group in ("us", "gb", "all"):
            self.assertEqual(result["summary"][group]["wer"], 0)
            self.assertEqual(result["summary"][group]["key_term_recall"], 1)
        self.assertEqual(result["summary"]["gb"]["clips"], 1)

    def test_a_lost_name_costs_recall_and_a_word(self):
        ref = (AUDIO / "a01.txt").read_text()
        result = score.score({"a01": ref.replace("Peter", "bigger")}, AUDIO)
        clip = result["clips"][0]
        self.assertEqual(clip["errors"], 1)
        self.assertEqual(clip["missed_terms"], ["peter"])
        self.assertEqual(clip["key_terms_recalled"], clip["key_terms"] - 1)

    def test_hypotheses_load_from_every_accepted_shape(self):
        shapes = {
            "map.json": json.dumps({"a01.wav": "x", "a02-gb": {"text": "y"}}),
            "clips.json": json.dumps({"clips": [{"clip": "a01", "text": "x"},
                                                {"clip": "a02-gb", "text": "y"}]}),
            "lines.jsonl": '{"name": "/a/a01.wav", "text": "x"}\n{"id": "a02-gb", "text": "y"}\n',
        }
        with tempfile.TemporaryDirectory() as tmp:
            for name, text in shapes.items():
                path = Path(tmp) / name
                path.write_text(text)
                self.assertEqual(score.load_hypotheses(path), {"a01": "x", "a02-gb": "y"}, name)


if __name__ == "__main__":
    unittest.main()
