//! Case notes: what the practitioner recorded about a visit or contact.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{TextSpan, ThemeTag, TranscriptSegment, open_enum};
use crate::ids::{NoteId, PersonId, VisitId};

open_enum!(
    /// How the note was made.
    NoteSource {
        Typed => "typed",
        Voice => "voice",
        Imported => "imported",
    }
);

open_enum!(
    /// Whether the practitioner has checked and approved the note.
    NoteStatus {
        Draft => "draft",
        Approved => "approved",
    }
);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Note {
    pub id: NoteId,
    /// The id the note had in the system it was imported from.
    pub external_id: Option<String>,
    pub subject: PersonId,
    pub visit: Option<VisitId>,
    /// The date the note is about; `None` when an imported note had none.
    pub date: Option<NaiveDate>,
    /// The service the note was written in ("adults", "children"...).
    pub service: Option<String>,
    pub text: String,
    pub source: NoteSource,
    pub author: String,
    pub status: NoteStatus,
    /// Passages that are the person's own words rather than the practitioner's view.
    pub own_words: Vec<TextSpan>,
    pub created_at: DateTime<Utc>,
    pub edited_at: DateTime<Utc>,
    /// Filled for voice notes.
    pub segments: Vec<TranscriptSegment>,
    pub themes: Vec<ThemeTag>,
}

/// What is supplied to add a note.
#[derive(Debug, Clone)]
pub struct NewNote {
    pub subject: PersonId,
    pub visit: Option<VisitId>,
    pub date: Option<NaiveDate>,
    pub service: Option<String>,
    pub text: String,
    pub source: NoteSource,
    pub author: String,
    pub external_id: Option<String>,
}
