//! The app's workflows end to end on a real encrypted store, with the real Whisper model and
//! the real embedding model (scripts/models.sh installs both): a spoken visit note becomes a
//! draft, is reviewed and approved, and is then found by theme, in the person's chronology and
//! on their ecomap.

#![allow(clippy::unwrap_used)] // helpers outside #[test] fail by panicking too

use std::path::PathBuf;

use doorstep_app::review::{self, Decision, SpanArg};
use doorstep_app::settings::{self, Settings};
use doorstep_app::voice::{self, Audio};
use doorstep_app::{ErrorKind, Session, caseload, ecomap, finding, syncing};

fn models_dir() -> PathBuf {
    let dir = std::env::var_os("DOORSTEP_MODELS_DIR").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache/doorstep/models")
    });
    assert!(
        dir.join("ggml-tiny.en.bin").is_file(),
        "no test models in {}: run scripts/models.sh",
        dir.display()
    );
    dir
}

fn clip(name: &str) -> PathBuf {
    let shared = std::env::var_os("DOORSTEP_SHARED").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
        PathBuf::from,
    );
    shared.join("eval/audio").join(name)
}

fn session() -> (tempfile::TempDir, Session) {
    let dir = tempfile::tempdir().unwrap();
    let mut session = Session::new(dir.path().join("store"), models_dir());
    session.create("Sam Okafor", "correct horse battery".into()).unwrap();
    (dir, session)
}

#[test]
fn a_spoken_note_is_transcribed_reviewed_approved_and_found_again() {
    let (_dir, mut session) = session();
    caseload::add_person(&mut session, "Margaret Holt", vec!["Maggie".into()], None).unwrap();
    let chosen = Settings {
        retention: "delete_on_approve".into(),
        model: "tiny.en".into(),
        lock_after_minutes: 5,
    };
    settings::save_settings(&mut session, &chosen).unwrap();

    let heard = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let progress = std::sync::Arc::clone(&heard);
    let draft = voice::transcribe(
        &mut session,
        Audio::File(&clip("a01.wav")),
        "Margaret Holt",
        move |event| progress.lock().unwrap().push(event),
    )
    .unwrap();
    assert!(!heard.lock().unwrap().is_empty(), "progress was reported");
    assert_eq!(draft.head.status, "draft");
    assert!(draft.head.has_audio);
    assert!(draft.text.to_lowercase().contains("fall"), "{}", draft.text);
    assert!(!draft.segments.is_empty());
    let falls = draft.themes.iter().find(|c| c.id == "falls_mobility");
    assert!(falls.is_some_and(|c| !c.evidence.is_empty()), "{:?}", draft.themes);
    assert!(
        draft.ecomap.iter().any(|t| t.role.as_deref() == Some("son")),
        "her son is suggested: {:?}",
        draft.ecomap
    );

    let today = caseload::today(&mut session).unwrap();
    assert_eq!(today.drafts.len(), 1);
    assert_eq!(today.people[0].notes, 1);

    let id = draft.head.id.clone();
    let wav = review::segment_audio(&mut session, &id, 0).unwrap();
    assert!(wav.starts_with("data:audio/wav;base64,UklGR"), "a RIFF header");

    let edited =
        review::edit_note(&mut session, &id, &format!("{} \"I manage.\"", draft.text)).unwrap();
    let quote = edited.text.chars().count() - 10;
    let marked =
        review::set_own_words(&mut session, &id, &[SpanArg { start: quote, end: quote + 9 }])
            .unwrap();
    assert!(!marked.own_words.is_empty());
    let first = marked.themes.iter().find(|c| c.id != "falls_mobility").unwrap().id.clone();
    let judged = review::review_theme(&mut session, &id, &first, Decision::Reject).unwrap();
    assert!(judged.themes.iter().any(|c| c.id == first && c.review == "rejected"));

    let keep: Vec<String> = judged.ecomap.iter().map(|t| t.who.clone()).take(1).collect();
    let approved = review::approve_note(&mut session, &id, &keep).unwrap();
    assert_eq!(approved.head.status, "approved");
    assert!(!approved.head.has_audio, "retention deleted the audio on approval");
    let refused = review::edit_note(&mut session, &id, "rewritten").unwrap_err();
    assert_eq!(refused.kind, ErrorKind::InvalidInput);

    let map = ecomap::ecomap(&mut session, "Margaret Holt").unwrap();
    assert_eq!(map.versions.len(), 1);
    assert_eq!(map.ties.len(), keep.len(), "only the kept suggestion is on the map");
    assert!(map.svg.starts_with("<svg") && !map.description.is_empty());

    let found = finding::search(&mut session, "falls", 10).unwrap();
    assert_eq!(found.hits.first().map(|h| h.note_id.as_str()), Some(id.as_str()));
    let chronology = finding::chronology(&mut session, "Maggie", Some("falls_mobility")).unwrap();
    assert!(chronology.iter().all(|e| e.note_id == id) && !chronology.is_empty());
    let person = caseload::person(&mut session, "Margaret Holt").unwrap();
    assert!(person.themes.iter().any(|t| t.id == "falls_mobility"));

    let sync = syncing::status(&mut session).unwrap();
    assert!(!sync.configured && !sync.safe_to_close && sync.unqueued > 0);
    let no_server = syncing::sync_now(&mut session, None, |_| {}).unwrap_err();
    assert_eq!(no_server.kind, ErrorKind::NoServer);
    assert_eq!(syncing::status(&mut session).unwrap().last_error, Some(no_server.message));
}

#[test]
fn bad_input_gets_a_clear_error_and_changes_nothing() {
    let (_dir, mut session) = session();
    caseload::add_person(&mut session, "Joan Platt", Vec::new(), None).unwrap();
    let note = review::add_note(&mut session, "Joan Platt", "Joan lives alone.", None).unwrap();
    for (error, kind) in [
        (review::add_note(&mut session, "Nobody", "text", None).unwrap_err(), ErrorKind::NotFound),
        (
            review::add_note(&mut session, "Joan Platt", "   ", None).unwrap_err(),
            ErrorKind::InvalidInput,
        ),
        (
            review::add_note(&mut session, "Joan Platt", "x", Some("14/03/2026")).unwrap_err(),
            ErrorKind::InvalidInput,
        ),
        (
            review::set_own_words(&mut session, &note.head.id, &[SpanArg { start: 5, end: 500 }])
                .unwrap_err(),
            ErrorKind::InvalidInput,
        ),
        (
            review::review_theme(&mut session, &note.head.id, "no_such_theme", Decision::Confirm)
                .unwrap_err(),
            ErrorKind::InvalidInput,
        ),
        (finding::search(&mut session, "from:yesterday", 10).unwrap_err(), ErrorKind::InvalidInput),
        (
            voice::transcribe(&mut session, Audio::Recording("not-an-id"), "Joan Platt", |_| {})
                .unwrap_err(),
            ErrorKind::InvalidInput,
        ),
        (
            settings::import_model(&mut session, &clip("a01.txt")).unwrap_err(),
            ErrorKind::InvalidInput,
        ),
    ] {
        assert_eq!(error.kind, kind, "{error:?}");
        assert!(error.message.ends_with('.'), "{error:?}");
    }
    let unchanged = review::note(&mut session, &note.head.id).unwrap();
    assert_eq!(unchanged.text, "Joan lives alone.");
    assert!(unchanged.own_words.is_empty());
    for query in ["\"unbalanced", "NEAR(a b", "*", "", &"care ".repeat(2000)] {
        assert!(finding::search(&mut session, query, 10).is_ok(), "{query:.20}");
    }
}
