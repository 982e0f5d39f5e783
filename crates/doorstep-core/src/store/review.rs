//! The practitioner's review of a draft note: correcting the text, marking the person's own
//! words, approving it, and what happens to the audio afterwards under the retention setting.
//! Each change leaves the note waiting to be sealed as a new version (`shown_version` emptied),
//! so the next sync carries it to the account's other devices (see `store::sync`).

use std::path::Path;

use chrono::{Duration, Utc};
use rusqlite::{OptionalExtension, params};

use super::Store;
use super::notes::checked_text;
use crate::error::{Error, SqlContext};
use crate::ids::NoteId;
use crate::model::{Note, NoteStatus, TextSpan};

const RETENTION: &str = "retention";

/// How long a voice note's audio is kept once the note is approved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Retention {
    /// Deleted as soon as the practitioner approves the note (the default: the approved text is
    /// the record, and audio of a home visit is the most sensitive thing on the phone).
    #[default]
    DeleteOnApprove,
    /// Kept for 30 days after approval, for checking a quote.
    Keep30Days,
    /// Kept until the practitioner deletes it.
    Keep,
}

impl Retention {
    pub const ALL: [Retention; 3] = [Self::DeleteOnApprove, Self::Keep30Days, Self::Keep];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::DeleteOnApprove => "delete_on_approve",
            Self::Keep30Days => "keep_30_days",
            Self::Keep => "keep",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == text)
    }

    /// How long after approval the audio is kept; `None` for ever.
    fn keep_for(self) -> Option<Duration> {
        match self {
            Self::DeleteOnApprove => Some(Duration::zero()),
            Self::Keep30Days => Some(Duration::days(30)),
            Self::Keep => None,
        }
    }
}

impl Store {
    /// A store-wide setting by name.
    pub fn setting(&self, key: &str) -> Result<Option<String>, Error> {
        self.conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .context("reading settings")
    }

    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<(), Error> {
        self.conn
            .execute(
                "INSERT INTO settings(key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )
            .context("saving settings")?;
        Ok(())
    }

    pub fn retention(&self) -> Result<Retention, Error> {
        Ok(self.setting(RETENTION)?.as_deref().and_then(Retention::parse).unwrap_or_default())
    }

    pub fn set_retention(&mut self, retention: Retention) -> Result<(), Error> {
        self.set_setting(RETENTION, retention.as_str())
    }

    /// Replaces a draft's text with the practitioner's correction. The note is tagged and
    /// embedded again; own-words marks that no longer fit the text are dropped. An approved note
    /// is the record and is not edited in place.
    pub fn edit_note_text(&mut self, id: NoteId, text: &str) -> Result<Note, Error> {
        let note = self.draft(id)?;
        let text = checked_text(text)?;
        let chars = text.chars().count();
        let own_words: Vec<TextSpan> =
            note.own_words.into_iter().filter(|s| s.start < s.end && s.end <= chars).collect();
        self.conn
            .execute(
                "UPDATE notes SET text = ?2, own_words = ?3, edited_at = ?4, shown_version = NULL
                 WHERE id = ?1",
                params![id, text, encode_spans(&own_words)?, Utc::now()],
            )
            .context("saving a note's text")?;
        self.note(id)
    }

    /// Marks which parts of a draft are the person's own words (character ranges of its text),
    /// replacing the marks it had. Overlapping or touching ranges are joined.
    pub fn set_own_words(&mut self, id: NoteId, spans: &[TextSpan]) -> Result<Note, Error> {
        let note = self.draft(id)?;
        let chars = note.text.chars().count();
        if let Some(bad) = spans.iter().find(|s| s.start >= s.end || s.end > chars) {
            return Err(Error::SpanOutsideNote { start: bad.start, end: bad.end, chars });
        }
        let mut spans = spans.to_vec();
        spans.sort_by_key(|s| (s.start, s.end));
        let mut joined: Vec<TextSpan> = Vec::with_capacity(spans.len());
        for span in spans {
            match joined.last_mut() {
                Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
                _ => joined.push(span),
            }
        }
        self.conn
            .execute(
                "UPDATE notes SET own_words = ?2, edited_at = ?3, shown_version = NULL WHERE id = ?1",
                params![id, encode_spans(&joined)?, Utc::now()],
            )
            .context("marking a note's own words")?;
        self.note(id)
    }

    /// Approves a draft: it becomes the record. Approving twice is harmless. Audio the
    /// retention setting no longer keeps is deleted (see [`Store::apply_retention`]).
    pub fn approve_note(&mut self, id: NoteId, files_dir: &Path) -> Result<Note, Error> {
        let note = self.note(id)?;
        if note.status != NoteStatus::Approved {
            self.conn
                .execute(
                    "UPDATE notes SET status = 'approved', edited_at = ?2, shown_version = NULL
                     WHERE id = ?1",
                    params![id, Utc::now()],
                )
                .context("approving a note")?;
        }
        self.apply_retention(files_dir)?;
        self.note(id)
    }

    /// Deletes the audio of approved notes that the retention setting no longer keeps; returns
    /// how many recordings lost their audio. The recording's row stays, marked `deleted`.
    pub fn apply_retention(&mut self, files_dir: &Path) -> Result<usize, Error> {
        let Some(keep_for) = self.retention()?.keep_for() else { return Ok(0) };
        let cutoff = Utc::now() - keep_for;
        let due: Vec<(crate::ids::RecordingId, String)> = self
            .conn
            .prepare(
                "SELECT r.id, r.file FROM recordings r JOIN notes n ON n.id = r.note
                 WHERE n.status = 'approved' AND r.state IN ('finished', 'recovered')
                   AND n.edited_at <= ?1",
            )
            .and_then(|mut s| s.query_map([cutoff], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
            .context("finding audio to delete")?;
        for (id, file) in &due {
            let path = files_dir.join(file);
            match std::fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(source) => return Err(Error::Io { action: "deleting audio", path, source }),
            }
            self.conn
                .execute("UPDATE recordings SET state = 'deleted' WHERE id = ?1", [id])
                .context("marking audio deleted")?;
        }
        Ok(due.len())
    }

    fn draft(&self, id: NoteId) -> Result<Note, Error> {
        let note = self.note(id)?;
        if note.status == NoteStatus::Approved {
            return Err(Error::NoteApproved(id.to_string()));
        }
        Ok(note)
    }
}

fn encode_spans(spans: &[TextSpan]) -> Result<String, Error> {
    serde_json::to_string(spans).map_err(|source| Error::Encode { what: "own words", source })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{NewNote, NewPerson, NoteSource};
    use crate::store::test_support::scratch_store;

    fn draft(store: &mut Store, text: &str) -> Note {
        let person = store
            .add_person(&NewPerson { name: "Joan Platt".into(), ..NewPerson::default() })
            .unwrap();
        store
            .add_note(NewNote {
                subject: person.id,
                visit: None,
                date: None,
                service: None,
                text: text.into(),
                source: NoteSource::Voice,
                author: "Sam".into(),
                external_id: None,
            })
            .unwrap()
    }

    #[test]
    fn a_draft_is_corrected_marked_and_approved_then_cannot_be_edited() {
        let (_dir, mut store) = scratch_store();
        let note = draft(&mut store, "Joan said I am fine on my own.");
        let edited =
            store.edit_note_text(note.id, "Joan said \"I manage fine on my own\".").unwrap();
        assert_eq!(edited.text, "Joan said \"I manage fine on my own\".");
        let marked =
            store.set_own_words(note.id, &[TextSpan::new(11, 20), TextSpan::new(15, 33)]).unwrap();
        assert_eq!(marked.own_words, vec![TextSpan::new(11, 33)]);
        let outside = store.set_own_words(note.id, &[TextSpan::new(30, 90)]);
        assert!(matches!(outside, Err(Error::SpanOutsideNote { .. })), "{outside:?}");
        let approved = store.approve_note(note.id, Path::new("/nonexistent")).unwrap();
        assert_eq!(approved.status, NoteStatus::Approved);
        assert!(matches!(store.edit_note_text(note.id, "other"), Err(Error::NoteApproved(_))));
        assert_eq!(store.note(note.id).unwrap().text, approved.text);
    }

    #[test]
    fn approving_deletes_the_audio_unless_retention_keeps_it() {
        let (dir, mut store) = scratch_store();
        let files = dir.path().join("files");
        std::fs::create_dir_all(files.join("recordings")).unwrap();
        let keep = draft(&mut store, "Kept audio.");
        let gone = draft(&mut store, "Deleted audio.");
        let mut audio = Vec::new();
        for note in [&keep, &gone] {
            let rec = store.start_recording(16_000).unwrap();
            std::fs::write(rec.path(&files), b"sealed").unwrap();
            store.finish_recording(rec.id, 1000).unwrap();
            store.link_recording_to_note(rec.id, Some(note.id)).unwrap();
            audio.push(rec);
        }
        assert_eq!(store.retention().unwrap(), Retention::DeleteOnApprove);
        store.set_retention(Retention::Keep30Days).unwrap();
        store.approve_note(keep.id, &files).unwrap();
        assert!(audio[0].path(&files).exists());
        store.set_retention(Retention::DeleteOnApprove).unwrap();
        store.approve_note(gone.id, &files).unwrap();
        assert!(!audio[1].path(&files).exists());
        assert!(!audio[0].path(&files).exists(), "the retention now in force applies to all");
        let state = store.recording(audio[1].id).unwrap().unwrap().state;
        assert_eq!(state, crate::store::RecordingState::Deleted);
    }
}
