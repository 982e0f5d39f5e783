//! The plaintext of a sync record: one change made on one device, in the three shapes that merge
//! differently (see [`crate::Replica`]).
//!
//! A [`PlainRecord`] never leaves the device; [`crate::seal`] turns it into an envelope. Its id,
//! kind, author and clock travel in the clear as the envelope's metadata (bound to the ciphertext
//! as associated data); only the [`Change`] is encrypted.

use chrono::NaiveDate;
use doorstep_core::ids::{DeviceId, NoteId, PersonId};
use doorstep_core::model::{ElementChange, NoteSource, NoteStatus, TextSpan};
use doorstep_wire::Hlc;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use doorstep_core::model::EcomapElement;

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
    /// A person's ecomap elements, set or deleted by one confirm.
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

/// One version of a note, whole: a new note, an edit of its text, its own words marked, its
/// approval. Every version is kept; the current one is the latest by clock. The fields after
/// `author` came with edits; a first version sealed before them has none and reads as a typed
/// draft whose own words are its quotations, as the note was when it was sealed.
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
    /// The person's own words in the text (character ranges).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub own_words: Option<Vec<TextSpan>>,
    /// Draft or approved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<NoteStatus>,
    /// How the note was made (typed, voice, imported).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<NoteSource>,
}

impl NoteVersion {
    /// A version with its words only, the rest unknown (as first versions were sealed before
    /// edits travelled).
    pub fn new(note: NoteId, subject: PersonId, text: String) -> Self {
        Self {
            note,
            subject,
            text,
            date: None,
            service: None,
            author: None,
            own_words: None,
            status: None,
            source: None,
        }
    }
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

/// The ecomap elements one confirm set, or deleted (`value: None`, a tombstone), all written at
/// the record's clock and each merged on its own: a tie by its `TieId`, the lists of strengths
/// and of what matters whole ([`EcomapElement`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EcomapChange {
    pub person: PersonId,
    pub elements: Vec<ElementChange>,
}
