//! A person's ecomap as kept: the versions the practitioner confirmed (never changed once
//! saved), the notes already read into the map, the nodes the practitioner rejected, and the
//! latest map's ties in `ecomap_ties`, where the vocabulary prompt finds names.
//!
//! Proposing a map from notes is doorstep-ecomap's work; this module saves what was confirmed,
//! all of it in one transaction, so a version never exists without its notes marked read, nor
//! without its changes staged for sync ([`elements`], which also saves the versions that merging
//! another device's changes makes).

mod elements;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};
use serde::{Deserialize, Serialize};

use super::Store;
use super::json_column::{from_json_column, to_json_column};
use crate::error::{Error, SqlContext};
use crate::ids::{NoteId, PersonId};
use crate::model::{Ecomap, EcomapVersion, TieCategory};

pub(super) use elements::record_sealed as record_sealed_ecomap;
pub use elements::{SealedEcomap, StagedEcomap};

/// One confirmed version, as the history lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EcomapVersionSummary {
    pub version: u32,
    pub confirmed_at: DateTime<Utc>,
    /// How many ties the map had.
    pub ties: usize,
}

/// A note about the person that their map has not read yet (or that was edited since).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnreadNote {
    pub id: NoteId,
    pub external_id: Option<String>,
    pub date: Option<NaiveDate>,
    pub text: String,
}

/// A node the practitioner rejected: what notes call `who` in this category is not proposed
/// for the person again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EcomapRejection {
    pub who: String,
    pub category: TieCategory,
}

fn version_from_row(row: &Row<'_>) -> rusqlite::Result<EcomapVersion> {
    let map: String = row.get(2)?;
    Ok(EcomapVersion {
        version: row.get(0)?,
        confirmed_at: row.get(1)?,
        map: from_json_column(2, &map)?,
    })
}

impl Store {
    /// The person's latest confirmed map, or `None` before the first confirm.
    pub fn latest_ecomap(&self, person: PersonId) -> Result<Option<EcomapVersion>, Error> {
        latest(&self.conn, person)
    }

    /// One confirmed version of the person's map.
    pub fn ecomap_version(&self, person: PersonId, version: u32) -> Result<EcomapVersion, Error> {
        let found = self
            .conn
            .query_row(
                "SELECT version, confirmed_at, map FROM ecomap_versions
                 WHERE person = ?1 AND version = ?2",
                params![person, version],
                version_from_row,
            )
            .optional()
            .context("reading an ecomap version")?;
        match found {
            Some(found) => Ok(found),
            None => Err(Error::NoSuchEcomapVersion {
                version,
                latest: latest_version(&self.conn, person).context("reading ecomap versions")?,
            }),
        }
    }

    /// Every confirmed version of the person's map, oldest first.
    pub fn ecomap_versions(&self, person: PersonId) -> Result<Vec<EcomapVersionSummary>, Error> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT version, confirmed_at, ties FROM ecomap_versions
                 WHERE person = ?1 ORDER BY version",
            )
            .context("listing ecomap versions")?;
        stmt.query_map([person], |r| {
            Ok(EcomapVersionSummary {
                version: r.get(0)?,
                confirmed_at: r.get(1)?,
                ties: r.get(2)?,
            })
        })
        .and_then(Iterator::collect)
        .context("listing ecomap versions")
    }

    /// Saves a map the practitioner confirmed as the person's next version, in one transaction:
    /// the version (its ties in id order, as every device orders them), its ties as the person's
    /// current ones, its changes staged for sync, the notes it read (which must be about the
    /// person) and the nodes rejected on the way. On any error nothing is saved.
    pub fn save_ecomap(
        &mut self,
        map: &Ecomap,
        read: &[NoteId],
        rejected: &[EcomapRejection],
    ) -> Result<EcomapVersion, Error> {
        let person = map.person;
        self.person(person)?;
        let map = Ecomap::from_elements(person, map.elements());
        let confirmed_at = Utc::now();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .context("starting to save an ecomap")?;
        let version = insert_version(&tx, &map, confirmed_at)?;
        elements::stage(&tx, &map)?;
        for &note in read {
            mark_read(&tx, person, note, version)?;
        }
        for rejection in rejected {
            insert_rejection(&tx, person, rejection, confirmed_at)?;
        }
        tx.commit().context("saving an ecomap")?;
        Ok(EcomapVersion { version, confirmed_at, map })
    }

    /// The person's notes that their map has not read, or that were edited after it read them,
    /// in date order (undated notes first, then by when they were written).
    pub fn unread_ecomap_notes(&self, person: PersonId) -> Result<Vec<UnreadNote>, Error> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT n.id, n.external_id, n.date, n.text FROM notes n
                 LEFT JOIN ecomap_notes_read r ON r.person = n.subject AND r.note = n.id
                 WHERE n.subject = ?1
                   AND (r.note IS NULL OR r.edited_at IS NOT coalesce(n.edited_at, n.created_at))
                 ORDER BY n.date IS NOT NULL, n.date, n.created_at, n.id",
            )
            .context("finding notes the ecomap has not read")?;
        stmt.query_map([person], |r| {
            Ok(UnreadNote {
                id: r.get(0)?,
                external_id: r.get(1)?,
                date: r.get(2)?,
                text: r.get(3)?,
            })
        })
        .and_then(Iterator::collect)
        .context("finding notes the ecomap has not read")
    }

    /// Remembers a node the practitioner rejected, outside any confirm.
    pub fn reject_ecomap_node(
        &mut self,
        person: PersonId,
        rejection: &EcomapRejection,
    ) -> Result<(), Error> {
        self.person(person)?;
        let tx = self.conn.transaction().context("rejecting an ecomap node")?;
        insert_rejection(&tx, person, rejection, Utc::now())?;
        tx.commit().context("rejecting an ecomap node")
    }

    /// The nodes rejected for the person, by name.
    pub fn ecomap_rejections(&self, person: PersonId) -> Result<Vec<EcomapRejection>, Error> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT who, category FROM ecomap_rejections WHERE person = ?1
                 ORDER BY rejected_at, who",
            )
            .context("reading ecomap rejections")?;
        stmt.query_map([person], |r| Ok(EcomapRejection { who: r.get(0)?, category: r.get(1)? }))
            .and_then(Iterator::collect)
            .context("reading ecomap rejections")
    }
}

/// The person's latest version number, 0 when none is confirmed.
fn latest_version(conn: &Connection, person: PersonId) -> rusqlite::Result<u32> {
    conn.query_row(
        "SELECT coalesce(max(version), 0) FROM ecomap_versions WHERE person = ?1",
        [person],
        |r| r.get(0),
    )
}

/// Saves `map` as the person's next version, its ties as their current ones; returns its number.
fn insert_version(
    tx: &Connection,
    map: &Ecomap,
    confirmed_at: DateTime<Utc>,
) -> Result<u32, Error> {
    let version = latest_version(tx, map.person)
        .context("reading ecomap versions")?
        .checked_add(1)
        .ok_or(Error::TooLong { what: "the ecomap's history", max: u32::MAX as usize })?;
    tx.execute(
        "INSERT INTO ecomap_versions(person, version, confirmed_at, ties, map)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![map.person, version, confirmed_at, map.ties.len(), to_json_column(map)?],
    )
    .context("saving an ecomap version")?;
    replace_ties(tx, map)?;
    Ok(version)
}

/// The person's latest confirmed version, if any.
fn latest(conn: &Connection, person: PersonId) -> Result<Option<EcomapVersion>, Error> {
    conn.query_row(
        "SELECT version, confirmed_at, map FROM ecomap_versions
         WHERE person = ?1 ORDER BY version DESC LIMIT 1",
        [person],
        version_from_row,
    )
    .optional()
    .context("reading the latest ecomap")
}

/// Makes the map's ties the person's current ones in `ecomap_ties`.
fn replace_ties(tx: &Connection, map: &Ecomap) -> Result<(), Error> {
    tx.execute("DELETE FROM ecomap_ties WHERE person = ?1", [map.person])
        .context("replacing the ecomap's ties")?;
    let mut insert = tx
        .prepare(
            "INSERT INTO ecomap_ties(id, person, who, role, category, quality, support,
                                     source_note, span_start, span_end, aliases)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )
        .context("saving the ecomap's ties")?;
    for tie in &map.ties {
        let evidence = tie.evidence.as_ref();
        insert
            .execute(params![
                tie.id,
                map.person,
                tie.who,
                tie.role,
                tie.category,
                tie.quality,
                tie.support,
                evidence.and_then(|e| e.note),
                evidence.map(|e| e.span.start),
                evidence.map(|e| e.span.end),
                to_json_column(&tie.aliases)?,
            ])
            .context("saving the ecomap's ties")?;
    }
    Ok(())
}

/// Marks a note read into `version`, keeping the note's edit stamp so an edit is read again.
fn mark_read(tx: &Connection, person: PersonId, note: NoteId, version: u32) -> Result<(), Error> {
    let marked = tx
        .execute(
            "INSERT INTO ecomap_notes_read(person, note, edited_at, version)
             SELECT ?1, id, coalesce(edited_at, created_at), ?3 FROM notes
             WHERE id = ?2 AND subject = ?1
             ON CONFLICT(person, note) DO UPDATE SET edited_at = excluded.edited_at",
            params![person, note, version],
        )
        .context("marking notes read into the ecomap")?;
    if marked == 1 {
        return Ok(());
    }
    let exists: bool = tx
        .query_row("SELECT count(*) > 0 FROM notes WHERE id = ?1", [note], |r| r.get(0))
        .context("marking notes read into the ecomap")?;
    Err(if exists {
        Error::NoteOfAnotherPerson { note: note.to_string() }
    } else {
        Error::NoSuchNote(note.to_string())
    })
}

fn insert_rejection(
    tx: &Connection,
    person: PersonId,
    rejection: &EcomapRejection,
    at: DateTime<Utc>,
) -> Result<(), Error> {
    let who = rejection.who.trim();
    if who.is_empty() {
        return Err(Error::Empty { what: "the name of a rejected ecomap node" });
    }
    tx.execute(
        "INSERT OR IGNORE INTO ecomap_rejections(person, who, category, rejected_at)
         VALUES (?1, ?2, ?3, ?4)",
        params![person, who, rejection.category, at],
    )
    .context("remembering a rejected ecomap node")?;
    Ok(())
}

#[cfg(test)]
mod tests;
