//! Recordings on the move: which recordings made here still have to be sent, and the pieces of
//! other devices' recordings pulled so far.
//!
//! A recording is large and the connection in a lay-by is poor, so it travels as pieces of
//! [`AUDIO_PART_BYTES`], each in an envelope of its own, queued after the text they belong to.
//! An acknowledged piece leaves the outbox, so a dropped push starts again at the first piece
//! the server does not hold; a pulled piece is kept here, so a dropped pull loses nothing either.
//! Once every piece has come, [`Store::assemble_received_audio`] seals them into a file under
//! `files/`, exactly as a recording made on this device, checked against the SHA-256 of the
//! whole, and links it to its note.

use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};
use sha2::{Digest, Sha256};
use uuid::Uuid;
use zeroize::Zeroizing;

use super::super::Store;
use super::super::recordings::{RECORDINGS_DIR, Recording, RecordingState};
use super::mark_shared;
use crate::error::{Error, SqlContext};
use crate::ids::{NoteId, RecordingId};
use crate::keys::SecretKey;
use crate::sealed::write_sealed;

/// The audio bytes one piece carries when sent from here (8 s of 16 kHz 16-bit audio).
pub const AUDIO_PART_BYTES: usize = 256 * 1024;
/// The largest piece taken in: a newer version may send larger ones, within reason.
pub const MAX_AUDIO_PART_BYTES: usize = 4 * AUDIO_PART_BYTES;
/// Recordings (`r`) made here that hold audio of a note, and that no envelope carries yet.
const UNSENT: &str = "r.state IN ('finished', 'recovered') AND r.note IS NOT NULL
    AND r.id NOT IN (SELECT record FROM sync_shared)";

/// The most pieces one recording may have (over 36 hours at the size sent from here).
pub const MAX_AUDIO_PARTS: u32 = 16_384;

/// One piece of a recording, with what the receiver needs to rebuild the whole: every piece
/// repeats it, so the pieces may arrive in any order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AudioPart {
    pub recording: RecordingId,
    pub note: NoteId,
    pub sample_rate: u32,
    pub started_at: DateTime<Utc>,
    pub duration_ms: Option<u64>,
    /// The piece's position, from 0, and how many pieces the recording has.
    pub index: u32,
    pub count: u32,
    /// SHA-256 of the whole recording's audio.
    pub sha256: [u8; 32],
    pub data: Zeroizing<Vec<u8>>,
}

impl AudioPart {
    /// Cuts a recording's audio into pieces, in order.
    pub fn split(recording: &Recording, note: NoteId, audio: &[u8]) -> Vec<AudioPart> {
        let sha256: [u8; 32] = Sha256::digest(audio).into();
        let pieces: Vec<&[u8]> =
            if audio.is_empty() { vec![&[]] } else { audio.chunks(AUDIO_PART_BYTES).collect() };
        let count = u32::try_from(pieces.len()).unwrap_or(u32::MAX);
        pieces
            .into_iter()
            .zip(0..)
            .map(|(data, index)| AudioPart {
                recording: recording.id,
                note,
                sample_rate: recording.sample_rate,
                started_at: recording.started_at,
                duration_ms: recording.duration_ms,
                index,
                count,
                sha256,
                data: Zeroizing::new(data.to_vec()),
            })
            .collect()
    }

    fn check(&self) -> Result<(), Error> {
        let bad = |what: String| Err(Error::BadRecord(format!("a piece of a recording {what}")));
        if self.count == 0 || self.count > MAX_AUDIO_PARTS {
            return bad(format!("claims {} pieces (1 to {MAX_AUDIO_PARTS})", self.count));
        }
        if self.index >= self.count {
            return bad(format!("is numbered {} of {}", self.index, self.count));
        }
        if self.data.len() > MAX_AUDIO_PART_BYTES {
            return bad(format!(
                "holds {} bytes (at most {MAX_AUDIO_PART_BYTES})",
                self.data.len()
            ));
        }
        if !(1_000..=384_000).contains(&self.sample_rate) {
            return bad(format!("has a sample rate of {} Hz", self.sample_rate));
        }
        Ok(())
    }
}

/// What became of a recording whose pieces had all come.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Assembled {
    /// Sealed under `files/` and linked to its note.
    Kept(RecordingId),
    /// Its pieces did not add up to the audio that was sent (SHA-256 differs): dropped.
    Damaged(RecordingId),
}

/// The pieces of a recording pulled so far, for the sync status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomingAudio {
    pub recording: RecordingId,
    pub received: u32,
    pub count: u32,
}

impl Store {
    /// Recordings made here that hold audio and belong to a note already carried by an envelope,
    /// but whose audio no envelope carries yet, oldest first.
    pub fn unshared_recordings(&self) -> Result<Vec<Recording>, Error> {
        let ids: Vec<RecordingId> = self
            .conn
            .prepare(&format!(
                "SELECT r.id FROM recordings r WHERE {UNSENT}
                   AND EXISTS (SELECT 1 FROM note_versions v WHERE v.note = r.note)
                 ORDER BY r.started_at, r.id"
            ))
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
            .context("listing recordings to share")?;
        let mut recordings = Vec::with_capacity(ids.len());
        for id in ids {
            recordings.extend(self.recording(id)?);
        }
        Ok(recordings)
    }

    /// Recordings whose audio no envelope carries yet (queued once their note is).
    pub(super) fn unshared_recording_count(&self) -> Result<u64, Error> {
        self.conn
            .query_row(&format!("SELECT count(*) FROM recordings r WHERE {UNSENT}"), [], |r| {
                r.get(0)
            })
            .context("counting recordings to share")
    }

    /// Keeps a pulled piece of another device's recording. Returns whether it was new: a piece
    /// already here, or of a recording already assembled, changes nothing. A piece that does not
    /// agree with the pieces already here about the whole is refused.
    pub fn receive_audio_part(&mut self, envelope: Uuid, part: &AudioPart) -> Result<bool, Error> {
        part.check()?;
        if self.recording(part.recording)?.is_some() {
            return Ok(false);
        }
        let tx = self.conn.savepoint().context("receiving a piece of a recording")?;
        let known: Option<(u32, NoteId, Vec<u8>)> = tx
            .query_row(
                "SELECT count, note, sha256 FROM sync_audio_parts WHERE recording = ?1 LIMIT 1",
                [part.recording],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .context("receiving a piece of a recording")?;
        if let Some((count, note, sha256)) = known
            && (count != part.count || note != part.note || sha256 != part.sha256)
        {
            return Err(Error::BadRecord(format!(
                "piece {} of recording {} does not match the pieces already received",
                part.index, part.recording
            )));
        }
        let added = tx
            .execute(
                "INSERT INTO sync_audio_parts(recording, idx, count, note, sample_rate, started_at,
                        duration_ms, sha256, envelope, data, received_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                 ON CONFLICT(recording, idx) DO NOTHING",
                params![
                    part.recording,
                    part.index,
                    part.count,
                    part.note,
                    part.sample_rate,
                    part.started_at,
                    part.duration_ms,
                    &part.sha256[..],
                    envelope,
                    part.data.as_slice(),
                    Utc::now(),
                ],
            )
            .context("keeping a piece of a recording")?;
        tx.commit().context("receiving a piece of a recording")?;
        Ok(added == 1)
    }

    /// Other devices' recordings with pieces still to come.
    pub fn incoming_audio(&self) -> Result<Vec<IncomingAudio>, Error> {
        self.conn
            .prepare(
                "SELECT recording, count(*), max(count) FROM sync_audio_parts
                 GROUP BY recording ORDER BY min(received_at)",
            )
            .and_then(|mut s| {
                s.query_map([], |r| {
                    Ok(IncomingAudio {
                        recording: r.get(0)?,
                        received: r.get(1)?,
                        count: r.get(2)?,
                    })
                })?
                .collect()
            })
            .context("listing recordings on their way")
    }

    /// Seals every recording whose pieces have all come (and whose note is here) into
    /// `files_dir`, as a finished recording of its note, and drops its pieces.
    pub fn assemble_received_audio(
        &mut self,
        files_dir: &Path,
        key: &SecretKey,
    ) -> Result<Vec<Assembled>, Error> {
        let complete: Vec<RecordingId> = self
            .conn
            .prepare(
                "SELECT p.recording FROM sync_audio_parts p
                 WHERE EXISTS (SELECT 1 FROM notes n WHERE n.id = p.note)
                 GROUP BY p.recording HAVING count(*) = max(p.count)",
            )
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
            .context("finding recordings received whole")?;
        let mut done = Vec::with_capacity(complete.len());
        for recording in complete {
            done.push(self.assemble(recording, files_dir, key)?);
        }
        Ok(done)
    }

    fn assemble(
        &mut self,
        id: RecordingId,
        files_dir: &Path,
        key: &SecretKey,
    ) -> Result<Assembled, Error> {
        let mut audio = Zeroizing::new(Vec::new());
        let mut first = None;
        {
            let mut stmt = self
                .conn
                .prepare(
                    "SELECT data, note, sample_rate, started_at, duration_ms, sha256, envelope
                     FROM sync_audio_parts WHERE recording = ?1 ORDER BY idx",
                )
                .context("reading a received recording")?;
            let mut rows = stmt.query([id]).context("reading a received recording")?;
            while let Some(row) = rows.next().context("reading a received recording")? {
                let data = Zeroizing::new(row.get::<_, Vec<u8>>(0).context("reading audio")?);
                audio.extend_from_slice(&data);
                if first.is_none() {
                    first = Some(Header {
                        note: row.get(1).context("reading audio")?,
                        sample_rate: row.get(2).context("reading audio")?,
                        started_at: row.get(3).context("reading audio")?,
                        duration_ms: row.get(4).context("reading audio")?,
                        sha256: row.get(5).context("reading audio")?,
                        envelope: row.get(6).context("reading audio")?,
                    });
                }
            }
        }
        let Some(header) = first else {
            return Ok(Assembled::Damaged(id));
        };
        if Sha256::digest(audio.as_slice()).as_slice() != header.sha256.as_slice() {
            self.drop_parts(id)?;
            return Ok(Assembled::Damaged(id));
        }
        let file = format!("{RECORDINGS_DIR}/{id}.dsr");
        let path = files_dir.join(&file);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| Error::Io {
                action: "creating the recordings folder",
                path: dir.to_owned(),
                source,
            })?;
        }
        // Left by an assembly a crash stopped before the row below was written.
        if path.exists() {
            std::fs::remove_file(&path).map_err(|source| Error::Io {
                action: "replacing an unfinished received recording",
                path: path.clone(),
                source,
            })?;
        }
        write_sealed(&path, key, &audio)?;
        let tx = self.conn.transaction().context("keeping a received recording")?;
        tx.execute(
            "INSERT INTO recordings(id, file, sample_rate, started_at, duration_ms, state, note)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                id,
                file,
                header.sample_rate,
                header.started_at,
                header.duration_ms,
                RecordingState::Finished,
                header.note
            ],
        )
        .context("keeping a received recording")?;
        mark_shared(&tx, *id.as_uuid(), "audio", header.envelope)?;
        tx.execute("DELETE FROM sync_audio_parts WHERE recording = ?1", [id])
            .context("keeping a received recording")?;
        tx.commit().context("keeping a received recording")?;
        Ok(Assembled::Kept(id))
    }

    fn drop_parts(&mut self, id: RecordingId) -> Result<(), Error> {
        self.conn
            .execute("DELETE FROM sync_audio_parts WHERE recording = ?1", [id])
            .context("dropping a damaged received recording")?;
        Ok(())
    }
}

/// What every piece of a recording repeats.
struct Header {
    note: NoteId,
    sample_rate: u32,
    started_at: DateTime<Utc>,
    duration_ms: Option<u64>,
    sha256: Vec<u8>,
    envelope: Uuid,
}

#[cfg(test)]
mod tests {
    use super::super::tests::{new_note, sealed};
    use super::*;
    use crate::ids::DeviceId;
    use crate::keys::DataKey;
    use crate::model::{NoteSource, NoteStatus};
    use crate::sealed::read_sealed;
    use crate::store::test_support::{add_person, scratch_store};
    use crate::store::{Carries, ChangeStamp, NoteRevision, Outgoing, ReceivedNote};

    fn audio(len: usize) -> Vec<u8> {
        (0..len).map(|i| u8::try_from((i * 7 + i / 251) % 256).unwrap()).collect()
    }

    fn receive_note(store: &mut Store, note: NoteId, subject: crate::ids::PersonId) {
        let stamp =
            ChangeStamp { wall_ms: 5, counter: 0, device: Uuid::now_v7(), record: Uuid::now_v7() };
        let received = ReceivedNote {
            id: note,
            subject,
            date: None,
            service: None,
            source: NoteSource::Voice,
            author: "Sam".into(),
            version: NoteRevision {
                stamp,
                author: DeviceId::new(),
                text: "Voice note.".into(),
                own_words: Vec::new(),
                status: NoteStatus::Draft,
            },
        };
        assert!(store.receive_note_version(&received).unwrap());
    }

    #[test]
    fn a_recording_is_sent_once_its_note_is_and_rebuilt_from_pieces_in_any_order() {
        let key = DataKey::from_bytes([3u8; 32]).file_key();
        let (dir, mut a) = scratch_store();
        let files = dir.path().join("files");
        std::fs::create_dir_all(files.join(RECORDINGS_DIR)).unwrap();
        let person = add_person(&mut a, "Joan Platt");
        let note = a.add_note(new_note(person, "Voice note.")).unwrap();
        let recording = a.start_recording(16_000).unwrap();
        let sound = audio(2 * AUDIO_PART_BYTES + 1000);
        write_sealed(&recording.path(&files), &key, &sound).unwrap();
        a.finish_recording(recording.id, 20_000).unwrap();
        let recording = a.link_recording_to_note(recording.id, Some(note.id)).unwrap().unwrap();
        assert!(a.unshared_recordings().unwrap().is_empty(), "sent before its note");
        assert_eq!(a.unshared_recording_count().unwrap(), 1);

        let device = DeviceId::new();
        let sealed_note = sealed(&note, device, 10);
        let note_id = Uuid::now_v7();
        let queued = Outgoing {
            id: note_id,
            kind: "note".into(),
            envelope: "{}".into(),
            carries: Carries::Note(sealed_note),
        };
        a.queue_outgoing(&[queued]).unwrap();
        let ready = a.unshared_recordings().unwrap();
        assert_eq!(ready.iter().map(|r| r.id).collect::<Vec<_>>(), [recording.id]);
        let parts = AudioPart::split(&ready[0], note.id, &sound);
        assert_eq!(parts.len(), 3);
        let pieces: Vec<Outgoing> = parts
            .iter()
            .map(|_| Outgoing {
                id: Uuid::now_v7(),
                kind: "audio".into(),
                envelope: "{}".into(),
                carries: Carries::Audio(recording.id),
            })
            .collect();
        a.queue_outgoing(&pieces).unwrap();
        assert!(a.unshared_recordings().unwrap().is_empty());
        assert_eq!(a.outbox_audio_len().unwrap(), 3);
        let kinds: Vec<String> = a.outbox(10).unwrap().into_iter().map(|e| e.kind).collect();
        assert_eq!(kinds, ["note", "audio", "audio", "audio"]);

        // Another device: the pieces come last first, one twice, before the note itself.
        let (other, mut b) = scratch_store();
        let b_files = other.path().join("files");
        for part in parts.iter().rev().chain(&parts[1..2]) {
            b.receive_audio_part(Uuid::now_v7(), part).unwrap();
        }
        let waiting = b.incoming_audio().unwrap();
        assert_eq!((waiting[0].received, waiting[0].count), (3, 3));
        assert!(b.assemble_received_audio(&b_files, &key).unwrap().is_empty(), "no note yet");
        let b_person = add_person(&mut b, "Joan Platt");
        receive_note(&mut b, note.id, b_person);
        let done = b.assemble_received_audio(&b_files, &key).unwrap();
        assert_eq!(done, [Assembled::Kept(recording.id)]);
        let kept = b.recording(recording.id).unwrap().unwrap();
        assert_eq!((kept.note, kept.duration_ms), (Some(note.id), Some(20_000)));
        assert_eq!(read_sealed(&kept.path(&b_files), &key).unwrap().concat().as_slice(), sound);
        assert!(b.incoming_audio().unwrap().is_empty());
        assert!(!b.receive_audio_part(Uuid::now_v7(), &parts[0]).unwrap(), "a replay");
        assert!(b.unshared_recordings().unwrap().is_empty(), "echoed back");
    }

    #[test]
    fn pieces_that_disagree_or_do_not_add_up_are_refused_or_dropped() {
        let key = DataKey::from_bytes([3u8; 32]).file_key();
        let (dir, mut store) = scratch_store();
        let files = dir.path().join("files");
        let person = add_person(&mut store, "Joan Platt");
        let note = store.add_note(new_note(person, "Voice note.")).unwrap();
        let recording = Recording {
            id: RecordingId::new(),
            file: "recordings/elsewhere.dsr".into(),
            sample_rate: 16_000,
            started_at: Utc::now(),
            duration_ms: Some(8_000),
            state: RecordingState::Finished,
            note: Some(note.id),
        };
        let sound = audio(AUDIO_PART_BYTES + 10);
        let parts = AudioPart::split(&recording, note.id, &sound);

        let mut other = parts[1].clone();
        other.count = 3;
        store.receive_audio_part(Uuid::now_v7(), &parts[0]).unwrap();
        let refused = store.receive_audio_part(Uuid::now_v7(), &other).unwrap_err();
        assert!(refused.is_refusal(), "{refused}");
        for bad in [
            AudioPart { index: 2, ..parts[1].clone() },
            AudioPart { count: 0, ..parts[1].clone() },
            AudioPart { sample_rate: 0, ..parts[1].clone() },
            AudioPart {
                data: Zeroizing::new(vec![0; MAX_AUDIO_PART_BYTES + 1]),
                ..parts[1].clone()
            },
        ] {
            let error = store.receive_audio_part(Uuid::now_v7(), &bad).unwrap_err();
            assert!(error.to_string().contains("a piece of a recording"), "{error}");
        }

        let mut altered = parts[1].clone();
        altered.data[0] ^= 1;
        store.receive_audio_part(Uuid::now_v7(), &altered).unwrap();
        let done = store.assemble_received_audio(&files, &key).unwrap();
        assert_eq!(done, [Assembled::Damaged(recording.id)]);
        assert!(store.incoming_audio().unwrap().is_empty());
        assert!(store.recording(recording.id).unwrap().is_none());
    }
}
