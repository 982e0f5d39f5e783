//! The plaintext of a sync record: one change made on one device, in the three shapes that merge
//! differently (see [`crate::Replica`]).
//!
//! A [`PlainRecord`] never leaves the device; [`crate::seal`] turns it into an envelope. Its id,
//! kind, author and clock travel in the clear as the envelope's metadata (bound to the ciphertext
//! as associated data); only the [`Change`] is encrypted.

use chrono::NaiveDate;
use doorstep_core::ids::{DeviceId, NoteId, PersonId};
use doorstep_core::model::{EcomapTie, MapPoint};
use doorstep_wire::Hlc;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One change, as its author made it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlainRecord {
    /// UUIDv7 chosen by the author; the envelope's id. Delivering the same id twice is a no-op.
    pub id: Uuid,
    pub author: DeviceId,
    /// When the change was made, on the author's hybrid logical clock.
    pub hlc: Hlc,
    pub change: Change,
}

/// What changed.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// A version of a note. Notes are append-only: an edit is a new version.
    Note(NoteVersion),
    /// One field of a person, set or deleted.
    PersonField(PersonFieldChange),
    /// One element of a person's ecomap, set or deleted.
    Ecomap(EcomapChange),
}

impl Change {
    pub const NOTE: &'static str = "note";
    pub const PERSON: &'static str = "person";
    pub const ECOMAP: &'static str = "ecomap";

    /// The envelope kind: metadata the server sees (to send text before audio). Frozen, since it
    /// is authenticated.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Note(_) => Self::NOTE,
            Self::PersonField(_) => Self::PERSON,
            Self::Ecomap(_) => Self::ECOMAP,
        }
    }
}

/// One version of a note. Every version is kept; the current one is the latest by clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteVersion {
    pub note: NoteId,
    pub subject: PersonId,
    pub text: String,
    /// The date the note is about, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// The service it was written in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// The practitioner's name as written on the note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
}

/// A person's field set to a value, or deleted (`value: None`, a tombstone that a concurrent but
/// older write cannot bring back).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonFieldChange {
    pub person: PersonId,
    /// The field's frozen name ("name", "aliases", "date_of_birth", ...).
    pub field: String,
    /// The value in its stored text form, or `None` for deleted.
    pub value: Option<String>,
}

/// An ecomap element set to a value, or deleted (`value: None`, a tombstone).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EcomapChange {
    pub person: PersonId,
    /// The element's id (a tie's `TieId`, or a strength's own id).
    pub element: Uuid,
    pub value: Option<EcomapElement>,
}

/// The things an ecomap holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "element", rename_all = "snake_case")]
pub enum EcomapElement {
    /// Boxed: a tie is several times the size of the other changes.
    Tie(Box<EcomapTie>),
    Strength(MapPoint),
    Matters(MapPoint),
}
