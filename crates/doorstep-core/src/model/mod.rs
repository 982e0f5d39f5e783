//! The practitioner's caseload: people, households, visits, notes and what is derived from them.
//!
//! These are plain data; the store reads and writes them, the CLI and app print them. Text
//! positions are counted in characters (Unicode scalar values), never bytes, so a span means the
//! same thing in Rust, SQLite and the web view.

mod ecomap;
mod note;
mod person;
mod span;
mod theme;
mod transcript;
mod visit;

pub use ecomap::{
    Ecomap, EcomapElement, EcomapTie, EcomapVersion, ElementChange, MapEvidence, MapPoint,
    SupportFlow, TieCategory, TieQuality, WellbeingDomain,
};
pub use note::{NewNote, Note, NoteSource, NoteStatus};
pub use person::{Household, NewPerson, Person};
pub use span::{TextSpan, find_quoted_spans};
pub use theme::{Evidence, TagReview, ThemeId, ThemeTag};
pub use transcript::TranscriptSegment;
pub use visit::{NewVisit, RecordingConsent, Visit};

/// A label that peers may extend: the known values plus a lossless fallback for values a newer
/// version of Doorstep wrote. The text form is what is stored, so it never changes.
macro_rules! open_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($variant,)+
            /// A value this version does not know, kept as written.
            Other(String),
        }

        impl $name {
            pub const KNOWN: &'static [&'static str] = &[$($text),+];

            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $text,)+
                    Self::Other(text) => text,
                }
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                match text {
                    $($text => Self::$variant,)+
                    other => Self::Other(other.to_owned()),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                Ok(Self::from(text.as_str()))
            }
        }

        impl rusqlite::types::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(rusqlite::types::ToSqlOutput::from(self.as_str()))
            }
        }

        impl rusqlite::types::FromSql for $name {
            fn column_result(
                value: rusqlite::types::ValueRef<'_>,
            ) -> rusqlite::types::FromSqlResult<Self> {
                value.as_str().map(Self::from)
            }
        }
    };
}
pub(crate) use open_enum;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_labels_survive_a_round_trip() {
        let quality = TieQuality::from("ambivalent");
        assert_eq!(quality, TieQuality::Other("ambivalent".into()));
        let json = serde_json::to_string(&quality).unwrap();
        assert_eq!(json, "\"ambivalent\"");
        assert_eq!(serde_json::from_str::<TieQuality>(&json).unwrap(), quality);
        assert_eq!(TieQuality::from("strong"), TieQuality::Strong);
    }
}
