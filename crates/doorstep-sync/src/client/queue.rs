//! Sealing what no envelope carries yet into the outbox.
//!
//! The store says which people and notes are unshared; each is sealed into its own envelope,
//! stamped with this device's clock, and queued with its record marked shared in one
//! transaction, so a crash queues all of a round or none of it and nothing is sealed twice.
//! People go first, so a device that pulls a note always has the person it is about.
//!
//! This slice shares a person's name and each note's first version; person fields beyond the
//! name, note edits and ecomaps travel in later slices (the record kinds already exist).

use doorstep_core::ids::DeviceId;
use doorstep_core::keys::SyncKey;
use doorstep_core::store::{Outgoing, Store, SyncClock};
use doorstep_wire::Hlc;
use uuid::Uuid;

use super::error::SyncError;
use crate::record::{Change, NoteVersion, PersonFieldChange, PlainRecord};

/// Seals every unshared person and note into the outbox; returns how many were queued.
pub fn queue_unshared(
    store: &mut Store,
    key: &SyncKey,
    device: DeviceId,
    clock: &mut Hlc,
) -> Result<usize, SyncError> {
    let mut changes: Vec<(Uuid, Change)> = Vec::new();
    for person in store.unshared_people()? {
        changes.push((
            *person.id.as_uuid(),
            Change::PersonField(PersonFieldChange {
                person: person.id,
                field: "name".into(),
                value: Some(person.name),
            }),
        ));
    }
    for note in store.unshared_notes()? {
        changes.push((
            *note.id.as_uuid(),
            Change::Note(NoteVersion {
                note: note.id,
                subject: note.subject,
                text: note.text,
                date: note.date,
                service: note.service,
                author: Some(note.author),
            }),
        ));
    }
    if changes.is_empty() {
        return Ok(0);
    }
    let mut outgoing = Vec::with_capacity(changes.len());
    for (record, change) in changes {
        *clock = clock.tick(now_ms());
        let plain = PlainRecord { id: Uuid::now_v7(), author: device, hlc: *clock, change };
        let envelope = crate::seal(&plain, key)?;
        let json = serde_json::to_string(&envelope).map_err(|e| SyncError::BadReply {
            what: "encoding an envelope",
            detail: e.to_string(),
        })?;
        outgoing.push(Outgoing { id: envelope.id, kind: envelope.kind, envelope: json, record });
    }
    store.queue_outgoing(&outgoing)?;
    store.set_sync_clock(SyncClock { wall_ms: clock.wall_ms, counter: clock.counter })?;
    Ok(outgoing.len())
}

/// Milliseconds since the Unix epoch; a clock set before 1970 reads as 0 (the hybrid clock
/// still moves forward).
pub(super) fn now_ms() -> u64 {
    u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap_or(0)
}
