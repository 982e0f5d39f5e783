//! The plaintext of a sync record: one change made on one device, in the three shapes that merge
//! differently (see [`crate::Replica`]).
//!
//! A [`PlainRecord`] never leaves the device; [`crate::seal`] turns it into an envelope. Its id,
//! kind, author and clock travel in the clear as the envelope's metadata (bound to the ciphertext
//! as associated data); only the [`Change`] is encrypted.

use chrono::{DateTime, NaiveDate, Utc};
use doorstep_core::ids::{DeviceId, NoteId, PersonId, RecordingId};
use doorstep_core::model::{ElementChange, NoteSource, NoteStatus, TextSpan};
use doorstep_core::store::{AudioPart, EcomapRejection};
use doorstep_wire::Hlc;
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zeroize::Zeroizing;

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
    /// One piece of a recording's audio. Pieces never change: a recording is the set of them.
    Audio(AudioPiece),
    /// Ecomap nodes rejected for a person: never proposed again, on any device.
    Rejections(RejectionsChange),
}

impl Change {
    pub const NOTE: &'static str = "note";
    pub const PERSON: &'static str = "person";
    pub const ECOMAP: &'static str = "ecomap";
    /// Audio kinds start with "audio": the outbox sends them after every text record.
    pub const AUDIO: &'static str = "audio";
    pub const REJECTIONS: &'static str = "ecomap-rejections";

    /// The envelope kind: metadata the server sees (to send text before audio). Frozen, since it
    /// is authenticated.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Note(_) => Self::NOTE,
            Self::PersonField(_) => Self::PERSON,
            Self::Ecomap(_) => Self::ECOMAP,
            Self::Audio(_) => Self::AUDIO,
            Self::Rejections(_) => Self::REJECTIONS,
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

/// Nodes rejected for a person, a grow-only set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectionsChange {
    pub person: PersonId,
    pub rejections: Vec<EcomapRejection>,
}

/// One piece of a recording: what every piece repeats about the whole, then its audio. Sealed
/// as a length-prefixed JSON header followed by the raw audio bytes, not as JSON, so audio is
/// not base64-encoded twice on its way ([`AudioPiece::encode`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AudioPiece {
    pub header: AudioHeader,
    pub data: Zeroizing<Vec<u8>>,
}

/// What every piece of a recording says about the whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AudioHeader {
    pub recording: RecordingId,
    pub note: NoteId,
    pub sample_rate: u32,
    pub started_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u64>,
    pub index: u32,
    pub count: u32,
    /// SHA-256 of the whole recording's audio, hex.
    pub sha256: String,
}

/// A piece's plaintext that does not decode.
#[derive(Debug, thiserror::Error)]
pub enum PieceError {
    #[error("a piece of audio shorter than its header")]
    Short,
    #[error("a piece of audio whose header does not decode: {0}")]
    Header(serde_json::Error),
    #[error("a piece of audio whose checksum is not 32 hex bytes")]
    Checksum,
}

impl AudioPiece {
    pub fn from_part(part: &AudioPart) -> Self {
        Self {
            header: AudioHeader {
                recording: part.recording,
                note: part.note,
                sample_rate: part.sample_rate,
                started_at: part.started_at,
                duration_ms: part.duration_ms,
                index: part.index,
                count: part.count,
                sha256: hex::encode(part.sha256),
            },
            data: part.data.clone(),
        }
    }

    pub fn to_part(&self) -> Result<AudioPart, PieceError> {
        let mut sha256 = [0u8; 32];
        hex::decode_to_slice(&self.header.sha256, &mut sha256).map_err(|_| PieceError::Checksum)?;
        let h = &self.header;
        Ok(AudioPart {
            recording: h.recording,
            note: h.note,
            sample_rate: h.sample_rate,
            started_at: h.started_at,
            duration_ms: h.duration_ms,
            index: h.index,
            count: h.count,
            sha256,
            data: self.data.clone(),
        })
    }

    /// `header length (u32 BE) | header JSON | audio`.
    pub fn encode(&self) -> Result<Zeroizing<Vec<u8>>, serde_json::Error> {
        let header = serde_json::to_vec(&self.header)?;
        let len = u32::try_from(header.len()).unwrap_or(u32::MAX);
        let mut out = Zeroizing::new(Vec::with_capacity(4 + header.len() + self.data.len()));
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(&header);
        out.extend_from_slice(&self.data);
        Ok(out)
    }

    pub fn decode(bytes: &[u8]) -> Result<Self, PieceError> {
        let (len, rest) = bytes.split_first_chunk::<4>().ok_or(PieceError::Short)?;
        let len = usize::try_from(u32::from_be_bytes(*len)).map_err(|_| PieceError::Short)?;
        if rest.len() < len {
            return Err(PieceError::Short);
        }
        let (header, data) = rest.split_at(len);
        let header = serde_json::from_slice(header).map_err(PieceError::Header)?;
        Ok(Self { header, data: Zeroizing::new(data.to_vec()) })
    }
}
