use std::fs;

use rusqlite::Connection;

use super::*;
use crate::keys::DataKey;
use crate::store::{Keying, Store};

fn keying() -> Keying {
    Keying::Encrypted(DataKey::from_bytes([9u8; 32]).database_key())
}

/// Builds a database as Doorstep wrote it at schema `version`.
fn database_at(path: &Path, version: i64) -> Connection {
    let mut conn = Connection::open(path).unwrap();
    if let Keying::Encrypted(key) = keying() {
        conn.pragma_update(None, "key", &*key.pragma_value()).unwrap();
    }
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    let tx = conn.transaction().unwrap();
    tx.pragma_update(None, "application_id", APPLICATION_ID).unwrap();
    upgrade_between(&tx, 0, version).unwrap();
    tx.pragma_update(None, "user_version", version).unwrap();
    tx.commit().unwrap();
    conn
}

/// Tables, columns, indexes and foreign keys, in a form two databases can be compared by.
fn schema_of(conn: &Connection) -> Vec<String> {
    let mut out = Vec::new();
    let mut objects = conn
        .prepare("SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap();
    let rows: Vec<(String, String, String)> = objects
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for (kind, name, table) in rows {
        out.push(format!("{kind} {name} on {table}"));
        if kind == "table" {
            let mut cols = conn.prepare(&format!("PRAGMA table_info({name})")).unwrap();
            let described: Vec<String> = cols
                .query_map([], |r| {
                    Ok(format!(
                        "  {} {} notnull={} default={:?} pk={}",
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, i64>(3)?,
                        r.get::<_, Option<String>>(4)?,
                        r.get::<_, i64>(5)?
                    ))
                })
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            out.extend(described);
            let mut fks = conn.prepare(&format!("PRAGMA foreign_key_list({name})")).unwrap();
            let described: Vec<String> = fks
                .query_map([], |r| {
                    Ok(format!(
                        "  fk {} -> {}({}) on delete {}",
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, String>(6)?
                    ))
                })
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            out.extend(described);
        }
    }
    out
}

#[test]
fn a_new_store_has_the_current_schema_and_settings() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::create(&dir.path().join("a.db"), &keying()).unwrap();
    assert_eq!(store.schema_version().unwrap(), CURRENT_VERSION);
    let conn = &store.conn;
    let mode: String = conn.pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = conn.pragma_query_value(None, "foreign_keys", |r| r.get(0)).unwrap();
    assert_eq!(fk, 1);
    let temp: i64 = conn.pragma_query_value(None, "temp_store", |r| r.get(0)).unwrap();
    assert_eq!(temp, 2, "temporary tables stay in memory");
}

#[test]
fn a_version_1_database_upgrades_with_its_data_intact() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let person = crate::ids::PersonId::new();
    let note = crate::ids::NoteId::new();
    let text = r#"Visited Joan. She said "I am managing fine" and made tea."#;
    {
        let conn = database_at(&path, 1);
        conn.execute(
            "INSERT INTO people(id, external_id, name, date_of_birth, created_at)
             VALUES (?1, 'p-7', 'Joan Platt', '1944-02-01', '2025-01-01T10:00:00Z')",
            [person],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO notes(id, external_id, subject, date, service, text, author, created_at)
             VALUES (?1, 'n001', ?2, '2025-01-14', 'adults', ?3, 'Sam', '2025-01-14T12:00:00Z')",
            rusqlite::params![note, person, text],
        )
        .unwrap();
    }
    let store = Store::open(&path, &keying()).unwrap();
    assert_eq!(store.schema_version().unwrap(), CURRENT_VERSION);
    let joan = store.find_person("joan platt").unwrap();
    assert_eq!(joan.id, person);
    assert_eq!(joan.external_id.as_deref(), Some("p-7"));
    assert_eq!(joan.date_of_birth.unwrap().to_string(), "1944-02-01");
    let read = store.find_note("n001").unwrap();
    assert_eq!(read.id, note);
    assert_eq!(read.text, text);
    assert_eq!(read.author, "Sam");
    assert_eq!(read.status, crate::model::NoteStatus::Approved);
    assert_eq!(read.edited_at, read.created_at);
    let quoted: Vec<_> = read.own_words.iter().map(|s| s.slice(text).unwrap()).collect();
    assert_eq!(quoted, ["I am managing fine"]);

    // Through every step to the ecomap's history: the old note is waiting to be read.
    let unread = store.unread_ecomap_notes(person).unwrap();
    assert_eq!(unread.iter().map(|n| n.id).collect::<Vec<_>>(), [note]);

    let fresh = Store::create(&dir.path().join("new.db"), &keying()).unwrap();
    assert_eq!(schema_of(&store.conn), schema_of(&fresh.conn));
}

#[test]
fn a_version_2_database_upgrades_with_its_data_intact() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v2.db");
    let household = crate::ids::HouseholdId::new();
    let person = crate::ids::PersonId::new();
    let visit = crate::ids::VisitId::new();
    let note = crate::ids::NoteId::new();
    let text = r#"Home visit. Dev said "the stairs are hard now" and his daughter helps."#;
    {
        let conn = database_at(&path, 2);
        conn.execute_batch(
            "INSERT INTO settings(key, value) VALUES ('practitioner', 'Sam Okafor')",
        )
        .unwrap();
        conn.execute("INSERT INTO households(id, name) VALUES (?1, 'Patel family')", [household])
            .unwrap();
        conn.execute(
            "INSERT INTO people(id, external_id, name, date_of_birth, created_at, household)
             VALUES (?1, 'p-9', 'Dev Patel', '1950-06-30', '2025-02-01T09:00:00Z', ?2)",
            rusqlite::params![person, household],
        )
        .unwrap();
        conn.execute("INSERT INTO person_aliases(person, alias) VALUES (?1, 'Dev')", [person])
            .unwrap();
        conn.execute(
            "INSERT INTO visits(id, subject, at, place, present, child_seen_alone, consent,
                                consent_by, created_at)
             VALUES (?1, ?2, '2025-02-03T10:30:00', 'home', '[\"Priya Patel\"]', NULL, 'given',
                     'Dev Patel', '2025-02-03T11:00:00Z')",
            rusqlite::params![visit, person],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO notes(id, external_id, subject, date, service, text, author, created_at,
                               visit, source, status, own_words, edited_at)
             VALUES (?1, 'n-v2', ?2, '2025-02-03', 'adults', ?3, 'Sam Okafor',
                     '2025-02-03T12:00:00Z', ?4, 'voice', 'draft', '[]', '2025-02-03T12:05:00Z')",
            rusqlite::params![note, person, text, visit],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO transcript_segments(note, idx, start_ms, end_ms, text, span_start,
                                             span_end, confidence)
             VALUES (?1, 0, 0, 2400, 'Home visit.', 0, 11, 0.93)",
            [note],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO theme_tags(note, theme, confidence, evidence, review)
             VALUES (?1, 'strength_family_support', 0.8, '[]', 'confirmed')",
            [note],
        )
        .unwrap();
    }
    let mut store = Store::open(&path, &keying()).unwrap();
    assert_eq!(store.schema_version().unwrap(), CURRENT_VERSION);
    assert_eq!(store.practitioner().unwrap().as_deref(), Some("Sam Okafor"));
    let dev = store.find_person("Dev").unwrap();
    assert_eq!((dev.id, dev.household), (person, Some(household)));
    assert_eq!(dev.aliases, ["Dev"]);
    let read_visit = store.visit(visit).unwrap();
    assert_eq!(read_visit.present, ["Priya Patel"]);
    assert_eq!(read_visit.place.as_deref(), Some("home"));
    let read = store.find_note("n-v2").unwrap();
    assert_eq!((read.id, read.visit, read.text.as_str()), (note, Some(visit), text));
    assert_eq!(read.source, crate::model::NoteSource::Voice);
    assert_eq!(read.status, crate::model::NoteStatus::Draft);
    assert_ne!(read.edited_at, read.created_at, "schema 3 leaves edits alone");
    assert_eq!(read.segments.len(), 1);
    assert_eq!(read.segments[0].end_ms, 2400);
    assert_eq!(read.themes.len(), 1);
    assert_eq!(read.themes[0].theme.0, "strength_family_support");

    // The new tables work on the upgraded file.
    assert!(store.recordings().unwrap().is_empty());
    let recording = store.start_recording(16_000).unwrap();
    store.finish_recording(recording.id, 1_000).unwrap().unwrap();
    let linked = store.link_recording_to_note(recording.id, Some(note)).unwrap().unwrap();
    assert_eq!(linked.note, Some(note));

    let fresh = Store::create(&dir.path().join("new.db"), &keying()).unwrap();
    assert_eq!(schema_of(&store.conn), schema_of(&fresh.conn));
}

/// Joan Platt and one note about her daughter, written as schemas 4 and later hold them.
fn add_joan_and_a_note(conn: &Connection, person: crate::ids::PersonId, note: crate::ids::NoteId) {
    conn.execute(
        "INSERT INTO people(id, name, created_at) VALUES (?1, 'Joan Platt', '2025-01-01T10:00:00Z')",
        [person],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO notes(id, subject, date, text, author, created_at, edited_at)
         VALUES (?1, ?2, '2025-01-14', 'Her daughter Karen visits every day.', 'Sam',
             '2025-01-14T12:00:00Z', '2025-01-14T12:00:00Z')",
        rusqlite::params![note, person],
    )
    .unwrap();
}

#[test]
fn a_version_4_database_upgrades_with_its_ecomap_ties_intact() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v4.db");
    let person = crate::ids::PersonId::new();
    let note = crate::ids::NoteId::new();
    let tie = crate::ids::TieId::new();
    {
        let conn = database_at(&path, 4);
        add_joan_and_a_note(&conn, person, note);
        conn.execute(
            "INSERT INTO ecomap_ties(id, person, who, role, category, quality, support,
                                     source_note, span_start, span_end)
             VALUES (?1, ?2, 'Karen', 'daughter', 'family', 'strong', 'to_subject', ?3, 4, 22)",
            rusqlite::params![tie, person, note],
        )
        .unwrap();
    }
    let mut store = Store::open(&path, &keying()).unwrap();
    assert_eq!(store.schema_version().unwrap(), CURRENT_VERSION);
    // The tie written at schema 4 still reaches the vocabulary, with no other names yet.
    let aliases: String = store
        .conn
        .query_row("SELECT aliases FROM ecomap_ties WHERE id = ?1", [tie], |r| r.get(0))
        .unwrap();
    assert_eq!(aliases, "[]");
    assert_eq!(store.case_vocabulary(person).unwrap().names, ["Joan Platt", "Karen"]);
    // No version is confirmed yet and the note waits to be read.
    assert_eq!(store.latest_ecomap(person).unwrap(), None);
    assert_eq!(store.unread_ecomap_notes(person).unwrap().len(), 1);
    let saved = store.save_ecomap(&crate::model::Ecomap::empty(person), &[note], &[]).unwrap();
    assert_eq!(saved.version, 1);
    assert!(store.unread_ecomap_notes(person).unwrap().is_empty());

    let fresh = Store::create(&dir.path().join("new.db"), &keying()).unwrap();
    assert_eq!(schema_of(&store.conn), schema_of(&fresh.conn));
}

#[test]
fn a_version_5_database_upgrades_to_sync_with_every_record_waiting_to_be_shared() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v5.db");
    let person = crate::ids::PersonId::new();
    let note = crate::ids::NoteId::new();
    {
        let conn = database_at(&path, 5);
        add_joan_and_a_note(&conn, person, note);
    }
    let mut store = Store::open(&path, &keying()).unwrap();
    assert_eq!(store.schema_version().unwrap(), CURRENT_VERSION);
    // Nothing was shared before sync existed: every record waits, and the outbox is empty.
    assert_eq!(store.unshared_people().unwrap().len(), 1);
    assert_eq!(store.unshared_notes().unwrap()[0].id, note);
    assert_eq!(store.outbox_len().unwrap(), 0);
    let state = store.sync_state().unwrap();
    assert!(state.server.is_none());
    assert_eq!(state.pull_cursor, 0);

    let fresh = Store::create(&dir.path().join("new.db"), &keying()).unwrap();
    assert_eq!(schema_of(&store.conn), schema_of(&fresh.conn));
}

#[test]
fn a_version_6_database_upgrades_with_its_outbox_and_sync_state_intact() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v6.db");
    let envelope = uuid::Uuid::now_v7();
    {
        let conn = database_at(&path, 6);
        conn.execute(
            "INSERT INTO sync_state(singleton, device, pull_cursor) VALUES (1, ?1, 17)",
            [crate::ids::DeviceId::new()],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO sync_outbox(id, kind, envelope, queued_at) VALUES (?1, 'note', '{}', ?2)",
            rusqlite::params![envelope, chrono::Utc::now()],
        )
        .unwrap();
    }
    let mut store = Store::open(&path, &keying()).unwrap();
    assert_eq!(store.schema_version().unwrap(), CURRENT_VERSION);
    assert_eq!(store.outbox(10).unwrap()[0].id, envelope);
    assert_eq!(store.sync_state().unwrap().pull_cursor, 17);
    assert_eq!(store.quarantined_count().unwrap(), 0);

    let fresh = Store::create(&dir.path().join("new.db"), &keying()).unwrap();
    assert_eq!(schema_of(&store.conn), schema_of(&fresh.conn));
}

#[test]
fn a_version_7_database_upgrades_with_shared_notes_as_first_versions_and_its_ecomap_staged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v7.db");
    let person = crate::ids::PersonId::new();
    let (kept, edited) = (crate::ids::NoteId::new(), crate::ids::NoteId::new());
    let envelope = uuid::Uuid::now_v7();
    let tie = crate::ids::TieId::new();
    {
        let conn = database_at(&path, 7);
        add_joan_and_a_note(&conn, person, kept);
        conn.execute(
            "INSERT INTO notes(id, subject, text, author, created_at, edited_at)
             VALUES (?1, ?2, 'Edited after it was shared.', 'Sam', '2025-01-15T09:00:00Z',
                     '2025-01-16T09:00:00Z')",
            rusqlite::params![edited, person],
        )
        .unwrap();
        for (record, kind) in [(*kept.as_uuid(), "note"), (*edited.as_uuid(), "note")] {
            conn.execute(
                "INSERT INTO sync_shared(record, kind, envelope) VALUES (?1, ?2, ?3)",
                rusqlite::params![
                    record,
                    kind,
                    if record == *kept.as_uuid() { envelope } else { uuid::Uuid::now_v7() }
                ],
            )
            .unwrap();
        }
        let map = serde_json::json!({
            "person": person.to_string(),
            "ties": [{ "id": tie.to_string(), "who": "Karen", "role": "daughter",
                       "category": "family", "quality": "strong", "support": "to_subject",
                       "evidence": null }],
            "strengths": [{ "text": "keeps her garden", "evidence": null }],
        });
        conn.execute(
            "INSERT INTO ecomap_versions(person, version, confirmed_at, ties, map)
             VALUES (?1, 1, '2025-01-20T10:00:00Z', 1, ?2)",
            rusqlite::params![person, map.to_string()],
        )
        .unwrap();
    }
    let store = Store::open(&path, &keying()).unwrap();
    assert_eq!(store.schema_version().unwrap(), CURRENT_VERSION);
    // The note shared and unchanged has its envelope as its first version; the edited one waits.
    let history = store.note_history(kept).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].stamp.record, envelope);
    assert_eq!(history[0].text, "Her daughter Karen visits every day.");
    let waiting: Vec<_> = store.unshared_notes().unwrap().into_iter().map(|n| n.id).collect();
    assert_eq!(waiting, [edited]);
    // The confirmed map waits to be shared, tie by tie and its strengths.
    let staged = store.staged_ecomaps().unwrap();
    let elements: Vec<_> = staged[0].elements.iter().map(|e| e.element).collect();
    assert_eq!(elements, [crate::model::EcomapElement::STRENGTHS, *tie.as_uuid()]);
    assert!(staged[0].elements.iter().all(|e| e.value.is_some()));
    assert!(store.space_key().unwrap().is_none());
    assert_eq!(store.unshared_count().unwrap(), 3, "the person, the edited note, the ecomap");

    let fresh = Store::create(&dir.path().join("new.db"), &keying()).unwrap();
    assert_eq!(schema_of(&store.conn), schema_of(&fresh.conn));
}

#[test]
fn a_version_8_database_upgrades_with_its_recordings_and_people_s_fields_waiting_to_be_sent() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v8.db");
    let person = crate::ids::PersonId::new();
    let note = crate::ids::NoteId::new();
    let recording = crate::ids::RecordingId::new();
    {
        let conn = database_at(&path, 8);
        add_joan_and_a_note(&conn, person, note);
        conn.execute(
            "INSERT INTO recordings(id, file, sample_rate, started_at, duration_ms, state, note)
             VALUES (?1, 'recordings/a.dsr', 16000, '2025-01-15T09:00:00Z', 4000, 'finished', ?2)",
            rusqlite::params![recording, note],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO note_versions(id, note, hlc_wall_ms, hlc_counter, hlc_device, author,
                                       stored_at)
             VALUES (?1, ?2, 1, 0, ?3, ?3, '2025-01-15T09:00:00Z')",
            rusqlite::params![uuid::Uuid::now_v7(), note, uuid::Uuid::now_v7()],
        )
        .unwrap();
    }
    {
        let conn = Connection::open(&path).unwrap();
        if let Keying::Encrypted(key) = keying() {
            conn.pragma_update(None, "key", &*key.pragma_value()).unwrap();
        }
        conn.execute("INSERT INTO person_aliases(person, alias) VALUES (?1, 'Nan')", [person])
            .unwrap();
        conn.execute(
            "INSERT INTO sync_shared(record, kind, envelope) VALUES (?1, 'person', ?2)",
            rusqlite::params![person, uuid::Uuid::now_v7()],
        )
        .unwrap();
    }
    let store = Store::open(&path, &keying()).unwrap();
    assert_eq!(store.schema_version().unwrap(), CURRENT_VERSION);
    // A person shared by name only before: their other fields go now.
    let fields: Vec<_> =
        store.person_fields_to_share().unwrap().into_iter().map(|f| (f.field, f.value)).collect();
    assert_eq!(fields, [("aliases", Some(r#"["Nan"]"#.to_owned()))]);
    let waiting: Vec<_> = store.unshared_recordings().unwrap().into_iter().map(|r| r.id).collect();
    assert_eq!(waiting, [recording], "audio recorded before it could travel is sent now");
    assert!(store.incoming_audio().unwrap().is_empty());

    let fresh = Store::create(&dir.path().join("new.db"), &keying()).unwrap();
    assert_eq!(schema_of(&store.conn), schema_of(&fresh.conn));
}

#[test]
fn a_failed_upgrade_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let conn = database_at(&path, 1);
        conn.execute_batch(
            "INSERT INTO people(id, name, created_at) VALUES (x'01', 'Ann', '2025-01-01T00:00:00Z');
             CREATE TABLE visits(x);",
        )
        .unwrap();
    }
    let err = Store::open(&path, &keying()).unwrap_err();
    assert!(matches!(err, Error::Upgrade { from: 1, .. }), "{err}");
    let conn = Connection::open(&path).unwrap();
    if let Keying::Encrypted(key) = keying() {
        conn.pragma_update(None, "key", &*key.pragma_value()).unwrap();
    }
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    assert_eq!(version, 1);
    let no_households: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master WHERE name = 'households'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(no_households, 0);
    let people: i64 = conn.query_row("SELECT count(*) FROM people", [], |r| r.get(0)).unwrap();
    assert_eq!(people, 1);
}

#[test]
fn newer_and_foreign_databases_are_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let newer = dir.path().join("newer.db");
    {
        let conn = database_at(&newer, CURRENT_VERSION);
        conn.pragma_update(None, "user_version", CURRENT_VERSION + 1).unwrap();
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let before = fs::read(&newer).unwrap();
    let err = Store::open(&newer, &keying()).unwrap_err();
    assert!(matches!(err, Error::NewerSchema { found, .. } if found == CURRENT_VERSION + 1));
    assert!(err.to_string().contains("newer version of Doorstep"), "{err}");
    assert_eq!(fs::read(&newer).unwrap(), before);

    let foreign = dir.path().join("foreign.db");
    {
        let conn = Connection::open(&foreign).unwrap();
        if let Keying::Encrypted(key) = keying() {
            conn.pragma_update(None, "key", &*key.pragma_value()).unwrap();
        }
        conn.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);").unwrap();
    }
    assert!(matches!(Store::open(&foreign, &keying()), Err(Error::NotDoorstep(_))));
}
