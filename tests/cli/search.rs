//! `doorstep search`, `chronology`, `themes confirm|reject` and `eval search|themes`, end to end
//! on a real encrypted store.

use serde_json::Value;

use crate::common::{Store, eval_notes, write_lines};

fn line(id: &str, subject: &str, date: &str, text: &str) -> String {
    serde_json::json!({ "id": id, "subject": subject, "date": date, "text": text }).to_string()
}

/// A small caseload: two notes each about drinking and domestic abuse, one about a fall.
fn caseload() -> Store {
    let store = Store::new();
    let lines = [
        line(
            "s1",
            "Gareth Pryce",
            "2026-01-05",
            "Gareth has been drinking heavily again and there were empty cans by the bed. His sister Carol rings him every day.",
        ),
        line(
            "s2",
            "Gareth Pryce",
            "2026-03-10",
            "No concerns about drugs. Gareth is still drinking most days but has started going to the recovery group on Tuesdays.",
        ),
        line(
            "s3",
            "Kayleigh Morris",
            "2026-02-01",
            "Kayleigh told me her partner put his hands round her neck last month while the children were upstairs.",
        ),
        line(
            "s4",
            "Kayleigh Morris",
            "2026-02-20",
            "DV incident: police attended the address on Saturday night after neighbours called.",
        ),
        line(
            "s5",
            "Joan Platt",
            "2026-01-15",
            "Joan had a fall in the kitchen and was on the floor for two hours. Her daughter does her shopping.",
        ),
    ];
    let file = write_lines(&store, "caseload.jsonl", &lines);
    store.cmd().args(["note", "import"]).arg(&file).assert().success();
    store
}

fn ids(result: &Value) -> Vec<String> {
    result["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["external_id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn search_understands_practitioners_words_filters_and_themes() {
    let store = caseload();
    let dv = store.json(&["search", "DV"]);
    assert_eq!(dv["themes"], serde_json::json!(["domestic_abuse"]));
    let found = ids(&dv);
    assert!(
        found.starts_with(&["s4".to_owned()]) || found.starts_with(&["s3".to_owned()]),
        "{dv:#}"
    );
    assert!(found.contains(&"s3".to_owned()), "the note never says DV: {dv:#}");
    for hit in dv["hits"].as_array().unwrap() {
        let snippet = hit["snippet"].as_str().unwrap();
        assert!(!snippet.is_empty());
        for range in hit["highlights"].as_array().unwrap() {
            assert!(range[1].as_u64().unwrap() as usize <= snippet.chars().count());
        }
        assert!(hit["note_id"].as_str().is_some() && hit["date"].as_str().is_some());
    }
    let s4 = &dv["hits"].as_array().unwrap().iter().find(|h| h["external_id"] == "s4").unwrap();
    assert!(s4["themes"].as_array().unwrap().contains(&"domestic_abuse".into()), "{s4:#}");

    let drinking = ids(&store.json(&["search", "drinking"]));
    assert_eq!(
        drinking[..2].iter().collect::<std::collections::BTreeSet<_>>(),
        ["s1", "s2"].iter().map(|s| s.to_string()).collect::<Vec<_>>().iter().collect()
    );
    assert_eq!(ids(&store.json(&["search", "drinking", "from:2026-02"]))[0], "s2");
    assert!(!ids(&store.json(&["search", "drinking", "from:2026-02"])).contains(&"s1".to_owned()));
    assert_eq!(ids(&store.json(&["search", "person:\"Joan Platt\""])), ["s5"]);
    assert_eq!(ids(&store.json(&["search", "theme:alcohol", "--limit", "5"])).len(), 2);
    let quoted = ids(&store.json(&["search", "\"hands round her neck\""]));
    assert_eq!(quoted, ["s3"], "a quoted phrase must be in the note");

    let grouped = store.json(&["search", "--by-person", "DV", "drinking"]);
    let people: Vec<&str> = grouped["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["subject"].as_str().unwrap())
        .collect();
    assert!(people.contains(&"Gareth Pryce") && people.contains(&"Kayleigh Morris"), "{grouped:#}");
}

#[test]
fn malformed_queries_are_searched_or_reported_never_passed_to_fts5() {
    let store = caseload();
    let long = "drinking cans ".repeat(800);
    for query in [
        "\"unbalanced quote",
        "NEAR(drinking cans) AND * OR NOT",
        "col:drugs {x} (y) ^ - + : \"",
        "\"\"",
        "",
        long.as_str(),
    ] {
        let result = store.json(&["search", query]);
        assert!(result["hits"].is_array(), "{query:?}: {result:#}");
    }
    let out = store.cmd().args(["search", "drinking", "from:2026-13-40"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("2026-13-40"));
    let out = store.cmd().args(["search", "theme:dragons"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("doorstep themes list"));
}

#[test]
fn a_rejected_tag_stays_rejected_and_the_chronology_follows_the_review() {
    let store = caseload();
    let chronology =
        store.json(&["chronology", "--subject", "Gareth Pryce", "--theme", "substance_misuse"]);
    let entries = chronology["entries"].as_array().unwrap();
    let dates: Vec<&str> = entries.iter().map(|e| e["date"].as_str().unwrap()).collect();
    assert!(dates.contains(&"2026-01-05") && dates.contains(&"2026-03-10"), "{chronology:#}");
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "in date order: {dates:?}");
    for entry in entries {
        let (text, sentence) =
            (entry["text"].as_str().unwrap(), entry["sentence"].as_str().unwrap());
        assert!(!text.is_empty() && sentence.contains(text), "{entry:#}");
    }
    assert!(entries.iter().all(|e| e["theme"] != "drugs"), "drugs was ruled out: {chronology:#}");

    store.cmd().args(["themes", "reject", "s1", "alcohol"]).assert().success();
    store.cmd().args(["index"]).assert().success();
    let after = store.json(&["chronology", "--subject", "Gareth Pryce", "--theme", "alcohol"]);
    assert!(
        after["entries"].as_array().unwrap().iter().all(|e| e["date"] != "2026-01-05"),
        "{after:#}"
    );
    assert_eq!(ids(&store.json(&["search", "theme:alcohol"])), ["s2"]);
    let note = store.json(&["note", "show", "s1"]);
    let alcohol =
        note["themes"].as_array().unwrap().iter().find(|t| t["theme"] == "alcohol").unwrap();
    assert_eq!(alcohol["review"], "rejected");

    let confirmed = store.json(&["themes", "confirm", "s5", "strength_family_support"]);
    assert_eq!(confirmed["review"], "confirmed");
    let out = store.cmd().args(["themes", "confirm", "s5", "dragons"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
}

/// Runs `doorstep --json ARGS` with the embedding model, expecting success.
fn eval(store: &Store, model: &std::ffi::OsStr, args: &[&str]) -> Value {
    let out = store
        .cmd()
        .env("DOORSTEP_EMBED_MODEL_DIR", model)
        .arg("--json")
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Scores themes and search on a labelled set, through a temporary store as an organisation
/// would score its own notes; returns (themes, search).
fn score(notes: &std::path::Path, queries: &std::path::Path) -> Option<(Value, Value)> {
    let Some(model) = std::env::var_os("DOORSTEP_EMBED_MODEL_DIR") else {
        eprintln!("DOORSTEP_EMBED_MODEL_DIR is not set (scripts/test.sh sets it): skipped");
        return None;
    };
    let store = Store::empty();
    let themes = eval(&store, &model, &["eval", "themes", "--notes", notes.to_str().unwrap()]);
    let search = eval(
        &store,
        &model,
        &[
            "eval",
            "search",
            "--notes",
            notes.to_str().unwrap(),
            "--queries",
            queries.to_str().unwrap(),
        ],
    );
    assert_eq!(search["meaning"], true);
    let words = &search["full_text_only"];
    assert!(search["ndcg_at_10"].as_f64() > words["ndcg_at_10"].as_f64(), "{search:#}");
    Some((themes, search))
}

fn at_least(scores: &Value, key: &str, floor: f64) {
    assert!(scores[key].as_f64().unwrap() >= floor, "{key} below {floor}: {scores:#}");
}

fn at_most(scores: &Value, key: &str, ceiling: f64) {
    assert!(scores[key].as_f64().unwrap() <= ceiling, "{key} above {ceiling}: {scores:#}");
}

/// What a held-out set must still reach: theme F1, the share of ruled-out mentions tagged at
/// most, search recall@10 and nDCG@10.
struct Floors {
    f1: f64,
    ruled_out: f64,
    recall: f64,
    ndcg: f64,
}

fn held_out_set_holds(set: &str, floors: &Floors) {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures").join(set);
    let Some((themes, search)) = score(&dir.join("notes.jsonl"), &dir.join("queries.jsonl")) else {
        return;
    };
    at_least(&themes, "f1", floors.f1);
    at_most(&themes, "ruled_out_tagged_share", floors.ruled_out);
    at_least(&search, "recall_at_10", floors.recall);
    at_least(&search, "ndcg_at_10", floors.ndcg);
}

/// The shared evaluation corpus, scored as its README says: theme F1 (0.91 now) and the
/// ruled-out share (none tagged) are the targets, and so are search recall@10 (0.96
/// now) and nDCG@10 (0.90 now), so a change that loses ground fails here.
#[test]
fn eval_scores_hold_on_the_shared_corpus() {
    let notes = eval_notes();
    let Some((themes, search)) = score(&notes, &notes.with_file_name("queries.jsonl")) else {
        return;
    };
    at_least(&themes, "f1", 0.91);
    at_most(&themes, "ruled_out_tagged_share", 0.03);
    at_least(&search, "recall_at_10", 0.95);
    at_least(&search, "ndcg_at_10", 0.85);
}

/// The held-out set (tests/fixtures/heldout), written apart from the shared corpus, held at what
/// Doorstep reaches on it now: the gap to the shared corpus is how much the rules still fit the
/// notes they were written against (theme precision 0.87, recall 0.82, F1 0.85, no ruled-out
/// mention tagged; search recall@10 0.96, nDCG@10 0.94). Its misses were read to find general
/// gaps (scope of "since", deferrals, possessives, kinds of wording a taxonomy lacked), never
/// to copy its phrases, but it now measures generalisation less well than tests/fixtures/heldout2.
#[test]
fn eval_scores_hold_on_the_held_out_set() {
    held_out_set_holds("heldout", &Floors { f1: 0.85, ruled_out: 0.03, recall: 0.95, ndcg: 0.93 });
}

/// The second held-out set (tests/fixtures/heldout2), blind until its misses were read to find
/// general causes: in the tagger self-corrections, an age that dates a concern, "and" before a new
/// verb, help refused for a need, professionals' titles; in search a theme's short name far in
/// meaning from how notes say it, and a theme's notes in no useful order. Held at what Doorstep
/// reaches on it now (theme F1 0.85, no ruled-out mention tagged; search recall@10 0.94, nDCG@10
/// 0.91, held a point lower).
#[test]
fn eval_scores_hold_on_the_second_held_out_set() {
    held_out_set_holds("heldout2", &Floors { f1: 0.85, ruled_out: 0.03, recall: 0.93, ndcg: 0.90 });
}

/// The third held-out set (tests/fixtures/heldout3), blind until its misses were read (theme F1
/// 0.756 with 11 of 59 ruled-out mentions tagged; search 0.922 / 0.866 when first scored). Now
/// theme F1 0.815 (held at 0.79), 3 of 59 ruled-out mentions tagged, search recall@10 0.94 and
/// nDCG@10 0.91 (held a point lower).
#[test]
fn eval_scores_hold_on_the_third_held_out_set() {
    held_out_set_holds("heldout3", &Floors { f1: 0.79, ruled_out: 0.06, recall: 0.93, ndcg: 0.90 });
}

/// The fifth held-out set (tests/fixtures/heldout5), written blind and read since to find general
/// causes (theme F1 0.744 with 22 of 90 ruled-out mentions tagged, search 0.900 / 0.870 when
/// first scored): "none since" with nothing tying it to now, a screen's low score, a topic
/// answered after a comma mid-sentence, "money's fine, DLA ...", phrases that mean something
/// else. Now theme F1 0.818, 6 of 90 tagged. tests/fixtures/heldout4, heldout6 and heldout8 are the
/// blind checks, and are never scored here.
#[test]
fn eval_scores_hold_on_the_fifth_held_out_set() {
    held_out_set_holds("heldout5", &Floors { f1: 0.79, ruled_out: 0.11, recall: 0.89, ndcg: 0.86 });
}

/// The seventh held-out set (tests/fixtures/heldout7), written blind on 2026-12-07 and read since
/// (theme F1 0.782 with 17 of 93 ruled-out mentions tagged, search 0.888 / 0.851 when first
/// scored): headings that only name a topic ("Mobility: walks well"), questions asked across
/// commas, "but that is behind him", a terse check ending "clear", two signs outweighing a name
/// denied elsewhere, and everyday wording of strengths. Now theme F1 0.856, 3 of 93 tagged,
/// search 0.912 / 0.878.
#[test]
fn eval_scores_hold_on_the_seventh_held_out_set() {
    held_out_set_holds("heldout7", &Floors { f1: 0.82, ruled_out: 0.09, recall: 0.88, ndcg: 0.84 });
}

/// The ninth held-out set (tests/fixtures/heldout9), written blind on 2026-12-07 and read since
/// (theme F1 0.754 with 18 of 99 ruled-out mentions tagged, search 0.895 / 0.861 when first
/// scored): a short question the next sentence denies ("Lonely? There's no such thing"), a smell
/// from next door, where a dying person wants to die, a referral "(agreed)". Now theme F1 0.767,
/// 14 of 99 tagged, search 0.901 / 0.866.
#[test]
fn eval_scores_hold_on_the_ninth_held_out_set() {
    held_out_set_holds("heldout9", &Floors { f1: 0.75, ruled_out: 0.15, recall: 0.88, ndcg: 0.84 });
}

/// The tenth held-out set (tests/fixtures/heldout10), written blind on 2026-12-07 and read since
/// (theme F1 0.765 with 18 of 99 ruled-out mentions tagged, search 0.844 / 0.812 when first
/// scored): a mention inside a longer one read with it ("Suicidal thoughts: none"), screens in
/// their own normal bands (EPDS 4, MoCA 27/30), "not treating it as", relatives who ring nightly
/// with words between, loneliness said by its negation ("doesn't see a soul"). Now theme F1
/// 0.817, 10 of 99 tagged, search 0.853 / 0.826.
#[test]
fn eval_scores_hold_on_the_tenth_held_out_set() {
    held_out_set_holds(
        "heldout10",
        &Floors { f1: 0.79, ruled_out: 0.13, recall: 0.83, ndcg: 0.80 },
    );
}

/// The eleventh held-out set (tests/fixtures/heldout11), written blind on 2026-12-07 and read
/// since (theme F1 0.775 with 8 of 99 ruled-out mentions tagged, search 0.882 / 0.844 when first
/// scored): what a spaced dash adds may put a mention behind, a check found "all normal" is ruled
/// out, "son Piotr" names his person, a statement corrected with "no" is not answered no. Now
/// theme F1 0.809, 6 of 99 tagged, search 0.927 / 0.892.
#[test]
fn eval_scores_hold_on_the_eleventh_held_out_set() {
    held_out_set_holds(
        "heldout11",
        &Floors { f1: 0.78, ruled_out: 0.08, recall: 0.90, ndcg: 0.86 },
    );
}
