//! Notes, with their transcript segments and theme tags.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;

use super::Store;
use super::json_column::from_json_column;
use crate::error::{Error, SqlContext};
use crate::ids::{NoteId, PersonId};
use crate::model::{
    NewNote, Note, NoteSource, NoteStatus, TextSpan, ThemeTag, TranscriptSegment, find_quoted_spans,
};

/// Longest note accepted: about 300,000 words, far beyond any real dictation.
pub const MAX_NOTE_CHARS: usize = 2_000_000;

const NOTE_COLUMNS: &str = "id, external_id, subject, visit, date, service, text, source, author, \
                            status, own_words, created_at, edited_at";

fn note_from_row(row: &Row<'_>) -> rusqlite::Result<Note> {
    let own_words: String = row.get(10)?;
    let created_at: DateTime<Utc> = row.get(11)?;
    Ok(Note {
        id: row.get(0)?,
        external_id: row.get(1)?,
        subject: row.get(2)?,
        visit: row.get(3)?,
        date: row.get(4)?,
        service: row.get(5)?,
        text: row.get(6)?,
        source: row.get(7)?,
        author: row.get(8)?,
        status: row.get(9)?,
        own_words: from_json_column(10, &own_words)?,
        created_at,
        edited_at: row.get::<_, Option<DateTime<Utc>>>(12)?.unwrap_or(created_at),
        segments: Vec::new(),
        themes: Vec::new(),
    })
}

/// Which notes to list; the default is every note.
#[derive(Debug, Clone, Default)]
pub struct NoteFilter {
    pub subject: Option<PersonId>,
    pub status: Option<NoteStatus>,
    pub limit: Option<usize>,
}

/// A note as listed: enough to choose one, without its transcript.
#[derive(Debug, Clone, Serialize)]
pub struct NoteSummary {
    pub id: NoteId,
    pub external_id: Option<String>,
    pub subject: PersonId,
    pub subject_name: String,
    pub date: Option<NaiveDate>,
    pub service: Option<String>,
    pub source: NoteSource,
    pub status: NoteStatus,
    pub author: String,
    /// The note's opening words.
    pub preview: String,
}

pub(super) fn checked_text(text: &str) -> Result<&str, Error> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(Error::Empty { what: "the note's text" });
    }
    if trimmed.chars().count() > MAX_NOTE_CHARS {
        return Err(Error::TooLong { what: "the note", max: MAX_NOTE_CHARS });
    }
    Ok(trimmed)
}

/// Inserts a note unless one with the same external id exists; returns whether it was added.
pub(super) fn insert_note(
    conn: &Connection,
    id: NoteId,
    new: &NewNote,
    status: &NoteStatus,
) -> rusqlite::Result<bool> {
    let now = Utc::now();
    let own_words = serde_json::to_string(&find_quoted_spans(&new.text))
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    let added = conn
        .prepare_cached(&format!(
            "INSERT INTO notes({NOTE_COLUMNS}) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?12)
             ON CONFLICT(external_id) DO NOTHING"
        ))?
        .execute(params![
            id,
            new.external_id,
            new.subject,
            new.visit,
            new.date,
            new.service,
            new.text,
            new.source,
            new.author,
            status,
            own_words,
            now,
        ])?;
    Ok(added == 1)
}

impl Store {
    /// Adds a draft note and marks the person's own words in it.
    pub fn add_note(&mut self, mut new: NewNote) -> Result<Note, Error> {
        new.text = checked_text(&new.text)?.to_owned();
        self.person(new.subject)?;
        if let Some(visit) = new.visit
            && self.visit(visit)?.subject != new.subject
        {
            return Err(Error::VisitOfAnotherPerson { visit: visit.to_string() });
        }
        let id = NoteId::new();
        let added =
            insert_note(&self.conn, id, &new, &NoteStatus::Draft).context("adding a note")?;
        if !added {
            return Err(Error::DuplicateExternalId {
                kind: "note",
                id: new.external_id.unwrap_or_default(),
            });
        }
        self.note(id)
    }

    pub fn note(&self, id: NoteId) -> Result<Note, Error> {
        let mut note = self
            .conn
            .query_row(
                &format!("SELECT {NOTE_COLUMNS} FROM notes WHERE id = ?1"),
                [id],
                note_from_row,
            )
            .optional()
            .context("reading a note")?
            .ok_or_else(|| Error::NoSuchNote(id.to_string()))?;
        note.segments = self.segments(Some(id))?.remove(&id).unwrap_or_default();
        note.themes = self.theme_tags(Some(id))?.remove(&id).unwrap_or_default();
        Ok(note)
    }

    /// Finds a note by its id or the external id it was imported with.
    pub fn find_note(&self, query: &str) -> Result<Note, Error> {
        if let Ok(id) = query.parse::<NoteId>() {
            return self.note(id);
        }
        let id: Option<NoteId> = self
            .conn
            .query_row("SELECT id FROM notes WHERE external_id = ?1", [query.trim()], |r| r.get(0))
            .optional()
            .context("finding a note")?;
        id.map_or_else(|| Err(Error::NoSuchNote(query.to_owned())), |id| self.note(id))
    }

    /// Notes as listed, newest first, about `subject` or everyone.
    pub fn notes(&self, subject: Option<PersonId>) -> Result<Vec<NoteSummary>, Error> {
        self.notes_where(&NoteFilter { subject, ..NoteFilter::default() })
    }

    /// Notes as listed, newest first, narrowed by `filter`.
    pub fn notes_where(&self, filter: &NoteFilter) -> Result<Vec<NoteSummary>, Error> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT n.id, n.external_id, n.subject, p.name, n.date, n.service, n.source,
                        n.status, n.author, substr(n.text, 1, 80)
                 FROM notes n JOIN people p ON p.id = n.subject
                 WHERE (?1 IS NULL OR n.subject = ?1) AND (?2 IS NULL OR n.status = ?2)
                 ORDER BY n.date IS NULL, n.date DESC, n.created_at DESC
                 LIMIT ?3",
            )
            .context("listing notes")?;
        let limit = filter.limit.map_or(-1, |l| i64::try_from(l).unwrap_or(i64::MAX));
        stmt.query_map(params![filter.subject, filter.status, limit], |r| {
            Ok(NoteSummary {
                id: r.get(0)?,
                external_id: r.get(1)?,
                subject: r.get(2)?,
                subject_name: r.get(3)?,
                date: r.get(4)?,
                service: r.get(5)?,
                source: r.get(6)?,
                status: r.get(7)?,
                author: r.get(8)?,
                preview: r.get(9)?,
            })
        })
        .and_then(Iterator::collect)
        .context("listing notes")
    }

    /// For each person with notes: how many, and the date of the latest.
    pub fn note_counts(&self) -> Result<HashMap<PersonId, (u64, Option<NaiveDate>)>, Error> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT subject, count(*), max(date) FROM notes GROUP BY subject")
            .context("counting notes")?;
        stmt.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))
            .and_then(Iterator::collect)
            .context("counting notes")
    }

    /// The themes of each of `notes` the practitioner has not rejected, most confident first.
    pub fn note_themes(&self, notes: &[NoteId]) -> Result<HashMap<NoteId, Vec<String>>, Error> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT theme FROM theme_tags WHERE note = ?1 AND review IS NOT 'rejected'
                 ORDER BY confidence DESC, theme",
            )
            .context("reading notes' themes")?;
        let mut themes = HashMap::with_capacity(notes.len());
        for &note in notes {
            let ids: Vec<String> = stmt
                .query_map([note], |r| r.get(0))
                .and_then(Iterator::collect)
                .context("reading notes' themes")?;
            themes.insert(note, ids);
        }
        Ok(themes)
    }

    /// Every note in full, oldest first.
    pub fn all_notes(&self) -> Result<Vec<Note>, Error> {
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {NOTE_COLUMNS} FROM notes ORDER BY created_at, id"))
            .context("reading notes")?;
        let mut notes: Vec<Note> = stmt
            .query_map([], note_from_row)
            .and_then(Iterator::collect)
            .context("reading notes")?;
        let mut segments = self.segments(None)?;
        let mut tags = self.theme_tags(None)?;
        for note in &mut notes {
            note.segments = segments.remove(&note.id).unwrap_or_default();
            note.themes = tags.remove(&note.id).unwrap_or_default();
        }
        Ok(notes)
    }

    /// A voice note's transcript segments (none for a typed note).
    pub fn transcript(&self, note: NoteId) -> Result<Vec<TranscriptSegment>, Error> {
        Ok(self.segments(Some(note))?.remove(&note).unwrap_or_default())
    }

    fn segments(
        &self,
        note: Option<NoteId>,
    ) -> Result<HashMap<NoteId, Vec<TranscriptSegment>>, Error> {
        let mut stmt = self
            .conn
            .prepare_cached(match note {
                // Two statements, not `?1 IS NULL OR note = ?1`, which SQLite cannot answer
                // from the primary key.
                Some(_) => {
                    "SELECT note, idx, start_ms, end_ms, text, span_start, span_end, confidence
                     FROM transcript_segments WHERE note = ?1 ORDER BY idx"
                }
                None => {
                    "SELECT note, idx, start_ms, end_ms, text, span_start, span_end, confidence
                     FROM transcript_segments WHERE ?1 IS NULL ORDER BY note, idx"
                }
            })
            .context("reading a transcript")?;
        let rows = stmt
            .query_map([note], |r| {
                Ok((
                    r.get::<_, NoteId>(0)?,
                    TranscriptSegment {
                        index: r.get(1)?,
                        start_ms: r.get(2)?,
                        end_ms: r.get(3)?,
                        text: r.get(4)?,
                        span: TextSpan::new(r.get(5)?, r.get(6)?),
                        confidence: r.get(7)?,
                    },
                ))
            })
            .and_then(Iterator::collect::<rusqlite::Result<Vec<_>>>)
            .context("reading a transcript")?;
        Ok(group(rows))
    }

    fn theme_tags(&self, note: Option<NoteId>) -> Result<HashMap<NoteId, Vec<ThemeTag>>, Error> {
        let mut stmt = self
            .conn
            .prepare_cached(match note {
                Some(_) => {
                    "SELECT note, theme, confidence, evidence, review
                     FROM theme_tags WHERE note = ?1 ORDER BY theme"
                }
                None => {
                    "SELECT note, theme, confidence, evidence, review
                     FROM theme_tags WHERE ?1 IS NULL ORDER BY note, theme"
                }
            })
            .context("reading theme tags")?;
        let rows = stmt
            .query_map([note], |r| {
                let evidence: String = r.get(3)?;
                Ok((
                    r.get::<_, NoteId>(0)?,
                    ThemeTag {
                        theme: crate::model::ThemeId(r.get(1)?),
                        confidence: r.get(2)?,
                        evidence: from_json_column(3, &evidence)?,
                        review: r.get(4)?,
                    },
                ))
            })
            .and_then(Iterator::collect::<rusqlite::Result<Vec<_>>>)
            .context("reading theme tags")?;
        Ok(group(rows))
    }
}

fn group<T>(rows: Vec<(NoteId, T)>) -> HashMap<NoteId, Vec<T>> {
    let mut map: HashMap<NoteId, Vec<T>> = HashMap::new();
    for (id, item) in rows {
        map.entry(id).or_default().push(item);
    }
    map
}
