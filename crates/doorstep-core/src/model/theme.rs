//! Theme tags: a note's risks, needs and strengths, each with the evidence for it.

use serde::{Deserialize, Serialize};

use super::{TextSpan, open_enum};

/// A theme id from the taxonomy (`domestic_abuse`, `strength_family_support`...).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ThemeId(pub String);

/// Where in a note a theme shows, and when it was said for a voice note.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub span: TextSpan,
    pub start_ms: Option<u64>,
    pub end_ms: Option<u64>,
}

open_enum!(
    /// The practitioner's judgement on a proposed tag.
    TagReview {
        Proposed => "proposed",
        Confirmed => "confirmed",
        Rejected => "rejected",
    }
);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThemeTag {
    pub theme: ThemeId,
    pub confidence: f32,
    pub evidence: Vec<Evidence>,
    pub review: TagReview,
}
