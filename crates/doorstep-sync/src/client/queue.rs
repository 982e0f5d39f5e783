//! Sealing what no envelope carries yet into the outbox.
//!
//! The store says what is unshared: people not yet sent (field by field) and fields of people
//! edited here, notes holding a change made here (a new
//! note, or an edit, own words marked, an approval: each a new version of the note), and people's
//! ecomap changes confirmed here. Each is sealed into its own envelope, stamped with this device's
//! clock, and queued with what it carries recorded as shared in one transaction, so a crash queues
//! all of a round or none of it and nothing is sealed twice. People go first, so a device that
//! pulls a note or an ecomap always has the person it is about; notes go before ecomaps.
//!
//! A version's stamp is the clock when it is sealed. The clock has seen every record this device
//! pulled, and a round seals before it pulls, so a change made after seeing another device's
//! version is always later than it; changes made without seeing each other are ordered by the
//! clock, the same way on every device.
//!
//! Recordings are queued after the round's text, in pieces ([`queue_recordings`]), once their
//! note has been: the outbox sends every text envelope before any audio.

use std::path::Path;

use doorstep_core::ids::{DeviceId, RecordingId};
use doorstep_core::keys::{SecretKey, SyncKey};
use doorstep_core::model::Note;
use doorstep_core::sealed::read_sealed;
use doorstep_core::store::{
    AudioPart, Carries, ChangeStamp, Outgoing, SealedEcomap, SealedNote, SealedPersonField, Store,
    SyncClock,
};
use doorstep_wire::Hlc;
use uuid::Uuid;

use super::error::SyncError;
use crate::record::{
    AudioPiece, Change, EcomapChange, NoteVersion, PersonFieldChange, PlainRecord, RejectionsChange,
};
use crate::replica::Stamp;

/// Seals every unshared person, note version and ecomap change into the outbox; returns how many
/// envelopes were queued.
pub fn queue_unshared(
    store: &mut Store,
    key: &SyncKey,
    device: DeviceId,
    clock: &mut Hlc,
) -> Result<usize, SyncError> {
    let people = store.person_fields_to_share()?;
    let notes = store.unshared_notes()?;
    let ecomaps = store.staged_ecomaps()?;
    let rejections = store.unshared_rejections()?;
    if people.is_empty() && notes.is_empty() && ecomaps.is_empty() && rejections.is_empty() {
        return Ok(0);
    }
    let mut sealer = Sealer { key, device, clock, outgoing: Vec::new() };
    for field in people {
        let change = Change::PersonField(PersonFieldChange {
            person: field.person,
            field: field.field.into(),
            value: field.value.clone(),
        });
        sealer.seal(change, |stamp| Carries::PersonField(SealedPersonField { stamp, field }))?;
    }
    for note in notes {
        let change = Change::Note(version_of(&note));
        sealer.seal(change, |stamp| Carries::Note(SealedNote::of(note, stamp, device)))?;
    }
    for staged in ecomaps {
        let change = Change::Ecomap(EcomapChange {
            person: staged.person,
            elements: staged.elements.clone(),
        });
        sealer.seal(change, |stamp| Carries::Ecomap(SealedEcomap { stamp, staged }))?;
    }
    for person in rejections {
        let change = Change::Rejections(RejectionsChange {
            person: person.person,
            rejections: person.rejections.clone(),
        });
        sealer.seal(change, |_| Carries::Rejections(person))?;
    }
    let Sealer { outgoing, clock, .. } = sealer;
    store.queue_outgoing(&outgoing)?;
    store.set_sync_clock(SyncClock { wall_ms: clock.wall_ms, counter: clock.counter })?;
    Ok(outgoing.len())
}

/// What queueing recordings did.
#[derive(Debug, Default)]
pub(super) struct QueuedAudio {
    /// Pieces sealed into the outbox.
    pub pieces: usize,
    /// Recordings whose sealed file could not be read, with why; tried again next time.
    pub unreadable: Vec<(RecordingId, String)>,
}

/// Seals the audio of every recording whose note has been shared into pieces in the outbox,
/// one recording per transaction, after the text (see [`doorstep_core::store::AudioPart`]).
pub(super) fn queue_recordings(
    store: &mut Store,
    sync_key: &SyncKey,
    files: &Files<'_>,
    device: DeviceId,
    clock: &mut Hlc,
) -> Result<QueuedAudio, SyncError> {
    let mut queued = QueuedAudio::default();
    for recording in store.unshared_recordings()? {
        let Some(note) = recording.note else { continue };
        let audio = match read_sealed(&recording.path(files.dir), files.key) {
            Ok(unsealed) => unsealed.concat(),
            Err(error) => {
                queued.unreadable.push((recording.id, error.to_string()));
                continue;
            }
        };
        let mut sealer = Sealer { key: sync_key, device, clock: &mut *clock, outgoing: Vec::new() };
        for part in AudioPart::split(&recording, note, &audio) {
            sealer.seal(Change::Audio(AudioPiece::from_part(&part)), |_| {
                Carries::Audio(recording.id)
            })?;
        }
        let outgoing = sealer.outgoing;
        store.queue_outgoing(&outgoing)?;
        store.set_sync_clock(SyncClock { wall_ms: clock.wall_ms, counter: clock.counter })?;
        queued.pieces += outgoing.len();
    }
    Ok(queued)
}

/// Where this device keeps its sealed files, and their key.
pub(super) struct Files<'a> {
    pub dir: &'a Path,
    pub key: &'a SecretKey,
}

/// Seals changes one by one on this device's clock.
struct Sealer<'a> {
    key: &'a SyncKey,
    device: DeviceId,
    clock: &'a mut Hlc,
    outgoing: Vec<Outgoing>,
}

impl Sealer<'_> {
    /// Seals `change` with a fresh id and the next tick; `carries` says what it carries, given
    /// the stamp it was sealed with.
    fn seal(
        &mut self,
        change: Change,
        carries: impl FnOnce(ChangeStamp) -> Carries,
    ) -> Result<(), SyncError> {
        *self.clock = self.clock.tick(now_ms());
        let plain =
            PlainRecord { id: Uuid::now_v7(), author: self.device, hlc: *self.clock, change };
        let envelope = crate::seal(&plain, self.key)?;
        let json = serde_json::to_string(&envelope).map_err(|e| SyncError::BadReply {
            what: "encoding an envelope",
            detail: e.to_string(),
        })?;
        let carries = carries(Stamp::of(&plain).into());
        self.outgoing.push(Outgoing {
            id: envelope.id,
            kind: envelope.kind,
            envelope: json,
            carries,
        });
        Ok(())
    }
}

/// The whole note as one version.
fn version_of(note: &Note) -> NoteVersion {
    NoteVersion {
        note: note.id,
        subject: note.subject,
        text: note.text.clone(),
        date: note.date,
        service: note.service.clone(),
        author: Some(note.author.clone()),
        own_words: Some(note.own_words.clone()),
        status: Some(note.status.clone()),
        source: Some(note.source.clone()),
    }
}

/// Milliseconds since the Unix epoch; a clock set before 1970 reads as 0 (the hybrid clock
/// still moves forward).
pub(super) fn now_ms() -> u64 {
    u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap_or(0)
}
