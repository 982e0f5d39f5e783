//! A person's ecomap (Hartman 1978): who is in their network, how strong each tie is, which way
//! support flows, and the person's own strengths and what matters to them, each tied to the
//! Care Act 2014 wellbeing domains it serves.
//!
//! A map is plain data. Proposals read from notes and confirmed versions share this one shape, so
//! history, diffs and drawings never need to know where a map came from.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

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

    /// The map as the elements sync merges: every tie, then the two lists.
    pub fn elements(&self) -> Vec<EcomapElement> {
        let ties = self.ties.iter().map(|tie| EcomapElement::Tie(Box::new(tie.clone())));
        ties.chain([
            EcomapElement::Strengths(self.strengths.clone()),
            EcomapElement::Matters(self.matters.clone()),
        ])
        .collect()
    }

    /// The map made of `elements`, its ties in id order (the order they were first found in), so
    /// every device that holds the same elements draws the same map.
    pub fn from_elements(
        person: PersonId,
        elements: impl IntoIterator<Item = EcomapElement>,
    ) -> Self {
        let mut map = Self::empty(person);
        for element in elements {
            match element {
                EcomapElement::Tie(tie) => map.ties.push(*tie),
                EcomapElement::Strengths(points) => map.strengths = points,
                EcomapElement::Matters(points) => map.matters = points,
            }
        }
        map.ties.sort_by_key(|tie| tie.id);
        map
    }
}

/// One part of a map as sync merges it: each tie on its own, and the person's strengths and what
/// matters to them each as one list. Two devices confirming changes to different ties both keep
/// theirs; a list is short and read from the same notes, so the latest list wins whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "element", content = "value", rename_all = "snake_case")]
pub enum EcomapElement {
    /// Boxed: a tie is several times the size of the other elements.
    Tie(Box<EcomapTie>),
    Strengths(Vec<MapPoint>),
    Matters(Vec<MapPoint>),
}

/// One element of a map set to a value, or removed (`value: None`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ElementChange {
    /// The element's id ([`EcomapElement::id`]).
    pub element: Uuid,
    pub value: Option<EcomapElement>,
}

impl EcomapElement {
    /// The strengths list's element id. Never a tie's: tie ids are UUIDv7, with version bits.
    pub const STRENGTHS: Uuid = Uuid::from_u128(1);
    /// The element id of the list of what matters to the person.
    pub const MATTERS: Uuid = Uuid::from_u128(2);

    /// The element's id: its tie's, or its list's.
    pub fn id(&self) -> Uuid {
        match self {
            Self::Tie(tie) => *tie.id.as_uuid(),
            Self::Strengths(_) => Self::STRENGTHS,
            Self::Matters(_) => Self::MATTERS,
        }
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
