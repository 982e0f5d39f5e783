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
