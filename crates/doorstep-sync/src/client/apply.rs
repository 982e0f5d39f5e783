//! Taking in one pulled envelope: open it, fold its record into the store, or set it aside.
//!
//! A version of a note joins the note's history (the note is added with its own id if it is not
//! here) and the note shows the latest version; a person not yet here is added with their id and
//! name, and each of a person's fields and each ecomap element is merged on its own, the later
//! write winning. Replays change nothing.
//!
//! An envelope that does not open (tampered, sealed under another key, a kind or key format of
//! a newer version) or whose record the store refuses (a note about a person not here) is set
//! aside in the store's quarantine with the reason, instead of failing the sync: otherwise it
//! would stop every later pull at its cursor for good. Each sync tries the quarantine again.
//! Only a store that fails to work (disk full, busy) fails the sync, before the cursor moves.
//!
//! A piece of a recording is kept until the recording's other pieces come (`store::sync::audio`).

use doorstep_core::keys::SyncKey;
use doorstep_core::model::{NoteSource, NoteStatus, find_quoted_spans};
use doorstep_core::store::{ChangeStamp, NoteRevision, PersonRejections, ReceivedNote, Store};
use doorstep_wire::{Envelope, Hlc, Stored};
use serde::Serialize;
use uuid::Uuid;

use super::error::SyncError;
use super::queue::now_ms;
use crate::OpenError;
use crate::record::{Change, NoteVersion, PlainRecord};
use crate::replica::Stamp;

/// What became of one pulled envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Received {
    /// Its record changed the store.
    Applied,
    /// Its record was here already (a replay, or a kind not applied yet).
    AlreadyHere,
    /// Set aside, for this reason.
    SetAside(String),
}

/// A pulled envelope set aside this round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SetAside {
    pub id: Uuid,
    /// Why, without record content.
    pub reason: String,
}

/// Opens `stored` and applies it, or sets it aside (see the module docs). The clock observes
/// only envelopes that opened: an unauthenticated clock must not move this device's.
pub(super) fn receive(
    store: &mut Store,
    key: &SyncKey,
    stored: &Stored,
    clock: &mut Hlc,
) -> Result<Received, SyncError> {
    let envelope = &stored.envelope;
    let outcome = match crate::open(envelope, key) {
        Err(OpenError::Random(e)) => return Err(SyncError::Open(OpenError::Random(e))),
        Err(error) => Err(error.to_string()),
        Ok(record) => {
            *clock = clock.observe(&envelope.hlc, now_ms());
            match apply(store, &record) {
                Ok(true) => Ok(Received::Applied),
                Ok(false) => Ok(Received::AlreadyHere),
                Err(SyncError::Store(error)) if error.is_refusal() => Err(format!(
                    "envelope {} opened, but this device cannot take its {} record: {error}",
                    envelope.id, envelope.kind
                )),
                Err(error) => return Err(error),
            }
        }
    };
    match outcome {
        Ok(received) => Ok(received),
        Err(reason) => {
            store.quarantine(envelope.id, stored.cursor, &wire_json(envelope)?, &reason)?;
            Ok(Received::SetAside(reason))
        }
    }
}

/// Tries every envelope in quarantine again; returns how many were applied or found already
/// here, and so released.
pub(super) fn retry_quarantined(
    store: &mut Store,
    key: &SyncKey,
    clock: &mut Hlc,
) -> Result<usize, SyncError> {
    let mut released = 0;
    for held in store.quarantined()? {
        let envelope: Envelope = match serde_json::from_str(&held.envelope) {
            Ok(envelope) => envelope,
            // Stored by this code from a decoded envelope; left as it is if it ever fails.
            Err(_) => continue,
        };
        let stored = Stored { cursor: held.cursor, envelope };
        match receive(store, key, &stored, clock)? {
            // Still failing: `receive` has updated its reason.
            Received::SetAside(_) => {}
            Received::Applied | Received::AlreadyHere => {
                store.release(held.id)?;
                released += 1;
            }
        }
    }
    Ok(released)
}

fn wire_json(envelope: &Envelope) -> Result<String, SyncError> {
    serde_json::to_string(envelope).map_err(|e| SyncError::BadReply {
        what: "keeping an envelope set aside",
        detail: e.to_string(),
    })
}

/// Applies one opened record; returns whether the store changed.
fn apply(store: &mut Store, record: &PlainRecord) -> Result<bool, SyncError> {
    let stamp = ChangeStamp::from(Stamp::of(record));
    match &record.change {
        Change::Note(version) => Ok(store.receive_note_version(&received(record, version, stamp))?),
        Change::PersonField(change) => Ok(store.receive_person_field(
            record.id,
            change.person,
            &change.field,
            change.value.as_deref(),
            stamp,
        )?),
        Change::Ecomap(change) => {
            Ok(store.receive_ecomap(stamp, change.person, &change.elements)?)
        }
        Change::Rejections(change) => Ok(store.receive_rejections(&PersonRejections {
            person: change.person,
            rejections: change.rejections.clone(),
        })?),
        Change::Audio(piece) => {
            let part = piece
                .to_part()
                .map_err(|e| SyncError::Store(doorstep_core::Error::BadRecord(e.to_string())))?;
            Ok(store.receive_audio_part(record.id, &part)?)
        }
    }
}

/// A note version as the store takes it in; what a version sealed before edits travelled lacks
/// reads as the note was then (a typed draft whose own words are its quotations).
fn received(record: &PlainRecord, version: &NoteVersion, stamp: ChangeStamp) -> ReceivedNote {
    ReceivedNote {
        id: version.note,
        subject: version.subject,
        date: version.date,
        service: version.service.clone(),
        source: version.source.clone().unwrap_or(NoteSource::Typed),
        author: version.author.clone().unwrap_or_else(|| format!("device {}", record.author)),
        version: NoteRevision {
            stamp,
            author: record.author,
            text: version.text.clone(),
            own_words: version
                .own_words
                .clone()
                .unwrap_or_else(|| find_quoted_spans(&version.text)),
            status: version.status.clone().unwrap_or(NoteStatus::Draft),
        },
    }
}

#[cfg(test)]
mod tests {
    use doorstep_core::ids::{DeviceId, NoteId, PersonId};
    use doorstep_core::keys::DataKey;
    use doorstep_core::store::Keying;

    use super::*;
    use crate::record::PersonFieldChange;

    fn stored(
        cursor: u64,
        author: DeviceId,
        wall_ms: u64,
        change: Change,
        key: &SyncKey,
    ) -> Stored {
        let hlc = Hlc { wall_ms, counter: 0, device: *author.as_uuid() };
        let record = PlainRecord { id: Uuid::now_v7(), author, hlc, change };
        Stored { cursor, envelope: crate::seal(&record, key).unwrap() }
    }

    #[test]
    fn what_cannot_be_taken_in_is_set_aside_and_released_once_it_can() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::create(&dir.path().join("s.db"), &Keying::Unencrypted).unwrap();
        let key = DataKey::generate().unwrap().sync_key();
        let (author, person, note) = (DeviceId::new(), PersonId::new(), NoteId::new());
        let mut clock = Hlc { wall_ms: 10, counter: 0, device: *DeviceId::new().as_uuid() };

        // A note about a person not here yet: set aside, named, not applied.
        let text = "Met at the library.".to_owned();
        let version = NoteVersion::new(note, person, text);
        let early = stored(1, author, 100, Change::Note(version), &key);
        let Received::SetAside(reason) = receive(&mut store, &key, &early, &mut clock).unwrap()
        else {
            panic!("applied a note about nobody");
        };
        assert!(reason.contains("cannot take its note record"), "{reason}");
        assert_eq!(store.quarantined_count().unwrap(), 1);

        // A tampered envelope with a clock far ahead: set aside, and the clock is not moved.
        let mut tampered = stored(
            2,
            author,
            u64::MAX / 4,
            Change::PersonField(PersonFieldChange {
                person: PersonId::new(),
                field: "name".into(),
                value: Some("Zed".into()),
            }),
            &key,
        );
        tampered.envelope.ciphertext.0[30] ^= 1;
        let before = clock;
        assert!(matches!(
            receive(&mut store, &key, &tampered, &mut clock).unwrap(),
            Received::SetAside(_)
        ));
        assert_eq!(clock, before, "an unauthenticated clock moved this device's");

        // The person arrives; the next retry takes the note in, and the tampered one stays.
        let name = PersonFieldChange { person, field: "name".into(), value: Some("Joan".into()) };
        let later = stored(3, author, 200, Change::PersonField(name), &key);
        assert_eq!(receive(&mut store, &key, &later, &mut clock).unwrap(), Received::Applied);
        assert_eq!(receive(&mut store, &key, &later, &mut clock).unwrap(), Received::AlreadyHere);
        assert_eq!(retry_quarantined(&mut store, &key, &mut clock).unwrap(), 1);
        assert_eq!(store.note(note).unwrap().text, "Met at the library.");
        let held = store.quarantined().unwrap();
        assert_eq!(held.iter().map(|q| q.cursor).collect::<Vec<_>>(), [2]);
        assert_eq!(retry_quarantined(&mut store, &key, &mut clock).unwrap(), 0);
    }
}
