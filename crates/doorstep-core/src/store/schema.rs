//! The database schema and its upgrades.
//!
//! `PRAGMA user_version` holds the schema version. Each step from one version to the next is a
//! file under `schema/` (plus Rust where data must be rewritten), never edited once shipped. A
//! new database runs every step from 0, an older one the steps it lacks, all inside one
//! IMMEDIATE transaction, so a failed upgrade leaves the file exactly as it was. The tests build
//! each older version with data in it and upgrade it.

use std::path::Path;

use rusqlite::{Connection, Transaction, TransactionBehavior, params};

use crate::error::{Error, SqlContext};
use crate::model::find_quoted_spans;

/// "DSTP": marks the file as a Doorstep database.
const APPLICATION_ID: i64 = 0x4453_5450;
pub const CURRENT_VERSION: i64 = 9;

/// `STEPS[n]` takes a database from version `n` to `n + 1`.
const STEPS: [&str; CURRENT_VERSION as usize] = [
    include_str!("schema/0001_people_notes.sql"),
    include_str!("schema/0002_visits_transcripts_tags.sql"),
    include_str!("schema/0003_recordings_transcription.sql"),
    include_str!("schema/0004_search_index.sql"),
    include_str!("schema/0005_ecomap_versions.sql"),
    include_str!("schema/0006_sync.sql"),
    include_str!("schema/0007_sync_quarantine.sql"),
    include_str!("schema/0008_note_versions_ecomap_elements.sql"),
    include_str!("schema/0009_sync_audio_person_fields.sql"),
];

/// Checks the file is ours and brings its schema up to date. An empty file is given a schema
/// only when `creating`: an existing store that reads as empty has lost its contents.
pub(super) fn prepare(conn: &mut Connection, path: &Path, creating: bool) -> Result<(), Error> {
    let app_id: i64 =
        conn.pragma_query_value(None, "application_id", |r| r.get(0)).context("reading ids")?;
    let version: i64 =
        conn.pragma_query_value(None, "user_version", |r| r.get(0)).context("reading ids")?;
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .context("reading the schema")?;
    let fresh = version == 0 && tables == 0;
    if fresh && !creating {
        return Err(Error::DamagedFile { path: path.to_owned() });
    }
    if !fresh && app_id != APPLICATION_ID {
        return Err(Error::NotDoorstep(path.to_owned()));
    }
    if version > CURRENT_VERSION {
        return Err(Error::NewerSchema {
            path: path.to_owned(),
            found: version,
            supported: CURRENT_VERSION,
        });
    }
    // WAL must be chosen outside a transaction. SQLCipher encrypts WAL frames like pages.
    let mode: String =
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0)).context("WAL")?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(Error::WalRefused(mode));
    }
    if version == CURRENT_VERSION {
        return Ok(());
    }
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .context("starting the schema transaction")?;
    // Another process may have upgraded the file while this one waited for the lock.
    let version: i64 =
        tx.pragma_query_value(None, "user_version", |r| r.get(0)).context("reading ids")?;
    if fresh {
        tx.pragma_update(None, "application_id", APPLICATION_ID).context("marking the file")?;
    }
    upgrade_between(&tx, version, CURRENT_VERSION)
        .map_err(|source| Error::Upgrade { from: version, source })?;
    tx.pragma_update(None, "user_version", CURRENT_VERSION).context("setting the version")?;
    tx.commit().context("committing the schema")
}

/// Runs the steps from version `from` up to `to`.
fn upgrade_between(tx: &Transaction<'_>, from: i64, to: i64) -> rusqlite::Result<()> {
    for version in from..to {
        let step = usize::try_from(version)
            .ok()
            .and_then(|n| STEPS.get(n))
            .ok_or(rusqlite::Error::InvalidQuery)?;
        tx.execute_batch(step)?;
        if version == 1 {
            mark_own_words(tx)?;
        }
        if version == 7 {
            stage_confirmed_ecomaps(tx)?;
        }
    }
    Ok(())
}

/// Version 2 marks the person's own words; notes written before it get them found now.
fn mark_own_words(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    let mut select = tx.prepare("SELECT id, text FROM notes")?;
    let mut update = tx.prepare("UPDATE notes SET own_words = ?2 WHERE id = ?1")?;
    let mut rows = select.query([])?;
    while let Some(row) = rows.next()? {
        let id: Vec<u8> = row.get(0)?;
        let text: String = row.get(1)?;
        let spans = find_quoted_spans(&text);
        if !spans.is_empty() {
            let json = serde_json::to_string(&spans)
                .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
            update.execute(params![id, json])?;
        }
    }
    Ok(())
}

/// Version 8 syncs ecomaps: each person's latest confirmed map, never shared before, is staged
/// to be, element by element. Read as plain JSON, so this step stays as it shipped whatever the
/// model becomes: each tie under its id, then the lists of strengths and of what matters (ids 1
/// and 2) when they hold anything.
fn stage_confirmed_ecomaps(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    let mut select = tx.prepare(
        "SELECT person, map FROM ecomap_versions v
         WHERE version = (SELECT max(version) FROM ecomap_versions w WHERE w.person = v.person)",
    )?;
    let mut stage = tx.prepare(
        "INSERT INTO ecomap_elements(person, element, staged, staged_value) VALUES (?1, ?2, 1, ?3)",
    )?;
    let bad = |e: Box<dyn std::error::Error + Send + Sync>| {
        rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Text, e)
    };
    let mut rows = select.query([])?;
    while let Some(row) = rows.next()? {
        let person: Vec<u8> = row.get(0)?;
        let map: serde_json::Value =
            serde_json::from_str(&row.get::<_, String>(1)?).map_err(|e| bad(Box::new(e)))?;
        let mut elements: Vec<(uuid::Uuid, serde_json::Value)> = Vec::new();
        for tie in map["ties"].as_array().into_iter().flatten() {
            let id = tie["id"].as_str().and_then(|id| uuid::Uuid::parse_str(id).ok());
            let id = id.ok_or_else(|| bad("a tie without an id".into()))?;
            elements.push((id, serde_json::json!({ "element": "tie", "value": tie })));
        }
        for (id, list) in [(1u128, "strengths"), (2, "matters")] {
            if map[list].as_array().is_some_and(|points| !points.is_empty()) {
                let element = serde_json::json!({ "element": list, "value": map[list] });
                elements.push((uuid::Uuid::from_u128(id), element));
            }
        }
        for (id, element) in elements {
            stage.execute(params![person, id, element.to_string()])?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
