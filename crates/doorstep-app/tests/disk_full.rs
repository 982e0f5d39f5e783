//! A full disk, for real: the store lives on an 8 MiB tmpfs, notes are written until it is full,
//! and the practitioner gets a clear message; once they free some space (as the message asks),
//! everything saved before is there and readable.
//! Mounting needs root (CI runs as root); elsewhere set DOORSTEP_SKIP_DISK_FULL=1 to skip it.

#![allow(clippy::unwrap_used)] // helpers outside #[test] fail by panicking too

use std::path::Path;
use std::process::Command;

use doorstep_app::{ErrorKind, Session, caseload, review};

struct Tmpfs<'a>(&'a Path);

impl Drop for Tmpfs<'_> {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.0).status();
    }
}

#[test]
fn a_full_disk_is_a_clear_error_and_loses_nothing() {
    if std::env::var_os("DOORSTEP_SKIP_DISK_FULL").is_some() {
        eprintln!("skipped: DOORSTEP_SKIP_DISK_FULL is set");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=8m", "tmpfs"])
        .arg(dir.path())
        .status()
        .unwrap();
    assert!(
        mounted.success(),
        "mounting a tmpfs needs root; set DOORSTEP_SKIP_DISK_FULL=1 to skip"
    );
    let _unmount = Tmpfs(dir.path());

    // What the practitioner will delete to make room: their photos, say. Freeing more than the
    // notes filled matters: on closing, SQLite copies its write-ahead log into the database,
    // which needs room for the log's pages again.
    let photos = dir.path().join("photos");
    std::fs::write(&photos, vec![0u8; 5 * 1024 * 1024]).unwrap();
    let models = tempfile::tempdir().unwrap();
    let mut session = Session::new(dir.path().join("store"), models.path());
    session.create("Sam Okafor", "correct horse battery".into()).unwrap();
    caseload::add_person(&mut session, "Joan Platt", Vec::new(), None).unwrap();
    let page = "Joan was well today and the carers came on time. ".repeat(1_000);
    let mut saved = Vec::new();
    let error = loop {
        match review::add_note(&mut session, "Joan Platt", &page, None) {
            Ok(note) => saved.push(note.head.id),
            Err(e) => break e,
        }
        assert!(saved.len() < 200, "3 MiB should fill long before 200 notes of 50 kB");
    };
    assert_eq!(error.kind, ErrorKind::DiskFull, "{error:?}");
    assert!(error.message.contains("full") && error.message.contains("safe"), "{error:?}");
    assert!(!saved.is_empty());

    std::fs::remove_file(&photos).unwrap();
    session.lock();
    session.unlock("correct horse battery".into()).unwrap();
    for id in &saved {
        assert_eq!(review::note(&mut session, id).unwrap().text, page.trim());
    }
}
