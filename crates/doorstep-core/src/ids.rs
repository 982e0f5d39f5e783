//! Typed record ids.
//!
//! Every record is named by a UUIDv7 (time-ordered, so inserts stay append-friendly in SQLite's
//! b-trees and ids sort by creation). A newtype per record kind stops a `NoteId` being passed where
//! a `PersonId` is meant; all of them store as a 16-byte blob and print as the hyphenated form.

use std::fmt;
use std::str::FromStr;

use rusqlite::types::{FromSql, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A string that is not a valid id.
#[derive(Debug, thiserror::Error)]
#[error(
    "{text:?} is not a valid {kind} id (expected a UUID such as 0190a5c4-7b1e-7c3a-9f00-1234567890ab)"
)]
pub struct IdParseError {
    kind: &'static str,
    text: String,
}

macro_rules! record_id {
    ($(#[$meta:meta])* $name:ident, $kind:literal) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A fresh, time-ordered id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            /// Wraps an existing UUID (read from a peer or a file).
            pub fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            pub fn as_uuid(&self) -> &Uuid {
                &self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0.hyphenated())
            }
        }

        impl FromStr for $name {
            type Err = IdParseError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s.trim()).map(Self).map_err(|_| IdParseError {
                    kind: $kind,
                    text: s.to_owned(),
                })
            }
        }

        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                self.0.to_sql()
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                Uuid::column_result(value).map(Self)
            }
        }
    };
}

record_id!(
    /// A person on the practitioner's caseload.
    PersonId,
    "person"
);
record_id!(
    /// A household or family that links people.
    HouseholdId,
    "household"
);
record_id!(
    /// A home visit.
    VisitId,
    "visit"
);
record_id!(
    /// A case note, typed or transcribed.
    NoteId,
    "note"
);
record_id!(
    /// A relationship on a person's ecomap.
    TieId,
    "tie"
);
record_id!(
    /// Audio captured or imported, kept as a sealed file.
    RecordingId,
    "recording"
);
record_id!(
    /// A transcription in progress or done, with its checkpointed windows.
    TranscriptionJobId,
    "transcription job"
);
record_id!(
    /// A device holding a copy of the practitioner's records.
    DeviceId,
    "device"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_text_and_serde() {
        let id = NoteId::new();
        let text = id.to_string();
        assert_eq!(text.parse::<NoteId>().unwrap(), id);
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{text}\""));
        assert_eq!(serde_json::from_str::<NoteId>(&json).unwrap(), id);
    }

    #[test]
    fn new_ids_are_version_7_and_ordered() {
        let a = PersonId::new();
        let b = PersonId::new();
        assert_eq!(a.as_uuid().get_version_num(), 7);
        assert!(a < b);
    }

    #[test]
    fn a_bad_id_names_its_kind() {
        let err = "n001".parse::<VisitId>().unwrap_err();
        assert!(err.to_string().contains("not a valid visit id"), "{err}");
    }
}
