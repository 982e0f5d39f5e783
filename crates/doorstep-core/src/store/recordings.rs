//! Recordings: the row for each sealed audio file under `files/`.
//!
//! The row is written before capture starts, in state `recording`, so a recording cut short by a
//! crash is still known on the next start, which recovers its audio and marks it `recovered`.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, params};
use serde::Serialize;

use super::Store;
use crate::error::{Error, SqlContext};
use crate::ids::{NoteId, RecordingId};
use crate::model::open_enum;

/// Where recordings live, under the data directory's `files/`.
pub const RECORDINGS_DIR: &str = "recordings";

open_enum!(
    /// Where a recording is in its life; `deleted` once the retention setting removed its audio.
    RecordingState {
        Recording => "recording",
        Finished => "finished",
        Recovered => "recovered",
        Deleted => "deleted",
    }
);

/// One recording's row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recording {
    pub id: RecordingId,
    /// The sealed file, relative to the data directory's `files/`.
    pub file: String,
    pub sample_rate: u32,
    pub started_at: DateTime<Utc>,
    /// Known once the recording is finished or recovered.
    pub duration_ms: Option<u64>,
    pub state: RecordingState,
    /// The note made from it, once there is one.
    pub note: Option<NoteId>,
}

impl Recording {
    /// The sealed file's path under `files_dir`.
    pub fn path(&self, files_dir: &Path) -> PathBuf {
        files_dir.join(&self.file)
    }
}

const COLUMNS: &str = "id, file, sample_rate, started_at, duration_ms, state, note";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Recording> {
    Ok(Recording {
        id: row.get(0)?,
        file: row.get(1)?,
        sample_rate: row.get(2)?,
        started_at: row.get(3)?,
        duration_ms: row.get(4)?,
        state: row.get(5)?,
        note: row.get(6)?,
    })
}

impl Store {
    /// Writes the row of a recording about to start, in state `recording`; its file is
    /// `recordings/<id>.dsr` under `files/`.
    pub fn start_recording(&mut self, sample_rate: u32) -> Result<Recording, Error> {
        let id = RecordingId::new();
        let file = format!("{RECORDINGS_DIR}/{id}.dsr");
        self.conn
            .execute(
                "INSERT INTO recordings(id, file, sample_rate, started_at, state)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, file, sample_rate, Utc::now(), RecordingState::Recording],
            )
            .context("adding a recording")?;
        self.recording(id)?.ok_or(Error::Sql {
            context: "adding a recording",
            source: rusqlite::Error::QueryReturnedNoRows,
        })
    }

    pub fn recording(&self, id: RecordingId) -> Result<Option<Recording>, Error> {
        self.conn
            .query_row(&format!("SELECT {COLUMNS} FROM recordings WHERE id = ?1"), [id], from_row)
            .optional()
            .context("reading a recording")
    }

    /// Every recording, newest first.
    pub fn recordings(&self) -> Result<Vec<Recording>, Error> {
        self.recordings_where("1")
    }

    /// Recordings still in state `recording`: cut short by a crash unless one is being captured
    /// right now by another process.
    pub fn unfinished_recordings(&self) -> Result<Vec<Recording>, Error> {
        self.recordings_where("state = 'recording'")
    }

    fn recordings_where(&self, condition: &'static str) -> Result<Vec<Recording>, Error> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {COLUMNS} FROM recordings WHERE {condition} ORDER BY started_at DESC, id DESC"
            ))
            .context("listing recordings")?;
        stmt.query_map([], from_row).and_then(Iterator::collect).context("listing recordings")
    }

    /// Marks a recording in progress `finished` with its length. `None` if no recording in
    /// progress has that id.
    pub fn finish_recording(
        &mut self,
        id: RecordingId,
        duration_ms: u64,
    ) -> Result<Option<Recording>, Error> {
        self.end_recording(id, duration_ms, &RecordingState::Finished)
    }

    /// Marks a recording cut short by a crash `recovered`, with the length of the audio that
    /// survived. `None` if no recording in progress has that id.
    pub fn recover_recording(
        &mut self,
        id: RecordingId,
        duration_ms: u64,
    ) -> Result<Option<Recording>, Error> {
        self.end_recording(id, duration_ms, &RecordingState::Recovered)
    }

    fn end_recording(
        &mut self,
        id: RecordingId,
        duration_ms: u64,
        state: &RecordingState,
    ) -> Result<Option<Recording>, Error> {
        let changed = self
            .conn
            .execute(
                "UPDATE recordings SET duration_ms = ?2, state = ?3
                 WHERE id = ?1 AND state = 'recording'",
                params![id, duration_ms, state],
            )
            .context("ending a recording")?;
        if changed == 0 {
            return Ok(None);
        }
        self.recording(id)
    }

    /// The recording a note was made from, if it has one.
    pub fn recording_of_note(&self, note: NoteId) -> Result<Option<Recording>, Error> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM recordings WHERE note = ?1 ORDER BY started_at"),
                [note],
                from_row,
            )
            .optional()
            .context("reading a note's recording")
    }

    /// Removes the row of a recording that never started (its device could not be opened). A
    /// recording that holds audio is never removed this way: `false` if `id` is not in progress.
    pub fn discard_recording(&mut self, id: RecordingId) -> Result<bool, Error> {
        let removed = self
            .conn
            .execute("DELETE FROM recordings WHERE id = ?1 AND state = 'recording'", [id])
            .context("discarding a recording")?;
        Ok(removed > 0)
    }

    /// Links a recording to the note made from it (or unlinks it with `None`). `None` if there
    /// is no such recording.
    pub fn link_recording_to_note(
        &mut self,
        id: RecordingId,
        note: Option<NoteId>,
    ) -> Result<Option<Recording>, Error> {
        if let Some(note) = note {
            self.note(note)?;
        }
        let changed = self
            .conn
            .execute("UPDATE recordings SET note = ?2 WHERE id = ?1", params![id, note])
            .context("linking a recording to its note")?;
        if changed == 0 {
            return Ok(None);
        }
        self.recording(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{NewNote, NewPerson, NoteSource};
    use crate::store::test_support::scratch_store as store;

    #[test]
    fn a_recording_goes_from_recording_to_finished() {
        let (_dir, mut store) = store();
        let started = store.start_recording(16_000).unwrap();
        assert_eq!(started.state, RecordingState::Recording);
        assert_eq!(started.file, format!("recordings/{}.dsr", started.id));
        assert_eq!(
            started.path(Path::new("/data/files")),
            Path::new("/data/files").join(&started.file)
        );
        assert_eq!(started.duration_ms, None);
        assert_eq!(store.unfinished_recordings().unwrap(), std::slice::from_ref(&started));

        let finished = store.finish_recording(started.id, 61_250).unwrap().unwrap();
        assert_eq!(finished.state, RecordingState::Finished);
        assert_eq!(finished.duration_ms, Some(61_250));
        assert!(store.unfinished_recordings().unwrap().is_empty());
        assert_eq!(store.finish_recording(started.id, 1).unwrap(), None, "finished once only");
        assert_eq!(store.recover_recording(started.id, 1).unwrap(), None);
        assert!(!store.discard_recording(started.id).unwrap(), "audio is never discarded");
        assert_eq!(store.recordings().unwrap(), [finished]);
    }

    #[test]
    fn crashed_recordings_are_listed_recovered_or_discarded() {
        let (_dir, mut store) = store();
        let crashed = store.start_recording(16_000).unwrap();
        let never_started = store.start_recording(16_000).unwrap();
        assert_eq!(store.unfinished_recordings().unwrap().len(), 2);
        assert!(store.discard_recording(never_started.id).unwrap());
        let recovered = store.recover_recording(crashed.id, 4_000).unwrap().unwrap();
        assert_eq!(recovered.state, RecordingState::Recovered);
        assert_eq!(recovered.duration_ms, Some(4_000));
        assert!(store.unfinished_recordings().unwrap().is_empty());
        assert_eq!(store.recordings().unwrap(), [recovered]);
        assert_eq!(store.recording(never_started.id).unwrap(), None);
    }

    #[test]
    fn a_recording_links_to_its_note() {
        let (_dir, mut store) = store();
        let person = store
            .add_person(&NewPerson { name: "Ann Lee".into(), ..NewPerson::default() })
            .unwrap();
        let note = store
            .add_note(NewNote {
                subject: person.id,
                visit: None,
                date: None,
                service: None,
                text: "Visited Ann.".into(),
                source: NoteSource::Voice,
                author: "Sam".into(),
                external_id: None,
            })
            .unwrap();
        let recording = store.start_recording(16_000).unwrap();
        let linked = store.link_recording_to_note(recording.id, Some(note.id)).unwrap().unwrap();
        assert_eq!(linked.note, Some(note.id));
        assert!(store.link_recording_to_note(recording.id, Some(NoteId::new())).is_err());
        assert_eq!(store.link_recording_to_note(RecordingId::new(), None).unwrap(), None);
        let unlinked = store.link_recording_to_note(recording.id, None).unwrap().unwrap();
        assert_eq!(unlinked.note, None);
    }
}
