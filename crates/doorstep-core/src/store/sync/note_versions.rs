//! The versions of notes, as sync keeps them: every version this store has sealed or received,
//! and which one the note shows.
//!
//! Notes are append-only per author. A change made here (a new note, an edited text, own words
//! marked, an approval) changes the notes row and leaves `shown_version` empty: the row then holds
//! a version no envelope carries yet, which doorstep-sync seals on its next round, stamped with
//! its clock ([`Store::unshared_notes`], then [`Store::queue_outgoing`]). A version received from
//! another device is added to the history beside the others, never over them, and the row shows
//! the latest of all by stamp, the choice every device makes alike ([`settle`]). While a change
//! made here waits to be sealed the row keeps it: sealed later than anything this device has seen,
//! it will be the latest there too, unless the clock was not saved, in which case the history
//! decides once it is sealed. Older versions stay readable ([`Store::note_history`]).

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use uuid::Uuid;

use super::super::Store;
use super::super::json_column::{from_json_column, to_json_column};
use super::super::notes::{checked_text, insert_note};
use super::ChangeStamp;
use crate::error::{Error, SqlContext};
use crate::ids::{DeviceId, NoteId, PersonId};
use crate::model::{NewNote, Note, NoteSource, NoteStatus, TextSpan};

/// One version of a note: its words, the person's own words in them and its status, as the
/// device that made it sealed them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NoteRevision {
    /// Its order among the note's versions; `stamp.record` is the version's id.
    pub stamp: ChangeStamp,
    /// The device that sealed it.
    pub author: DeviceId,
    pub text: String,
    pub own_words: Vec<TextSpan>,
    pub status: NoteStatus,
}

/// A version of a note received from another device, with what a store that does not have the
/// note yet needs to add it.
#[derive(Debug, Clone)]
pub struct ReceivedNote {
    pub id: NoteId,
    pub subject: PersonId,
    pub date: Option<NaiveDate>,
    pub service: Option<String>,
    pub source: NoteSource,
    /// The practitioner's name as written on the note.
    pub author: String,
    pub version: NoteRevision,
}

/// A version of a note made here, as doorstep-sync sealed it, and the edit stamp of the row it
/// was read from (a row edited again since then still waits to be sealed).
#[derive(Debug, Clone)]
pub struct SealedNote {
    pub note: NoteId,
    pub edited_at: DateTime<Utc>,
    pub version: NoteRevision,
}

impl SealedNote {
    /// `note`, as read from [`Store::unshared_notes`], sealed by `device` at `stamp`.
    pub fn of(note: Note, stamp: ChangeStamp, device: DeviceId) -> Self {
        Self {
            note: note.id,
            edited_at: note.edited_at,
            version: NoteRevision {
                stamp,
                author: device,
                text: note.text,
                own_words: note.own_words,
                status: note.status,
            },
        }
    }
}

/// A version's columns; the words, own words and status of the version the row shows may be
/// left to the row (see the schema).
const VERSIONS: &str = "SELECT v.hlc_wall_ms, v.hlc_counter, v.hlc_device, v.id, v.author,
        coalesce(v.text, n.text), coalesce(v.own_words, n.own_words), coalesce(v.status, n.status)
    FROM note_versions v JOIN notes n ON n.id = v.note WHERE v.note = ?1";

fn version_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<NoteRevision> {
    let own_words: String = row.get(6)?;
    Ok(NoteRevision {
        stamp: ChangeStamp::from_row(row, 0)?,
        author: row.get(4)?,
        text: row.get(5)?,
        own_words: from_json_column(6, &own_words)?,
        status: row.get(7)?,
    })
}

impl Store {
    /// Notes holding a change made here that no envelope carries yet, oldest first.
    pub fn unshared_notes(&self) -> Result<Vec<Note>, Error> {
        let ids: Vec<NoteId> = self
            .conn
            .prepare("SELECT id FROM notes WHERE shown_version IS NULL ORDER BY created_at, id")
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
            .context("listing notes to share")?;
        ids.into_iter().map(|id| self.note(id)).collect()
    }

    /// Takes in a version of a note from another device: the note is added if this store does not
    /// have it (the person it is about must be here), and the version joins its history. Returns
    /// whether the store changed; a version already here changes nothing.
    pub fn receive_note_version(&mut self, received: &ReceivedNote) -> Result<bool, Error> {
        let version = &received.version;
        version.stamp.checked()?;
        checked_text(&version.text)?;
        check_spans(&version.own_words, &version.text)?;
        let tx = self.conn.savepoint().context("receiving a note")?;
        let known: bool = tx
            .prepare_cached("SELECT count(*) > 0 FROM note_versions WHERE id = ?1")
            .and_then(|mut s| s.query_row([version.stamp.record], |r| r.get(0)))
            .context("receiving a note")?;
        if known {
            return Ok(false);
        }
        let subject: Option<PersonId> = tx
            .prepare_cached("SELECT subject FROM notes WHERE id = ?1")
            .and_then(|mut s| s.query_row([received.id], |r| r.get(0)).optional())
            .context("receiving a note")?;
        match subject {
            Some(subject) if subject != received.subject => {
                return Err(Error::BadRecord(format!(
                    "a version of note {} names another person than the note",
                    received.id
                )));
            }
            Some(_) => {}
            None => add_received(&tx, received)?,
        }
        // A note just added shows its only version already.
        let added = subject.is_none();
        insert_version(&tx, received.id, version, added)?;
        if !added {
            settle(&tx, received.id)?;
        }
        tx.commit().context("receiving a note")?;
        Ok(true)
    }

    /// Every version of a note this store holds, oldest first (the last is the latest; the note
    /// shows it unless it holds a change made here that is not sealed yet).
    pub fn note_history(&self, note: NoteId) -> Result<Vec<NoteRevision>, Error> {
        self.note(note)?;
        let mut stmt = self
            .conn
            .prepare(&format!(
                "{VERSIONS} ORDER BY v.hlc_wall_ms, v.hlc_counter, v.hlc_device, v.id"
            ))
            .context("reading a note's history")?;
        stmt.query_map([note], version_from_row)
            .and_then(Iterator::collect)
            .context("reading a note's history")
    }
}

/// Own-words spans must lie within the text they mark.
fn check_spans(spans: &[TextSpan], text: &str) -> Result<(), Error> {
    let chars = text.chars().count();
    match spans.iter().find(|s| s.start >= s.end || s.end > chars) {
        Some(bad) => Err(Error::SpanOutsideNote { start: bad.start, end: bad.end, chars }),
        None => Ok(()),
    }
}

/// A received note this store did not have: added with its id, showing the received version.
fn add_received(tx: &Connection, received: &ReceivedNote) -> Result<(), Error> {
    let person: bool = tx
        .prepare_cached("SELECT count(*) > 0 FROM people WHERE id = ?1")
        .and_then(|mut s| s.query_row([received.subject], |r| r.get(0)))
        .context("receiving a note")?;
    if !person {
        return Err(Error::NoSuchPerson(received.subject.to_string()));
    }
    let version = &received.version;
    let new = NewNote {
        subject: received.subject,
        visit: None,
        date: received.date,
        service: received.service.clone(),
        text: version.text.clone(),
        source: received.source.clone(),
        author: received.author.clone(),
        external_id: None,
    };
    insert_note(tx, received.id, &new, &version.status).context("receiving a note")?;
    let own_words = to_json_column(&version.own_words)?;
    tx.prepare_cached("UPDATE notes SET own_words = ?2, shown_version = ?3 WHERE id = ?1")
        .and_then(|mut s| s.execute(params![received.id, own_words, version.stamp.record]))
        .context("receiving a note")?;
    Ok(())
}

/// Keeps a version; `shown` when the notes row shows exactly it, whose words it then leaves to
/// the row.
fn insert_version(
    tx: &Connection,
    note: NoteId,
    version: &NoteRevision,
    shown: bool,
) -> Result<(), Error> {
    let stamp = &version.stamp;
    let own_words = if shown { None } else { Some(to_json_column(&version.own_words)?) };
    tx.prepare_cached(
        "INSERT INTO note_versions(id, note, hlc_wall_ms, hlc_counter, hlc_device, author, text,
                                   own_words, status, stored_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )
    .and_then(|mut s| {
        s.execute(params![
            stamp.record,
            note,
            stamp.wall_ms,
            stamp.counter,
            stamp.device,
            version.author,
            (!shown).then_some(&version.text),
            own_words,
            (!shown).then_some(&version.status),
            Utc::now(),
        ])
    })
    .context("keeping a note version")?;
    Ok(())
}

/// Records a version sealed here: it joins the history, and the row shows it unless the note
/// was changed again after it was read for sealing.
pub(super) fn record_sealed(tx: &Connection, sealed: &SealedNote) -> Result<(), Error> {
    let version = &sealed.version;
    let row = tx
        .prepare_cached(
            "SELECT coalesce(edited_at, created_at), shown_version, text, own_words, status
             FROM notes WHERE id = ?1",
        )
        .and_then(|mut s| {
            s.query_row([sealed.note], |r| {
                let own_words: String = r.get(3)?;
                Ok((
                    r.get::<_, DateTime<Utc>>(0)?,
                    r.get::<_, Option<Uuid>>(1)?,
                    r.get::<_, String>(2)?,
                    from_json_column::<Vec<TextSpan>>(3, &own_words)?,
                    r.get::<_, NoteStatus>(4)?,
                ))
            })
            .optional()
        })
        .context("marking a note shared")?;
    let holds_it = row.is_some_and(|(edited_at, shown, text, own_words, status)| {
        edited_at == sealed.edited_at
            && shown.is_none()
            && text == version.text
            && own_words == version.own_words
            && status == version.status
    });
    insert_version(tx, sealed.note, version, holds_it)?;
    if holds_it {
        tx.prepare_cached("UPDATE notes SET shown_version = ?2 WHERE id = ?1")
            .and_then(|mut s| s.execute(params![sealed.note, version.stamp.record]))
            .context("marking a note shared")?;
    }
    settle(tx, sealed.note)
}

/// Makes the note show its latest version, unless it holds a change made here not sealed yet.
fn settle(tx: &Connection, note: NoteId) -> Result<(), Error> {
    let shown: Option<Uuid> = tx
        .prepare_cached("SELECT shown_version FROM notes WHERE id = ?1")
        .and_then(|mut s| s.query_row([note], |r| r.get(0)))
        .context("showing a note's latest version")?;
    let Some(shown) = shown else { return Ok(()) };
    let latest = tx
        .prepare_cached(&format!(
            "{VERSIONS}
             ORDER BY v.hlc_wall_ms DESC, v.hlc_counter DESC, v.hlc_device DESC, v.id DESC
             LIMIT 1"
        ))
        .and_then(|mut s| s.query_row([note], version_from_row))
        .context("showing a note's latest version")?;
    if latest.stamp.record == shown {
        return Ok(());
    }
    tx.execute(
        "UPDATE notes SET text = ?2, own_words = ?3, status = ?4, edited_at = ?5,
                          shown_version = ?6
         WHERE id = ?1",
        params![
            note,
            latest.text,
            to_json_column(&latest.own_words)?,
            latest.status,
            latest.stamp.time().unwrap_or_else(Utc::now),
            latest.stamp.record,
        ],
    )
    .context("showing a note's latest version")?;
    Ok(())
}

#[cfg(test)]
mod tests;
