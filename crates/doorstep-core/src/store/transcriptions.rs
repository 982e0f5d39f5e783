//! Transcriptions in progress, checkpointed window by window so a job killed part way resumes
//! where it stopped; and the voice note a finished transcription becomes.
//!
//! A job is identified by its audio (a hash) and its settings (model, decoding, prompt): the
//! same audio transcribed the same way finds its earlier windows, anything else starts afresh.
//! Window contents are the recogniser's own JSON, opaque here.

use chrono::Utc;
use rusqlite::{OptionalExtension, params};

use super::Store;
use super::notes::{checked_text, insert_note};
use crate::error::{Error, SqlContext};
use crate::ids::{NoteId, RecordingId, TranscriptionJobId};
use crate::model::{NewNote, Note, NoteStatus};

/// A window of a job, as saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedWindow {
    pub index: u32,
    pub start_ms: u64,
    pub end_ms: u64,
    /// The recogniser's segments for the window, as JSON.
    pub segments: String,
}

/// A job found or started, with whatever an earlier run finished.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranscriptionCheckpoint {
    pub job: TranscriptionJobId,
    pub windows: Vec<SavedWindow>,
}

/// A transcript segment of a new voice note.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSegment {
    pub start_ms: u64,
    pub end_ms: u64,
    pub text: String,
    pub confidence: f32,
}

fn to_i64(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

impl Store {
    /// Finds the job for this audio and these settings, or starts one.
    pub fn open_transcription(
        &mut self,
        audio_hash: &[u8; 32],
        settings: &str,
        audio_ms: u64,
    ) -> Result<TranscriptionCheckpoint, Error> {
        let tx = self.conn.transaction().context("starting a transcription")?;
        tx.execute(
            "INSERT INTO transcription_jobs(id, audio_hash, settings, audio_ms, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(audio_hash, settings) DO NOTHING",
            params![
                TranscriptionJobId::new(),
                &audio_hash[..],
                settings,
                to_i64(audio_ms),
                Utc::now()
            ],
        )
        .context("starting a transcription")?;
        let job: TranscriptionJobId = tx
            .query_row(
                "SELECT id FROM transcription_jobs WHERE audio_hash = ?1 AND settings = ?2",
                params![&audio_hash[..], settings],
                |r| r.get(0),
            )
            .context("finding a transcription")?;
        let windows = {
            let mut stmt = tx
                .prepare(
                    "SELECT idx, start_ms, end_ms, segments FROM transcription_windows
                     WHERE job = ?1 ORDER BY idx",
                )
                .context("reading a transcription")?;
            stmt.query_map([job], |r| {
                Ok(SavedWindow {
                    index: r.get(0)?,
                    start_ms: r.get(1)?,
                    end_ms: r.get(2)?,
                    segments: r.get(3)?,
                })
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .context("reading a transcription")?
        };
        tx.commit().context("starting a transcription")?;
        Ok(TranscriptionCheckpoint { job, windows })
    }

    /// Saves a finished window; durable when this returns.
    pub fn save_transcription_window(
        &mut self,
        job: TranscriptionJobId,
        window: &SavedWindow,
    ) -> Result<(), Error> {
        self.conn
            .execute(
                "INSERT OR REPLACE INTO transcription_windows(job, idx, start_ms, end_ms, segments)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    job,
                    window.index,
                    to_i64(window.start_ms),
                    to_i64(window.end_ms),
                    window.segments
                ],
            )
            .context("saving a transcribed window")?;
        Ok(())
    }

    /// Windows saved for `job` so far.
    pub fn transcription_windows_saved(&self, job: TranscriptionJobId) -> Result<usize, Error> {
        self.conn
            .query_row("SELECT count(*) FROM transcription_windows WHERE job = ?1", [job], |r| {
                r.get::<_, i64>(0)
            })
            .map(|n| usize::try_from(n).unwrap_or(0))
            .context("counting transcribed windows")
    }

    /// Adds a draft voice note with its transcript segments, links the recording to it and
    /// closes the job, all at once: a crash leaves either the job to resume or the note.
    pub fn add_voice_note(
        &mut self,
        mut new: NewNote,
        segments: &[NewSegment],
        recording: Option<RecordingId>,
        job: Option<TranscriptionJobId>,
    ) -> Result<Note, Error> {
        new.text = checked_text(&new.text)?.to_owned();
        self.person(new.subject)?;
        let id = NoteId::new();
        let tx = self.conn.transaction().context("adding a voice note")?;
        if !insert_note(&tx, id, &new, &NoteStatus::Draft).context("adding a voice note")? {
            return Err(Error::DuplicateExternalId {
                kind: "note",
                id: new.external_id.unwrap_or_default(),
            });
        }
        let mut search_from = 0;
        for (idx, segment) in segments.iter().enumerate() {
            let text = segment.text.trim();
            let (start, end) = match new.text[search_from..].find(text) {
                Some(at) if !text.is_empty() => {
                    let start_byte = search_from + at;
                    search_from = start_byte + text.len();
                    (
                        new.text[..start_byte].chars().count(),
                        new.text[..search_from].chars().count(),
                    )
                }
                _ => {
                    let at = new.text[..search_from].chars().count();
                    (at, at)
                }
            };
            tx.execute(
                "INSERT INTO transcript_segments(note, idx, start_ms, end_ms, text, span_start,
                     span_end, confidence) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    id,
                    idx,
                    to_i64(segment.start_ms),
                    to_i64(segment.end_ms),
                    text,
                    start,
                    end,
                    f64::from(segment.confidence)
                ],
            )
            .context("adding a transcript segment")?;
        }
        if let Some(recording) = recording {
            tx.execute("UPDATE recordings SET note = ?1 WHERE id = ?2", params![id, recording])
                .context("linking the recording")?;
        }
        if let Some(job) = job {
            tx.execute("DELETE FROM transcription_windows WHERE job = ?1", [job])
                .context("closing the transcription")?;
            tx.execute(
                "UPDATE transcription_jobs SET finished_at = ?1 WHERE id = ?2",
                params![Utc::now(), job],
            )
            .context("closing the transcription")?;
        }
        tx.commit().context("adding a voice note")?;
        self.note(id)
    }

    /// The note an earlier, finished job on the same audio and settings made, if any.
    pub fn finished_transcription(
        &self,
        job: TranscriptionJobId,
    ) -> Result<Option<chrono::DateTime<Utc>>, Error> {
        self.conn
            .query_row("SELECT finished_at FROM transcription_jobs WHERE id = ?1", [job], |r| {
                r.get(0)
            })
            .optional()
            .map(Option::flatten)
            .context("reading a transcription")
    }
}

#[cfg(test)]
mod tests {
    use crate::keys::DataKey;
    use crate::model::{NewPerson, NoteSource};
    use crate::store::{Keying, Store};

    use super::*;

    #[test]
    fn windows_survive_a_reopen_and_a_voice_note_closes_the_job() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("doorstep.db");
        let keying = || Keying::Encrypted(DataKey::from_bytes([3u8; 32]).database_key());
        let hash = [7u8; 32];
        let job = {
            let mut store = Store::create(&path, &keying()).unwrap();
            let cp = store.open_transcription(&hash, "tiny.en greedy", 60_000).unwrap();
            assert!(cp.windows.is_empty());
            let w = SavedWindow { index: 0, start_ms: 0, end_ms: 29_000, segments: "[]".into() };
            store.save_transcription_window(cp.job, &w).unwrap();
            cp.job
        };
        let mut store = Store::open(&path, &keying()).unwrap();
        let again = store.open_transcription(&hash, "tiny.en greedy", 60_000).unwrap();
        assert_eq!(again.job, job);
        assert_eq!(again.windows.len(), 1);
        let other = store.open_transcription(&hash, "base greedy", 60_000).unwrap();
        assert_ne!(other.job, job);
        assert!(other.windows.is_empty());

        let person = store
            .add_person(&NewPerson { name: "Margaret Holt".into(), ..NewPerson::default() })
            .unwrap();
        let segments = [
            NewSegment {
                start_ms: 0,
                end_ms: 2000,
                text: "Visited Margaret.".into(),
                confidence: 0.9,
            },
            NewSegment {
                start_ms: 2000,
                end_ms: 4000,
                text: "She is well.".into(),
                confidence: 0.8,
            },
        ];
        let new = NewNote {
            subject: person.id,
            visit: None,
            date: None,
            service: None,
            text: "Visited Margaret. She is well.".into(),
            source: NoteSource::Voice,
            author: "Sam".into(),
            external_id: None,
        };
        let note = store.add_voice_note(new, &segments, None, Some(job)).unwrap();
        assert_eq!(note.segments.len(), 2);
        assert_eq!((note.segments[1].span.start, note.segments[1].span.end), (18, 30));
        assert_eq!(store.transcription_windows_saved(job).unwrap(), 0);
        assert!(store.finished_transcription(job).unwrap().is_some());
    }
}
