//! `doorstep eval ecomap` on the shared labelled notes and on the held-out sets written apart
//! from them: the scores are printed as JSON and must not fall below what was measured when the
//! extractor last changed.

use serde_json::Value;

use crate::common::{Store, eval_notes};

fn score(notes: &std::path::Path) -> Value {
    let store = Store::empty();
    let out = store
        .cmd()
        .args(["--json", "eval", "ecomap", "--notes", notes.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn at_least(scores: &Value, key: &str, floor: f64) {
    let got = scores[key].as_f64().unwrap();
    assert!(got >= floor, "{key} {got:.3} fell below {floor}");
}

/// The lowest tie F1, quality accuracy and support accuracy a set may score.
struct Floors {
    f1: f64,
    quality: f64,
    support: f64,
}

fn holds(scores: &Value, floors: &Floors) {
    at_least(scores, "f1", floors.f1);
    at_least(scores, "quality_accuracy", floors.quality);
    at_least(scores, "support_accuracy", floors.support);
}

/// Scores held-out set `set` under tests/fixtures.
fn held_out(set: &str) -> Value {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    score(&fixtures.join(set).join("notes.jsonl"))
}

#[test]
fn ecomap_scores_hold_on_the_shared_and_held_out_notes() {
    let shared = score(&eval_notes());
    assert_eq!(shared["notes"], 64);
    holds(&shared, &Floors { f1: 0.83, quality: 0.75, support: 0.80 });
    holds(&held_out("heldout"), &Floors { f1: 0.82, quality: 0.74, support: 0.81 });
    // The second held-out set, read since to develop the extractor: no longer blind.
    holds(&held_out("heldout2"), &Floors { f1: 0.82, quality: 0.69, support: 0.77 });
    // The third, blind until its misses were read (F1 0.674, quality 0.554, support 0.706).
    holds(&held_out("heldout3"), &Floors { f1: 0.69, quality: 0.56, support: 0.70 });
    // The fifth, blind when written; its ties are labelled by another author's judgement
    // (services only referred to as tenuous, people only mentioned as no support).
    holds(&held_out("heldout5"), &Floors { f1: 0.66, quality: 0.56, support: 0.74 });
    // The seventh, blind when written (F1 0.638, quality 0.607, support 0.709).
    holds(&held_out("heldout7"), &Floors { f1: 0.63, quality: 0.60, support: 0.70 });
    // The ninth, blind when written (F1 0.719, quality 0.562, support 0.747).
    holds(&held_out("heldout9"), &Floors { f1: 0.70, quality: 0.59, support: 0.72 });
    // The tenth, blind when written (F1 0.719, quality 0.607, support 0.757).
    holds(&held_out("heldout10"), &Floors { f1: 0.71, quality: 0.63, support: 0.73 });
    // The eleventh, blind when written (F1 0.658, quality 0.566, support 0.714).
    holds(&held_out("heldout11"), &Floors { f1: 0.64, quality: 0.53, support: 0.68 });
}

#[test]
fn a_labelled_file_that_is_not_json_is_named_with_its_line() {
    let store = Store::empty();
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(&bad, "{\"id\":\"x\",\"subject\":\"A\",\"text\":\"t\"}\nnot json\n").unwrap();
    let out =
        store.cmd().args(["eval", "ecomap", "--notes", bad.to_str().unwrap()]).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.jsonl line 2"), "{err}");
}
