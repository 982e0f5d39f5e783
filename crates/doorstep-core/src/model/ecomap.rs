//! Ties on a person's ecomap (Hartman 1978): who is in their network, how strong the tie is and
//! which way support flows.

use serde::{Deserialize, Serialize};

use super::{TextSpan, open_enum};
use crate::ids::{NoteId, TieId};

open_enum!(
    TieCategory {
        Family => "family",
        Friend => "friend",
        Neighbour => "neighbour",
        Community => "community",
        Education => "education",
        Health => "health",
        SocialCare => "social_care",
        OtherService => "other_service",
        Work => "work",
        Pet => "pet",
    }
);

open_enum!(
    TieQuality {
        Strong => "strong",
        Moderate => "moderate",
        Tenuous => "tenuous",
        Stressful => "stressful",
        Broken => "broken",
    }
);

open_enum!(
    /// Which way help flows, seen from the person at the centre of the map.
    SupportFlow {
        ToSubject => "to_subject",
        FromSubject => "from_subject",
        Both => "both",
        None => "none",
    }
);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EcomapTie {
    pub id: TieId,
    /// The name or phrase used for them ("her daughter Karen").
    pub who: String,
    /// The relationship in a word or two ("daughter").
    pub role: String,
    pub category: TieCategory,
    pub quality: TieQuality,
    pub support: SupportFlow,
    /// The note and passage the tie was read from.
    pub source: Option<(NoteId, TextSpan)>,
}
