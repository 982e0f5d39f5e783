//! Nothing a person said may sit on disk in plain text.

use crate::common::{Store, contains, import_until_wal_grows, note_line, write_lines};

const CANARY: &str = "Marigold whispered that the blue kettle sings at midnight";

#[test]
fn a_canary_written_through_the_cli_is_nowhere_on_disk() {
    let store = Store::new();
    store.cmd().args(["person", "add", "Tabitha Quenell", "--alias", "Tabby"]).assert().success();
    store
        .cmd()
        .args(["visit", "add", "--subject", "Tabby", "--place", "Quenell Cottage"])
        .args(["--present", "Marigold Quenell", "--consent-by", "Tabitha Quenell"])
        .assert()
        .success();
    store
        .cmd()
        .args(["note", "add", "--subject", "Tabitha Quenell", "--text"])
        .arg(format!("Home visit. She said \"{CANARY}\" and laughed."))
        .assert()
        .success();
    let lines: Vec<String> = (0..300)
        .map(|i| note_line(&format!("c{i}"), "Tabitha Quenell", &format!("{CANARY} ({i})")))
        .collect();
    let file = write_lines(&store, "canary.jsonl", &lines);
    store.cmd().args(["note", "import"]).arg(&file).assert().success();
    std::fs::remove_file(&file).unwrap();
    assert_eq!(store.note_count(), 301);

    let files = store.files();
    assert!(files.iter().any(|(p, _)| p.ends_with("doorstep.db")));
    for (path, bytes) in &files {
        for secret in [CANARY, "Marigold", "Tabitha", "Quenell Cottage", "Sam Okafor"] {
            assert!(
                !contains(bytes, secret.as_bytes()),
                "{secret:?} in plain text in {}",
                path.display()
            );
        }
    }
}

#[test]
fn an_interrupted_write_leaves_no_plain_text_in_the_wal_either() {
    let store = Store::new();
    let lines: Vec<String> = (0..40_000)
        .map(|i| {
            note_line(
                &format!("w{i}"),
                "Tabitha Quenell",
                &format!("{CANARY} {i} {}", "lorem ipsum ".repeat(40)),
            )
        })
        .collect();
    let file = write_lines(&store, "big.jsonl", &lines);
    let mut child = import_until_wal_grows(&store, &file, 100, 1 << 20);
    child.kill().unwrap();
    child.wait().unwrap();
    std::fs::remove_file(&file).unwrap();
    let files = store.files();
    assert!(files.iter().any(|(p, b)| p.ends_with("doorstep.db-wal") && b.len() > 1 << 20));
    for (path, bytes) in &files {
        assert!(!contains(bytes, b"Marigold"), "plain text in {}", path.display());
        assert!(!contains(bytes, b"lorem ipsum"), "plain text in {}", path.display());
    }
}
