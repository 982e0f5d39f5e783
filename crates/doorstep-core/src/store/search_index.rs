//! The search index as stored: which notes still need tagging or embedding, the tags and vectors
//! the indexer writes, the practitioner's review of tags, and the raw full-text, vector and theme
//! lookups that the search engine (doorstep-search) fuses. Query understanding and ranking live
//! there; only what needs SQL is here.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params, params_from_iter};
use serde::Serialize;

use super::Store;
use crate::error::{Error, SqlContext};
use crate::ids::{NoteId, PersonId};
use crate::model::{TagReview, ThemeId, ThemeTag};

/// A scope of up to this many notes is listed before a theme's tags are read (see
/// [`Store::theme_matches`]); a person's notes number hundreds, a caseload's 100,000.
const SMALL_SCOPE: usize = 20_000;

/// A note's compact key in the search index (FTS5 rowid and vector slot). Stable for the life of
/// the note, unlike SQLite's implicit rowid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct NoteKey(pub i64);

/// Which key each note has, learned once for many theme lookups (see [`Store::theme_matches`]).
/// It cannot go wrong, only out of date: a note keeps its key for life and a note id is never
/// reused, so a note missing here (added since) is looked up in the store. Empty is allowed.
#[derive(Debug, Clone, Default)]
pub struct NoteKeys(HashMap<NoteId, NoteKey>);

impl NoteKeys {
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A note the indexer has not yet tagged with the current tagger or embedded with the current model.
#[derive(Debug, Clone)]
pub struct PendingNote {
    pub key: NoteKey,
    pub id: NoteId,
    pub text: String,
    pub needs_tags: bool,
    pub needs_vector: bool,
}

/// What the indexer found in one note.
#[derive(Debug, Clone)]
pub struct IndexedNote {
    pub key: NoteKey,
    /// The tagger that made `tags` (its version and the taxonomy's hash), or None to leave the
    /// note's tags alone.
    pub tagged_by: Option<String>,
    pub tags: Vec<ThemeTag>,
    /// The model that made `pieces`, or None to leave the note's vectors alone.
    pub embedded_by: Option<String>,
    pub pieces: Vec<NotePiece>,
}

/// A run of a note's sentences and its vector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotePiece {
    /// Character offsets into the note.
    pub start: usize,
    pub end: usize,
    pub vector: Vec<u8>,
}

/// A stored piece vector, with what search filters on.
#[derive(Debug, Clone)]
pub struct StoredVector {
    pub key: NoteKey,
    pub subject: PersonId,
    pub date: Option<NaiveDate>,
    pub piece: NotePiece,
}

/// Which notes a search may return.
#[derive(Debug, Clone, Default)]
pub struct SearchScope {
    /// Only these people's notes; None for the whole caseload.
    pub subjects: Option<Vec<PersonId>>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl SearchScope {
    /// The scope as SQL conditions on `note_index i`, with their parameters.
    fn sql(&self) -> (String, Vec<rusqlite::types::Value>) {
        use rusqlite::types::Value;
        let mut conditions = String::new();
        let mut values = Vec::new();
        if let Some(subjects) = &self.subjects {
            let marks = vec!["?"; subjects.len()].join(",");
            conditions.push_str(&format!(" AND i.subject IN ({marks})"));
            values.extend(subjects.iter().map(|s| Value::Blob(s.as_uuid().as_bytes().to_vec())));
        }
        if let Some(from) = self.from {
            conditions.push_str(" AND i.date >= ?");
            values.push(Value::Text(from.to_string()));
        }
        if let Some(to) = self.to {
            conditions.push_str(" AND i.date <= ?");
            values.push(Value::Text(to.to_string()));
        }
        (conditions, values)
    }

    /// Whether the scope admits every note.
    pub fn is_everything(&self) -> bool {
        self.subjects.is_none() && self.from.is_none() && self.to.is_none()
    }

    /// Whether a note with this subject and date is in scope.
    pub fn admits(&self, subject: PersonId, date: Option<NaiveDate>) -> bool {
        let subject_ok = self.subjects.as_ref().is_none_or(|s| s.contains(&subject));
        let from_ok = self.from.is_none_or(|from| date.is_some_and(|d| d >= from));
        let to_ok = self.to.is_none_or(|to| date.is_some_and(|d| d <= to));
        subject_ok && from_ok && to_ok
    }
}

/// A tag as found by a theme lookup.
#[derive(Debug, Clone, Copy)]
pub struct ThemeMatch {
    pub key: NoteKey,
    pub confidence: f32,
    pub confirmed: bool,
}

impl Store {
    /// Up to `limit` notes whose tags were not made by `tagger` or whose vector was not made by
    /// `model` (when a model is given), oldest first.
    pub fn notes_to_index(
        &self,
        tagger: &str,
        model: Option<&str>,
        limit: usize,
    ) -> Result<Vec<PendingNote>, Error> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT i.key, n.id, n.text, i.tagged_by IS NOT ?1,
                        ?2 IS NOT NULL AND i.embedded_by IS NOT ?2
                 FROM note_index i JOIN notes n ON n.id = i.note
                 WHERE i.tagged_by IS NOT ?1 OR (?2 IS NOT NULL AND i.embedded_by IS NOT ?2)
                 ORDER BY i.key LIMIT ?3",
            )
            .context("finding notes to index")?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        stmt.query_map(params![tagger, model, limit], |r| {
            Ok(PendingNote {
                key: NoteKey(r.get(0)?),
                id: r.get(1)?,
                text: r.get(2)?,
                needs_tags: r.get(3)?,
                needs_vector: r.get(4)?,
            })
        })
        .and_then(Iterator::collect)
        .context("finding notes to index")
    }

    /// How many notes the index lacks for `tagger` and `model`.
    pub fn index_backlog(&self, tagger: &str, model: Option<&str>) -> Result<u64, Error> {
        self.conn
            .query_row(
                "SELECT count(*) FROM note_index
                 WHERE tagged_by IS NOT ?1 OR (?2 IS NOT NULL AND embedded_by IS NOT ?2)",
                params![tagger, model],
                |r| r.get(0),
            )
            .context("counting notes to index")
    }

    /// Writes what the indexer found, all in one transaction. The practitioner's review wins: a
    /// rejected theme is never proposed again, a confirmed one stays confirmed and certain (with
    /// fresh evidence), and a proposed tag the tagger no longer finds is withdrawn.
    pub fn save_index(&mut self, notes: &[IndexedNote]) -> Result<(), Error> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .context("saving the search index")?;
        for note in notes {
            let Some(id) = note_for_key(&tx, note.key)? else { continue };
            if let Some(tagger) = &note.tagged_by {
                replace_proposed_tags(&tx, id, &note.tags)?;
                tx.execute(
                    "UPDATE note_index SET tagged_by = ?2 WHERE key = ?1",
                    params![note.key.0, tagger],
                )
                .context("saving the search index")?;
            }
            if let Some(model) = &note.embedded_by {
                tx.execute("DELETE FROM note_vectors WHERE key = ?1", [note.key.0])
                    .context("saving a note's vectors")?;
                let mut insert = tx
                    .prepare_cached(
                        "INSERT INTO note_vectors(key, idx, start, end, vector)
                         VALUES (?1, ?2, ?3, ?4, ?5)",
                    )
                    .context("saving a note's vectors")?;
                for (idx, piece) in note.pieces.iter().enumerate() {
                    insert
                        .execute(params![note.key.0, idx, piece.start, piece.end, piece.vector])
                        .context("saving a note's vectors")?;
                }
                tx.execute(
                    "UPDATE note_index SET embedded_by = ?2 WHERE key = ?1",
                    params![note.key.0, model],
                )
                .context("saving the search index")?;
            }
        }
        tx.commit().context("saving the search index")
    }

    /// Records the practitioner's judgement on a theme for a note. Confirming a theme the tagger
    /// did not propose adds it as the practitioner's own tag; rejecting one it did not propose
    /// stops it ever being proposed.
    pub fn review_tag(
        &mut self,
        note: NoteId,
        theme: &ThemeId,
        review: &TagReview,
    ) -> Result<ThemeTag, Error> {
        self.note(note)?;
        self.conn
            .execute(
                "INSERT INTO theme_tags(note, theme, confidence, evidence, review)
                 VALUES (?1, ?2, 1.0, '[]', ?3)
                 ON CONFLICT(note, theme) DO UPDATE SET review = excluded.review,
                     confidence = CASE WHEN excluded.review = 'confirmed' THEN 1.0
                                       ELSE theme_tags.confidence END",
                params![note, theme.0, review],
            )
            .context("reviewing a tag")?;
        self.note(note)?
            .themes
            .into_iter()
            .find(|t| t.theme == *theme)
            .ok_or_else(|| Error::NoSuchNote(note.to_string()))
    }

    /// Notes matching an FTS5 expression, best BM25 first. The expression must already be
    /// escaped: doorstep-search builds it from the practitioner's words.
    pub fn full_text_matches(
        &self,
        expression: &str,
        scope: &SearchScope,
        limit: usize,
    ) -> Result<Vec<(NoteKey, f64)>, Error> {
        // People are matched inside FTS5 by their `who` token; only dates need the join.
        let mut expression = in_text(expression);
        let mut by_date = scope.clone();
        if let Some(subjects) = by_date.subjects.take() {
            let who: Vec<String> = subjects
                .iter()
                .map(|s| format!("\"p{}\"", hex_lower(s.as_uuid().as_bytes())))
                .collect();
            expression = format!("{expression} AND who : ({})", who.join(" OR "));
        }
        let scope = &by_date;
        let (conditions, mut values) = scope.sql();
        let sql = if scope.is_everything() {
            "SELECT rowid, rank FROM notes_fts WHERE notes_fts MATCH ? ORDER BY rank LIMIT ?"
                .to_owned()
        } else {
            format!(
                "SELECT f.rowid, f.rank FROM notes_fts f JOIN note_index i ON i.key = f.rowid
                 WHERE notes_fts MATCH ?{conditions} ORDER BY f.rank LIMIT ?"
            )
        };
        values.insert(0, expression.into());
        values.push(i64::try_from(limit).unwrap_or(i64::MAX).into());
        let mut stmt = self.conn.prepare_cached(&sql).context("searching the notes")?;
        stmt.query_map(params_from_iter(values), |r| Ok((NoteKey(r.get(0)?), r.get(1)?)))
            .and_then(Iterator::collect)
            .context("searching the notes")
    }

    /// Whether at least `threshold` notes match an FTS5 expression; counts no further, so a
    /// common word costs no more than `threshold` postings.
    pub fn matches_at_least(&self, expression: &str, threshold: usize) -> Result<bool, Error> {
        let threshold = i64::try_from(threshold).unwrap_or(i64::MAX);
        let found: i64 = self
            .conn
            .prepare_cached(
                "SELECT count(*) FROM (SELECT 1 FROM notes_fts WHERE notes_fts MATCH ?1 LIMIT ?2)",
            )
            .and_then(|mut s| s.query_row(params![in_text(expression), threshold], |r| r.get(0)))
            .context("searching the notes")?;
        Ok(found >= threshold)
    }

    /// How many notes the index holds.
    pub fn indexed_notes(&self) -> Result<u64, Error> {
        self.conn
            .query_row("SELECT count(*) FROM note_index", [], |r| r.get(0))
            .context("counting notes")
    }

    /// The note's text with every term of `expression` wrapped in `open` and `close`, when the
    /// note matches it.
    pub fn highlighted(
        &self,
        key: NoteKey,
        expression: &str,
        open: &str,
        close: &str,
    ) -> Result<Option<String>, Error> {
        self.conn
            .prepare_cached(
                "SELECT highlight(notes_fts, 0, ?3, ?4) FROM notes_fts
                 WHERE notes_fts MATCH ?2 AND rowid = ?1",
            )
            .and_then(|mut s| {
                s.query_row(params![key.0, in_text(expression), open, close], |r| r.get(0))
                    .optional()
            })
            .context("highlighting a note")
    }

    /// Notes carrying any of `themes` (not rejected), most confident first (a confirmed tag is
    /// certain), newest first among equals. Read from the `theme_tags_rank` index alone when
    /// the scope is everything. For a scope of a few people, their notes' keys are listed first
    /// from the `note_index_subject` index and the theme's tags are read in rank order against
    /// that list, each tag's note turned into its key by `known` (or, for a note it lacks, one
    /// seek in the index on `note_index(note)`): never a read of the note's row to learn whose
    /// it is, which is what made a person's theme list slow.
    pub fn theme_matches(
        &self,
        themes: &[ThemeId],
        scope: &SearchScope,
        limit: usize,
        known: &NoteKeys,
    ) -> Result<Vec<ThemeMatch>, Error> {
        let listed = match scope.subjects {
            Some(_) if !themes.is_empty() => self.keys_admitted(scope, SMALL_SCOPE)?,
            _ => None,
        };
        let mut best: HashMap<NoteKey, ThemeMatch> = HashMap::new();
        for theme in themes {
            let found = match &listed {
                Some(keys) => self.theme_tags_among(theme, keys, known, limit)?,
                None => self.theme_tags_in_scope(theme, scope, limit)?,
            };
            for m in found {
                let entry = best.entry(m.key).or_insert(m);
                if m.confidence > entry.confidence {
                    *entry = m;
                }
            }
        }
        let mut ranked: Vec<ThemeMatch> = best.into_values().collect();
        ranked.sort_by(|a, b| b.confidence.total_cmp(&a.confidence).then(b.key.cmp(&a.key)));
        ranked.truncate(limit);
        Ok(ranked)
    }

    /// The keys of the notes in scope, when there are at most `most` of them. With people in the
    /// scope this reads the `note_index_subject` index alone (it holds subject, date and key).
    fn keys_admitted(
        &self,
        scope: &SearchScope,
        most: usize,
    ) -> Result<Option<HashSet<NoteKey>>, Error> {
        let (conditions, mut values) = scope.sql();
        let sql = format!("SELECT i.key FROM note_index i WHERE 1{conditions} LIMIT ?");
        values.push(i64::try_from(most.saturating_add(1)).unwrap_or(i64::MAX).into());
        let mut stmt = self.conn.prepare_cached(&sql).context("listing notes in scope")?;
        let keys: HashSet<NoteKey> = stmt
            .query_map(params_from_iter(values), |r| Ok(NoteKey(r.get(0)?)))
            .and_then(Iterator::collect)
            .context("listing notes in scope")?;
        Ok((keys.len() <= most).then_some(keys))
    }

    /// Up to `limit` of the notes `keys` tagged with `theme`, best first: the theme's tags read
    /// in rank order from the covering index `theme_tags_rank`, kept when their note's key is
    /// listed.
    fn theme_tags_among(
        &self,
        theme: &ThemeId,
        keys: &HashSet<NoteKey>,
        known: &NoteKeys,
        limit: usize,
    ) -> Result<Vec<ThemeMatch>, Error> {
        let mut found = Vec::new();
        if keys.is_empty() || limit == 0 {
            return Ok(found);
        }
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT note, confidence, review = 'confirmed' FROM theme_tags
                 WHERE theme = ?1 AND review != 'rejected'
                 ORDER BY confidence DESC, note DESC",
            )
            .context("finding notes by theme")?;
        let mut rows = stmt.query([&theme.0]).context("finding notes by theme")?;
        while let Some(row) = rows.next().context("finding notes by theme")? {
            let note: NoteId = row.get(0).context("finding notes by theme")?;
            let key = match known.0.get(&note) {
                Some(&key) => key,
                None => match key_for_note(&self.conn, note)? {
                    Some(key) => key,
                    None => continue,
                },
            };
            if !keys.contains(&key) {
                continue;
            }
            found.push(ThemeMatch {
                key,
                confidence: row.get(1).context("finding notes by theme")?,
                confirmed: row.get(2).context("finding notes by theme")?,
            });
            if found.len() >= limit {
                break;
            }
        }
        Ok(found)
    }

    /// Every note's key, for [`Store::theme_matches`].
    pub fn note_keys(&self) -> Result<NoteKeys, Error> {
        let mut stmt =
            self.conn.prepare("SELECT note, key FROM note_index").context("reading note keys")?;
        stmt.query_map([], |r| Ok((r.get(0)?, NoteKey(r.get(1)?))))
            .and_then(Iterator::collect)
            .map(NoteKeys)
            .context("reading note keys")
    }

    /// Up to `limit` notes in scope tagged with `theme`, best first, checked tag by tag.
    fn theme_tags_in_scope(
        &self,
        theme: &ThemeId,
        scope: &SearchScope,
        limit: usize,
    ) -> Result<Vec<ThemeMatch>, Error> {
        let (conditions, scope_values) = scope.sql();
        let sql = format!(
            "SELECT i.key, t.confidence, t.review = 'confirmed' FROM theme_tags t
             JOIN note_index i ON i.note = t.note
             WHERE t.theme = ? AND t.review != 'rejected'{conditions}
             ORDER BY t.confidence DESC, t.note DESC LIMIT ?"
        );
        let mut values: Vec<rusqlite::types::Value> = vec![theme.0.clone().into()];
        values.extend(scope_values);
        values.push(i64::try_from(limit).unwrap_or(i64::MAX).into());
        let mut stmt = self.conn.prepare_cached(&sql).context("finding notes by theme")?;
        stmt.query_map(params_from_iter(values), |r| {
            Ok(ThemeMatch { key: NoteKey(r.get(0)?), confidence: r.get(1)?, confirmed: r.get(2)? })
        })
        .and_then(Iterator::collect)
        .context("finding notes by theme")
    }

    /// Notes in scope, newest first: what a search of filters alone (`person:`, `from:`) lists.
    pub fn notes_in_scope(&self, scope: &SearchScope, limit: usize) -> Result<Vec<NoteKey>, Error> {
        let (conditions, mut values) = scope.sql();
        let sql = format!(
            "SELECT i.key FROM note_index i WHERE 1{conditions}
             ORDER BY i.date IS NULL, i.date DESC, i.key DESC LIMIT ?"
        );
        values.push(i64::try_from(limit).unwrap_or(i64::MAX).into());
        let mut stmt = self.conn.prepare_cached(&sql).context("listing notes")?;
        stmt.query_map(params_from_iter(values), |r| Ok(NoteKey(r.get(0)?)))
            .and_then(Iterator::collect)
            .context("listing notes")
    }

    /// A value kept in the derived cache under `key`.
    pub fn derived(&self, key: &str) -> Result<Option<Vec<u8>>, Error> {
        self.conn
            .query_row("SELECT value FROM derived_cache WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .context("reading the derived cache")
    }

    /// Keeps `value` under `key`, dropping what was kept under other keys with the same `kind`
    /// prefix (the values an older model or taxonomy made).
    pub fn set_derived(&mut self, kind: &str, key: &str, value: &[u8]) -> Result<(), Error> {
        let tx = self.conn.transaction().context("writing the derived cache")?;
        tx.execute("DELETE FROM derived_cache WHERE substr(key, 1, length(?1)) = ?1", [kind])
            .context("writing the derived cache")?;
        tx.execute("INSERT INTO derived_cache(key, value) VALUES (?1, ?2)", params![key, value])
            .context("writing the derived cache")?;
        tx.commit().context("writing the derived cache")
    }

    /// Every stored piece vector, for the in-memory vector index.
    pub fn note_vectors(&self) -> Result<Vec<StoredVector>, Error> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT v.key, i.subject, i.date, v.start, v.end, v.vector FROM note_vectors v
                 JOIN note_index i ON i.key = v.key ORDER BY v.key, v.idx",
            )
            .context("reading note vectors")?;
        stmt.query_map([], |r| {
            Ok(StoredVector {
                key: NoteKey(r.get(0)?),
                subject: r.get(1)?,
                date: r.get(2)?,
                piece: NotePiece { start: r.get(3)?, end: r.get(4)?, vector: r.get(5)? },
            })
        })
        .and_then(Iterator::collect)
        .context("reading note vectors")
    }

    /// The notes behind index keys.
    pub fn notes_for_keys(&self, keys: &[NoteKey]) -> Result<HashMap<NoteKey, NoteId>, Error> {
        let mut found = HashMap::with_capacity(keys.len());
        for &key in keys {
            if let Some(id) = note_for_key(&self.conn, key)? {
                found.insert(key, id);
            }
        }
        Ok(found)
    }
}

/// An expression limited to the note text (not the `who` column).
fn in_text(expression: &str) -> String {
    format!("text : ({expression})")
}

fn hex_lower(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn key_for_note(conn: &rusqlite::Connection, note: NoteId) -> Result<Option<NoteKey>, Error> {
    conn.prepare_cached("SELECT key FROM note_index WHERE note = ?1")
        .and_then(|mut s| s.query_row([note], |r| r.get(0).map(NoteKey)).optional())
        .context("reading the search index")
}

fn note_for_key(conn: &rusqlite::Connection, key: NoteKey) -> Result<Option<NoteId>, Error> {
    conn.prepare_cached("SELECT note FROM note_index WHERE key = ?1")
        .and_then(|mut s| s.query_row([key.0], |r| r.get(0)).optional())
        .context("reading the search index")
}

/// Replaces the tagger's proposals for a note, keeping the practitioner's confirmations and
/// rejections.
fn replace_proposed_tags(
    tx: &Transaction<'_>,
    note: NoteId,
    tags: &[ThemeTag],
) -> Result<(), Error> {
    let reviewed: HashMap<String, TagReview> = tx
        .prepare_cached("SELECT theme, review FROM theme_tags WHERE note = ?1")
        .and_then(|mut s| {
            s.query_map([note], |r| Ok((r.get(0)?, r.get(1)?))).and_then(Iterator::collect)
        })
        .context("reading a note's tags")?;
    tx.execute("DELETE FROM theme_tags WHERE note = ?1 AND review = 'proposed'", [note])
        .context("replacing a note's tags")?;
    let mut insert = tx
        .prepare_cached(
            "INSERT INTO theme_tags(note, theme, confidence, evidence, review)
             VALUES (?1, ?2, ?3, ?4, 'proposed')
             ON CONFLICT(note, theme) DO UPDATE SET evidence = excluded.evidence
                 WHERE theme_tags.review = 'confirmed'",
        )
        .context("replacing a note's tags")?;
    for tag in tags {
        if reviewed.get(&tag.theme.0) == Some(&TagReview::Rejected) {
            continue;
        }
        let evidence = serde_json::to_string(&tag.evidence)
            .map_err(|source| Error::Encode { what: "a tag's evidence", source })?;
        insert
            .execute(params![note, tag.theme.0, tag.confidence, evidence])
            .context("replacing a note's tags")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
