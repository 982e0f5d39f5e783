//! Home visits.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{PersonId, VisitId};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Visit {
    pub id: VisitId,
    pub external_id: Option<String>,
    pub subject: PersonId,
    /// Local wall-clock time of the visit, as the practitioner gives it.
    pub at: NaiveDateTime,
    pub place: Option<String>,
    /// Who was present, as named by the practitioner.
    pub present: Vec<String>,
    /// Whether a child was seen alone; `None` when not applicable or not recorded.
    pub child_seen_alone: Option<bool>,
    pub consent: RecordingConsent,
    pub created_at: DateTime<Utc>,
}

/// Consent to record the conversation, and who gave or refused it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum RecordingConsent {
    NotRecorded,
    Given {
        by: String,
    },
    Refused {
        by: String,
    },
    /// A status written by a newer Doorstep, or damaged; kept as stored.
    Other {
        stored: String,
        by: Option<String>,
    },
}

impl RecordingConsent {
    /// The stored pair (status, by).
    pub(crate) fn to_columns(&self) -> (&str, Option<&str>) {
        match self {
            Self::NotRecorded => ("not_recorded", None),
            Self::Given { by } => ("given", Some(by)),
            Self::Refused { by } => ("refused", Some(by)),
            Self::Other { stored, by } => (stored, by.as_deref()),
        }
    }

    pub(crate) fn from_columns(status: &str, by: Option<String>) -> Self {
        match (status, by) {
            ("given", Some(by)) => Self::Given { by },
            ("refused", Some(by)) => Self::Refused { by },
            ("not_recorded", None) => Self::NotRecorded,
            (status, by) => Self::Other { stored: status.to_owned(), by },
        }
    }
}

/// What a practitioner supplies to record a visit.
#[derive(Debug, Clone)]
pub struct NewVisit {
    pub subject: PersonId,
    pub at: NaiveDateTime,
    pub place: Option<String>,
    pub present: Vec<String>,
    pub child_seen_alone: Option<bool>,
    pub consent: RecordingConsent,
    pub external_id: Option<String>,
}
