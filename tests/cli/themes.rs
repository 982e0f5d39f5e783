//! `doorstep themes list`: the built-in taxonomy, and a practice's own file added to it.

use crate::common::Store;

#[test]
fn themes_list_shows_the_taxonomy_and_a_practices_additions() {
    let store = Store::empty();
    let listed = store.json(&["themes", "list"]);
    let themes = listed["themes"].as_array().unwrap();
    assert_eq!(themes.len(), 38, "every theme of the corpus");
    let alcohol = themes.iter().find(|t| t["id"] == "alcohol").unwrap();
    assert_eq!(alcohol["parent"], "substance_misuse");
    assert_eq!(alcohol["kind"], "risk");

    let extra = store.home.path().join("ours.toml");
    std::fs::write(
        &extra,
        "[[theme]]\nid = \"gambling\"\nlabel = \"Gambling\"\nkind = \"risk\"\nparent = \"substance_misuse\"\ncues = [\"betting shop\"]\n\n\
         [[theme]]\nid = \"alcohol\"\nlabel = \"Alcohol misuse\"\nkind = \"risk\"\ncues = [\"white cider\"]\n",
    )
    .unwrap();
    let listed = store.json(&["themes", "list", "--extra", extra.to_str().unwrap()]);
    let themes = listed["themes"].as_array().unwrap();
    assert_eq!(themes.len(), 39);
    let alcohol = themes.iter().find(|t| t["id"] == "alcohol").unwrap();
    assert!(alcohol["cues"].as_array().unwrap().iter().any(|c| c == "white cider"));

    std::fs::write(
        &extra,
        "[[theme]]\nid = \"x\"\nlabel = \"X\"\nkind = \"risk\"\nparent = \"nope\"\n",
    )
    .unwrap();
    let out =
        store.cmd().args(["themes", "list", "--extra", extra.to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("ours.toml") && err.contains("parent nope, which is not a theme"),
        "{err}"
    );
}

#[test]
fn themes_tag_reads_a_note_and_gives_each_theme_its_evidence() {
    let store = Store::empty();
    let out = store
        .cmd()
        .args(["--json", "themes", "tag"])
        .write_stdin("He put his hands round her neck. No concerns about drugs. Her daughter does the shopping.")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let tagged: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let themes = tagged["themes"].as_array().unwrap();
    let ids: Vec<&str> = themes.iter().map(|t| t["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"domestic_abuse"), "{tagged:#}");
    assert!(ids.contains(&"strength_family_support"), "{tagged:#}");
    assert!(!ids.contains(&"drugs") && !ids.contains(&"substance_misuse"), "a denial: {tagged:#}");
    let da = themes.iter().find(|t| t["id"] == "domestic_abuse").unwrap();
    let evidence = &da["evidence"][0];
    assert_eq!(evidence["text"], "hands round her neck");
    assert_eq!((evidence["start"].as_u64(), evidence["end"].as_u64()), (Some(11), Some(31)));
    assert!(da["confidence"].as_f64().unwrap() > 0.5);
}

#[test]
fn a_relative_the_note_says_helps_is_family_support_unless_the_help_is_only_a_plan() {
    let store = Store::empty();
    let tag = |text: &str| {
        let out = store.cmd().args(["--json", "themes", "tag"]).write_stdin(text).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let tagged: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let family = tagged["themes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == "strength_family_support")
            .cloned();
        family.map(|t| t["evidence"][0]["text"].as_str().unwrap().to_owned())
    };
    let helped = "Kezia is exhausted. Her mum, Denise, has moved into the spare room for a \
                  fortnight and gets up for the 2am feed so Kezia gets a block of sleep.";
    assert_eq!(
        tag(helped).as_deref(),
        Some(
            "Her mum, Denise, has moved into the spare room for a fortnight and gets up for the \
             2am feed so Kezia gets a block of sleep"
        )
    );
    let planned = "Kezia is exhausted. If things get worse, her mum could move into the spare \
                   room and take over the 2am feed.";
    assert_eq!(tag(planned), None);
    assert_eq!(tag("Kezia is exhausted. Her mum lives in Leeds and they argue a lot."), None);
}

#[test]
fn eval_themes_scores_labelled_notes_and_names_a_bad_line() {
    let store = Store::empty();
    let notes = store.home.path().join("notes.jsonl");
    std::fs::write(
        &notes,
        "{\"id\": \"x1\", \"subject\": \"Ann Lee\", \"text\": \"She has been drinking heavily again.\", \"themes\": [\"alcohol\", \"substance_misuse\"], \"ruled_out\": []}\n\
         {\"id\": \"x2\", \"subject\": \"Ann Lee\", \"text\": \"No concerns about drugs or alcohol.\", \"themes\": [], \"ruled_out\": [\"drugs\", \"alcohol\", \"substance_misuse\"]}\n",
    )
    .unwrap();
    let scores = store.json(&["eval", "themes", "--notes", notes.to_str().unwrap()]);
    assert_eq!(scores["notes"], 2);
    assert_eq!(scores["ruled_out"], 3);
    assert_eq!(scores["ruled_out_tagged"], 0, "{scores:#}");
    assert!(scores["f1"].as_f64().unwrap() > 0.0, "{scores:#}");

    std::fs::write(&notes, "{\"id\": \"x1\"}\n").unwrap();
    let out =
        store.cmd().args(["eval", "themes", "--notes", notes.to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 1") && err.contains("subject"), "{err}");
}
