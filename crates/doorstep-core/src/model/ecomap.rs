//! A person's ecomap (Hartman 1978): who is in their network, how strong each tie is, which way
//! support flows, and the person's own strengths and what matters to them, each tied to the
//! Care Act 2014 wellbeing domains it serves.
//!
//! A map is plain data. Proposals read from notes and confirmed versions share this one shape, so
//! history, diffs and drawings never need to know where a map came from.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{TextSpan, open_enum};
use crate::ids::{NoteId, PersonId, TieId};

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

open_enum!(
    /// The wellbeing domains of the Care Act 2014, section 1(2).
    WellbeingDomain {
        Dignity => "dignity",
        Health => "health",
        Safety => "safety",
        Control => "control",
        Participation => "participation",
        SocialEconomic => "social_economic",
        Relationships => "relationships",
        Accommodation => "accommodation",
        Contribution => "contribution",
    }
);

impl WellbeingDomain {
    /// The domain as the Act words it.
    pub fn title(&self) -> &str {
        match self {
            Self::Dignity => "personal dignity",
            Self::Health => "physical and mental health and emotional wellbeing",
            Self::Safety => "protection from abuse and neglect",
            Self::Control => "control over day-to-day life",
            Self::Participation => "participation in work, education, training or recreation",
            Self::SocialEconomic => "social and economic wellbeing",
            Self::Relationships => "domestic, family and personal relationships",
            Self::Accommodation => "suitability of living accommodation",
            Self::Contribution => "contribution to society",
            Self::Other(text) => text,
        }
    }
}

/// The passage a tie or strength was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MapEvidence {
    /// `None` when the text was not a stored note (`ecomap suggest` on stdin).
    pub note: Option<NoteId>,
    pub span: TextSpan,
    pub text: String,
}

/// One person, group, service or pet in the network and their tie to the person at the centre.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EcomapTie {
    pub id: TieId,
    /// The name or phrase used for them ("her daughter Karen").
    pub who: String,
    /// Other ways the notes name the same node ("Karen", "our Karen").
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The relationship in a word or two ("daughter").
    pub role: String,
    pub category: TieCategory,
    pub quality: TieQuality,
    pub support: SupportFlow,
    /// The practitioner's own words about the tie.
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub domains: Vec<WellbeingDomain>,
    pub evidence: Option<MapEvidence>,
}

/// A strength of the person, or something that matters to them, in the notes' words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapPoint {
    pub text: String,
    #[serde(default)]
    pub domains: Vec<WellbeingDomain>,
    pub evidence: Option<MapEvidence>,
}

/// A person's whole ecomap.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ecomap {
    pub person: PersonId,
    pub ties: Vec<EcomapTie>,
    #[serde(default)]
    pub strengths: Vec<MapPoint>,
    #[serde(default)]
    pub matters: Vec<MapPoint>,
}

impl Ecomap {
    pub fn empty(person: PersonId) -> Self {
        Self { person, ties: Vec::new(), strengths: Vec::new(), matters: Vec::new() }
    }
}

/// A map the practitioner confirmed, kept for ever.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EcomapVersion {
    /// 1 for the first confirmed map, counting up.
    pub version: u32,
    pub confirmed_at: DateTime<Utc>,
    pub map: Ecomap,
}
