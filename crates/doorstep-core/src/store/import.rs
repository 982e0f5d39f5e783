//! Importing notes from a JSON Lines file exported by a case system.
//!
//! Each line is checked on its own: a malformed line is reported with its number and skipped,
//! and never stops good lines from being imported. Good lines are written in batches, one
//! transaction each, so a crash leaves every batch either wholly in or wholly out, and notes are
//! keyed by their external id, so running the same import again adds only what is missing.

use std::collections::HashMap;
use std::io::{BufRead, Read};

use chrono::NaiveDate;
use rusqlite::TransactionBehavior;
use serde::{Deserialize, Serialize};

use super::Store;
use super::notes::{checked_text, insert_note};
use super::people::{checked_name, insert_person_named, people_named};
use crate::error::{Error, SqlContext};
use crate::ids::{NoteId, PersonId};
use crate::model::{NewNote, NoteSource, NoteStatus};

/// Lines longer than this are reported rather than parsed.
const MAX_LINE_BYTES: usize = 16 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Good lines per transaction.
    pub batch_size: usize,
    /// Written as the author of imported notes.
    pub author: String,
}

impl Default for ImportOptions {
    fn default() -> Self {
        Self { batch_size: 500, author: "imported".into() }
    }
}

/// What was wrong with a line.
#[derive(Debug, thiserror::Error)]
pub enum LineProblem {
    #[error("not valid UTF-8")]
    NotUtf8,
    #[error("{}", serde_message(.0))]
    Json(serde_json::Error),
    #[error("`id` is empty")]
    EmptyId,
    #[error("`date` {0:?} is not a date in the form YYYY-MM-DD")]
    BadDate(String),
    #[error("longer than {MAX_LINE_BYTES} bytes")]
    TooLong,
    #[error("{count} people are called {name:?}: import this note by hand")]
    AmbiguousSubject { name: String, count: usize },
    #[error(transparent)]
    Field(Error),
}

/// serde's message without its position: the line number is reported instead, and the column
/// within one JSON line adds nothing a person can use.
fn serde_message(e: &serde_json::Error) -> String {
    let message = e.to_string();
    message.split(" at line ").next().unwrap_or(&message).to_owned()
}

/// A line that could not be imported.
#[derive(Debug, Serialize)]
pub struct LineError {
    pub line: usize,
    #[serde(rename = "message", serialize_with = "as_text")]
    pub problem: LineProblem,
}

fn as_text<S: serde::Serializer>(problem: &LineProblem, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(problem)
}

#[derive(Debug, Default, Serialize)]
pub struct ImportReport {
    pub added: usize,
    /// Lines whose external id was already in the store.
    pub already_present: usize,
    pub people_created: usize,
    pub malformed: Vec<LineError>,
}

/// How far an import has got, reported after each batch.
#[derive(Debug, Clone, Copy)]
pub struct ImportProgress {
    pub bytes_read: u64,
    pub lines_read: usize,
}

/// What one line must hold; other fields are ignored.
#[derive(Deserialize)]
struct ImportLine {
    id: ExternalId,
    subject: String,
    text: String,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    service: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum ExternalId {
    Text(String),
    Number(i64),
}

struct Pending {
    line: usize,
    subject: String,
    note: NewNote,
}

fn parse_line(raw: &[u8], author: &str) -> Result<(String, NewNote), LineProblem> {
    let text = std::str::from_utf8(raw).map_err(|_| LineProblem::NotUtf8)?;
    let parsed: ImportLine = serde_json::from_str(text).map_err(LineProblem::Json)?;
    let external_id = match parsed.id {
        ExternalId::Text(id) => id.trim().to_owned(),
        ExternalId::Number(n) => n.to_string(),
    };
    if external_id.is_empty() {
        return Err(LineProblem::EmptyId);
    }
    let subject = checked_name(&parsed.subject, "`subject`").map_err(LineProblem::Field)?;
    let body = checked_text(&parsed.text).map_err(LineProblem::Field)?.to_owned();
    let date = match parsed.date.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(d) => Some(
            NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map_err(|_| LineProblem::BadDate(d.to_owned()))?,
        ),
    };
    let service = parsed.service.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    Ok((
        subject,
        NewNote {
            // Filled when the subject is resolved.
            subject: PersonId::from_uuid(uuid::Uuid::nil()),
            visit: None,
            date,
            service,
            text: body,
            source: NoteSource::Imported,
            author: author.to_owned(),
            external_id: Some(external_id),
        },
    ))
}

/// Reads one line into `raw`, keeping at most `MAX_LINE_BYTES` of it and skipping the rest, so
/// a file without newlines cannot exhaust memory. Returns the bytes consumed and whether the
/// line fitted.
fn read_line_limited(reader: &mut impl BufRead, raw: &mut Vec<u8>) -> std::io::Result<(u64, bool)> {
    raw.clear();
    let limit = MAX_LINE_BYTES as u64 + 1;
    let mut consumed = reader.by_ref().take(limit).read_until(b'\n', raw)? as u64;
    if raw.len() <= MAX_LINE_BYTES || raw.ends_with(b"\n") {
        return Ok((consumed, true));
    }
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            break;
        }
        let (used, done) = match buf.iter().position(|b| *b == b'\n') {
            Some(at) => (at + 1, true),
            None => (buf.len(), false),
        };
        reader.consume(used);
        consumed += used as u64;
        if done {
            break;
        }
    }
    raw.clear();
    Ok((consumed, false))
}

fn note_exists(conn: &rusqlite::Connection, note: &NewNote) -> Result<bool, Error> {
    conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM notes WHERE external_id = ?1)")
        .and_then(|mut s| s.query_row([&note.external_id], |r| r.get(0)))
        .context("checking an external id")
}

impl Store {
    /// Imports every good line of `reader`; see the module docs.
    pub fn import_notes(
        &mut self,
        mut reader: impl BufRead,
        options: &ImportOptions,
        mut progress: impl FnMut(ImportProgress),
    ) -> Result<ImportReport, Error> {
        let batch_size = options.batch_size.max(1);
        let mut report = ImportReport::default();
        let mut batch: Vec<Pending> = Vec::with_capacity(batch_size);
        let mut people: HashMap<String, PersonId> = HashMap::new();
        let mut raw = Vec::new();
        let mut line = 0;
        let mut bytes_read = 0u64;
        loop {
            let (n, complete) = read_line_limited(&mut reader, &mut raw).map_err(|source| {
                Error::Io { action: "read", path: "the import file".into(), source }
            })?;
            if n == 0 {
                break;
            }
            line += 1;
            bytes_read += n;
            let mut content = raw.trim_ascii();
            if line == 1 {
                content = content.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(content);
            }
            if content.is_empty() && complete {
                continue;
            }
            if !complete {
                report.malformed.push(LineError { line, problem: LineProblem::TooLong });
                continue;
            }
            match parse_line(content, &options.author) {
                Ok((subject, note)) => batch.push(Pending { line, subject, note }),
                Err(problem) => report.malformed.push(LineError { line, problem }),
            }
            if batch.len() == batch_size {
                self.write_batch(&mut batch, &mut people, &mut report)?;
                progress(ImportProgress { bytes_read, lines_read: line });
            }
        }
        if !batch.is_empty() {
            self.write_batch(&mut batch, &mut people, &mut report)?;
        }
        progress(ImportProgress { bytes_read, lines_read: line });
        report.malformed.sort_by_key(|e| e.line);
        Ok(report)
    }

    fn write_batch(
        &mut self,
        batch: &mut Vec<Pending>,
        people: &mut HashMap<String, PersonId>,
        report: &mut ImportReport,
    ) -> Result<(), Error> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .context("starting an import batch")?;
        // People made in this batch vanish with it if it fails, so they are cached only on commit.
        let mut created: Vec<(String, PersonId)> = Vec::new();
        let (mut added, mut present, mut ambiguous) = (0, 0, Vec::new());
        for pending in batch.iter_mut() {
            // Folded as SQLite's NOCASE folds (ASCII only), so the cache and the database agree.
            let key = pending.subject.to_ascii_lowercase();
            let cached = people
                .get(&key)
                .copied()
                .or_else(|| created.iter().find(|(k, _)| *k == key).map(|(_, id)| *id));
            let subject = match cached {
                Some(id) => id,
                // A note already imported needs no subject: resolving it could create a person
                // for a renamed subject, or stop at a name that has since become ambiguous.
                None if note_exists(&tx, &pending.note)? => {
                    present += 1;
                    continue;
                }
                None => match people_named(&tx, &pending.subject).context("finding a subject")?[..]
                {
                    [id] => {
                        people.insert(key, id);
                        id
                    }
                    [] => {
                        let id = insert_person_named(&tx, &pending.subject)
                            .context("adding a subject")?;
                        created.push((key, id));
                        id
                    }
                    ref many => {
                        ambiguous.push(LineError {
                            line: pending.line,
                            problem: LineProblem::AmbiguousSubject {
                                name: pending.subject.clone(),
                                count: many.len(),
                            },
                        });
                        continue;
                    }
                },
            };
            pending.note.subject = subject;
            if insert_note(&tx, NoteId::new(), &pending.note, &NoteStatus::Approved)
                .context("importing a note")?
            {
                added += 1;
            } else {
                present += 1;
            }
        }
        tx.commit().context("committing an import batch")?;
        report.added += added;
        report.already_present += present;
        report.people_created += created.len();
        report.malformed.extend(ambiguous);
        people.extend(created);
        batch.clear();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use super::*;
    use crate::store::test_support::scratch_store as store;

    #[test]
    fn an_endless_line_is_skipped_without_holding_it_in_memory() {
        let (_dir, mut store) = store();
        let mut input =
            b"\xEF\xBB\xBF{\"id\": \"a\", \"subject\": \"Ann\", \"text\": \"first\"}\n".to_vec();
        input.extend(std::iter::repeat_n(b'x', MAX_LINE_BYTES + 10));
        input.extend_from_slice(b"\n{\"id\": \"b\", \"subject\": \"Ann\", \"text\": \"after\"}\n");
        let report =
            store.import_notes(Cursor::new(input), &ImportOptions::default(), |_| {}).unwrap();
        assert_eq!(report.added, 2, "the BOM line and the line after the long one");
        assert_eq!(report.malformed.len(), 1);
        assert_eq!(report.malformed[0].line, 2);
        assert!(matches!(report.malformed[0].problem, LineProblem::TooLong));
    }

    #[test]
    fn a_known_note_is_present_even_if_its_subject_became_ambiguous() {
        let (_dir, mut store) = store();
        let line = b"{\"id\": \"n1\", \"subject\": \"Bo Ray\", \"text\": \"hello\"}\n";
        let options = ImportOptions::default();
        store.import_notes(Cursor::new(line.to_vec()), &options, |_| {}).unwrap();
        store
            .add_person(&crate::model::NewPerson { name: "Bo Ray".into(), ..Default::default() })
            .unwrap();
        let again = store.import_notes(Cursor::new(line.to_vec()), &options, |_| {}).unwrap();
        assert_eq!((again.added, again.already_present), (0, 1));
        assert!(again.malformed.is_empty());
    }

    #[test]
    fn subjects_match_the_same_way_within_and_across_imports() {
        let lines = [
            "{\"id\": \"1\", \"subject\": \"ZOË Ång\", \"text\": \"a\"}\n",
            "{\"id\": \"2\", \"subject\": \"zoë ång\", \"text\": \"b\"}\n",
            "{\"id\": \"3\", \"subject\": \"Zoë Ång\", \"text\": \"c\"}\n",
        ];
        let options = ImportOptions::default();
        let (_one, mut together) = store();
        together.import_notes(Cursor::new(lines.concat()), &options, |_| {}).unwrap();
        let (_two, mut apart) = store();
        for line in lines {
            apart.import_notes(Cursor::new(line), &options, |_| {}).unwrap();
        }
        let names = |s: &Store| s.people().unwrap().into_iter().map(|p| p.name).collect::<Vec<_>>();
        assert_eq!(names(&together), names(&apart));
    }
}
