//! The merge: a device's view of the records, built so that every device that has received the
//! same set of records holds the same state, whatever the order, duplication or delay in which
//! they arrived.
//!
//! Each part of the state is a join of its records under a total order, so applying records is
//! commutative, associative and idempotent:
//! - notes are append-only: every version is kept, keyed by its [`Stamp`]; the current version is
//!   the latest. An edit never overwrites, so two devices editing the same note both keep their
//!   words, and the practitioner sees the other version in the history.
//! - a person's fields and an ecomap's elements (each tie, each of its two lists) are
//!   last-writer-wins registers, one per field or element: the change with the greatest stamp
//!   wins. One ecomap record may write several elements, all with its stamp. A delete is a
//!   tombstone (`None`) with its own stamp, so an older write delivered late cannot bring a
//!   deleted value back.
//! - a recording is the grow-only set of its pieces, which never change; a person's rejected
//!   ecomap nodes are a grow-only set too.
//! - a record id already applied is a no-op: replays and retried deliveries change nothing.
//!
//! A stamp is the hybrid logical clock, then the record id: the clock already ends in the device,
//! so two records compare equal only when they are the same record.

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet};

use doorstep_core::ids::{DeviceId, NoteId, PersonId, RecordingId};
use doorstep_core::keys::SyncKey;
use doorstep_core::store::ChangeStamp;
use doorstep_wire::{Envelope, Hlc};
use uuid::Uuid;

use crate::envelope::{OpenError, open};
use crate::record::{AudioPiece, Change, EcomapElement, NoteVersion, PlainRecord};

/// The total order of changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Stamp {
    pub hlc: Hlc,
    pub record: Uuid,
}

impl Stamp {
    pub fn of(record: &PlainRecord) -> Self {
        Self { hlc: record.hlc, record: record.id }
    }
}

/// The same stamp in the store's form, which orders the same way.
impl From<Stamp> for ChangeStamp {
    fn from(stamp: Stamp) -> Self {
        let Hlc { wall_ms, counter, device } = stamp.hlc;
        Self { wall_ms, counter, device, record: stamp.record }
    }
}

/// A last-writer-wins value and the stamp of the change that wrote it.
#[derive(Debug, Clone, PartialEq)]
pub struct Register<T> {
    pub stamp: Stamp,
    pub value: T,
}

/// Keeps the register with the greater stamp.
fn merge<K: Ord, T>(map: &mut BTreeMap<K, Register<T>>, key: K, stamp: Stamp, value: T) {
    match map.entry(key) {
        Entry::Vacant(slot) => {
            slot.insert(Register { stamp, value });
        }
        Entry::Occupied(mut slot) => {
            if stamp > slot.get().stamp {
                slot.insert(Register { stamp, value });
            }
        }
    }
}

/// Every version of one note, oldest first.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NoteHistory {
    versions: BTreeMap<Stamp, (DeviceId, NoteVersion)>,
}

impl NoteHistory {
    /// The latest version by clock.
    pub fn current(&self) -> Option<&NoteVersion> {
        self.versions.values().next_back().map(|(_, version)| version)
    }

    /// All versions, oldest first, with their stamps and authors.
    pub fn versions(&self) -> impl Iterator<Item = (&Stamp, &DeviceId, &NoteVersion)> {
        self.versions.iter().map(|(stamp, (author, version))| (stamp, author, version))
    }

    pub fn len(&self) -> usize {
        self.versions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.versions.is_empty()
    }
}

/// What [`Replica::apply`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// The record was new and has been merged (it may still lose to a later write).
    New,
    /// The record id had been applied before: nothing changed.
    Duplicate,
}

/// The merged state of every record a device has received.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Replica {
    applied: BTreeSet<Uuid>,
    notes: BTreeMap<NoteId, NoteHistory>,
    person_fields: BTreeMap<(PersonId, String), Register<Option<String>>>,
    ecomap: BTreeMap<(PersonId, Uuid), Register<Option<EcomapElement>>>,
    /// Pieces of recordings, by recording and position: they never change, so the first copy
    /// of a piece is the piece.
    audio: BTreeMap<(RecordingId, u32), AudioPiece>,
    /// Rejected ecomap nodes by person, name (any case) and category: a grow-only set.
    rejections: BTreeSet<(PersonId, String, String)>,
}

impl Replica {
    pub fn new() -> Self {
        Self::default()
    }

    /// Merges one opened record. Commutative, associative and idempotent.
    pub fn apply(&mut self, record: PlainRecord) -> Applied {
        if !self.applied.insert(record.id) {
            return Applied::Duplicate;
        }
        let stamp = Stamp::of(&record);
        match record.change {
            Change::Note(version) => {
                let history = self.notes.entry(version.note).or_default();
                history.versions.insert(stamp, (record.author, version));
            }
            Change::PersonField(change) => {
                merge(&mut self.person_fields, (change.person, change.field), stamp, change.value);
            }
            Change::Ecomap(change) => {
                for element in change.elements {
                    merge(&mut self.ecomap, (change.person, element.element), stamp, element.value);
                }
            }
            Change::Audio(piece) => {
                self.audio.entry((piece.header.recording, piece.header.index)).or_insert(piece);
            }
            Change::Rejections(change) => {
                for r in change.rejections {
                    let who = r.who.trim().to_lowercase();
                    self.rejections.insert((change.person, who, r.category.to_string()));
                }
            }
        }
        Applied::New
    }

    /// Opens an envelope and merges it. A tampered, foreign or unreadable envelope is refused
    /// before anything changes.
    pub fn apply_envelope(
        &mut self,
        envelope: &Envelope,
        key: &SyncKey,
    ) -> Result<Applied, OpenError> {
        Ok(self.apply(open(envelope, key)?))
    }

    /// Whether the record `id` has been applied.
    pub fn contains(&self, id: &Uuid) -> bool {
        self.applied.contains(id)
    }

    /// How many distinct records have been applied.
    pub fn len(&self) -> usize {
        self.applied.len()
    }

    pub fn is_empty(&self) -> bool {
        self.applied.is_empty()
    }

    pub fn note(&self, id: &NoteId) -> Option<&NoteHistory> {
        self.notes.get(id)
    }

    pub fn notes(&self) -> impl Iterator<Item = (&NoteId, &NoteHistory)> {
        self.notes.iter()
    }

    /// A person's field, as last written: `None` if never set, `Some(None)` if deleted.
    pub fn person_field(&self, person: PersonId, field: &str) -> Option<&Register<Option<String>>> {
        self.person_fields.get(&(person, field.to_owned()))
    }

    /// A person's fields that hold a value (deleted ones left out), by name.
    pub fn person_fields(&self, person: PersonId) -> impl Iterator<Item = (&str, &str)> {
        self.person_fields
            .range((person, String::new())..)
            .take_while(move |((p, _), _)| *p == person)
            .filter_map(|((_, field), register)| Some((field.as_str(), register.value.as_deref()?)))
    }

    /// An ecomap element, as last written: `None` if never set, `Some(None)` if deleted.
    pub fn ecomap_element(
        &self,
        person: PersonId,
        element: Uuid,
    ) -> Option<&Register<Option<EcomapElement>>> {
        self.ecomap.get(&(person, element))
    }

    /// The elements of a person's ecomap that are present (deleted ones left out).
    pub fn ecomap(&self, person: PersonId) -> impl Iterator<Item = (&Uuid, &EcomapElement)> {
        self.ecomap
            .range((person, Uuid::nil())..)
            .take_while(move |((p, _), _)| *p == person)
            .filter_map(|((_, element), register)| Some((element, register.value.as_ref()?)))
    }

    /// The person's rejected nodes, as (name in lower case, category).
    pub fn rejections(&self, person: PersonId) -> impl Iterator<Item = (&str, &str)> {
        self.rejections
            .range((person, String::new(), String::new())..)
            .take_while(move |(p, _, _)| *p == person)
            .map(|(_, who, category)| (who.as_str(), category.as_str()))
    }

    /// A recording's audio, once every piece of it has come.
    pub fn recording(&self, id: RecordingId) -> Option<Vec<u8>> {
        let pieces: Vec<&AudioPiece> =
            self.audio.range((id, 0)..=(id, u32::MAX)).map(|(_, piece)| piece).collect();
        let count = usize::try_from(pieces.first()?.header.count).ok()?;
        (pieces.len() == count)
            .then(|| pieces.iter().flat_map(|p| p.data.iter().copied()).collect())
    }
}

#[cfg(test)]
mod tests;
