//! Realistic maps for the drawing tests: a small one, a busy one and one as crowded as a map
//! gets, with long names, emoji and right-to-left script.

use doorstep_core::ids::{PersonId, TieId};
use doorstep_core::model::{Ecomap, EcomapTie, MapPoint, SupportFlow, TieCategory, TieQuality};

pub(crate) fn tie(who: &str, role: &str, category: TieCategory, quality: TieQuality) -> EcomapTie {
    EcomapTie {
        id: TieId::new(),
        who: who.into(),
        aliases: Vec::new(),
        role: role.into(),
        category,
        quality,
        support: SupportFlow::None,
        note: String::new(),
        domains: Vec::new(),
        evidence: None,
    }
}

fn with(mut tie: EcomapTie, support: SupportFlow) -> EcomapTie {
    tie.support = support;
    tie
}

fn point(text: &str) -> MapPoint {
    MapPoint { text: text.into(), domains: Vec::new(), evidence: None }
}

/// Joan, five ties given out of order.
pub(crate) fn joan() -> Ecomap {
    use {SupportFlow as S, TieCategory as C, TieQuality as Q};
    let mut map = Ecomap::empty(PersonId::new());
    map.ties = vec![
        tie("Dr Patel", "GP", C::Health, Q::Broken),
        with(tie("Tom", "son", C::Family, Q::Stressful), S::Both),
        with(tie("Biscuit", "dog", C::Pet, Q::Strong), S::FromSubject),
        tie("Mrs Okafor next door", "neighbour", C::Neighbour, Q::Tenuous),
        with(tie("her daughter Karen", "daughter", C::Family, Q::Strong), S::ToSubject),
    ];
    map.strengths = vec![point("Knows her own mind."), point("Still bakes every Sunday")];
    map.matters = vec![point("Staying in her own home")];
    map
}

const QUALITIES: [&str; 5] = ["strong", "moderate", "tenuous", "stressful", "broken"];
const SUPPORTS: [&str; 4] = ["to_subject", "from_subject", "both", "none"];

/// A map of `names` (who, role, category), qualities and supports cycling.
fn cycled(names: &[(&str, &str, &str)]) -> Ecomap {
    let mut map = Ecomap::empty(PersonId::new());
    map.ties = names
        .iter()
        .enumerate()
        .map(|(i, (who, role, category))| {
            let quality = TieQuality::from(QUALITIES[(i * 3) % 5]);
            let support = SupportFlow::from(SUPPORTS[(i * 7 / 3) % 4]);
            with(tie(who, role, TieCategory::from(*category), quality), support)
        })
        .collect();
    map
}

/// Twelve ties across most categories, with an Arabic and an emoji name.
pub(crate) fn twelve() -> Ecomap {
    let mut map = cycled(&[
        ("Grace", "wife", "family"),
        ("David", "son", "family"),
        ("جدة فاطمة", "grandmother", "family"),
        ("Alan from the allotment", "friend", "friend"),
        ("Shirley", "friend", "friend"),
        ("Mr & Mrs Chen", "neighbours", "neighbour"),
        ("St Mark's lunch club", "", "community"),
        ("Men's Shed", "", "community"),
        ("Dr Okonkwo", "GP", "health"),
        ("District nurses", "", "health"),
        ("Home care (Bluebird)", "carers", "social_care"),
        ("Pip 🐈", "cat", "pet"),
    ]);
    map.strengths = vec![point("Good humour"), point("Keeps the allotment going")];
    map.matters = vec![point("Seeing the grandchildren"), point("Not going into a home")];
    map
}

/// Thirty ties: every category, long names, emoji, right-to-left script, an unknown category.
pub(crate) fn thirty() -> Ecomap {
    cycled(&[
        ("Maximilian Alexander Featherstonehaugh-Worthington", "stepfather", "family"),
        ("her daughter Karen", "daughter", "family"),
        ("Tom", "son", "family"),
        ("جدة فاطمة", "grandmother", "family"),
        ("עמית", "cousin", "family"),
        ("👨‍👩‍👧 the Wilsons", "in-laws", "family"),
        ("Auntie Bernadette O'Sullivan-McGillicuddy", "aunt", "family"),
        ("Biscuit 🐕", "dog", "pet"),
        ("Whiskers", "cat", "pet"),
        ("Priya", "friend from school", "friend"),
        ("Supercalifragilisticexpialidocious Bob", "friend", "friend"),
        ("Mo", "", "friend"),
        ("Mrs Okafor next door", "neighbour", "neighbour"),
        ("the couple at number 12", "", "neighbour"),
        ("Tuesday knit & natter <group>", "", "community"),
        ("St Mark's Church", "", "community"),
        ("Food bank", "", "community"),
        ("Asda (Saturday job)", "employer", "work"),
        ("Leeds City College", "ESOL class", "education"),
        ("Dr Patel", "GP", "health"),
        ("Community mental health team", "CMHT", "health"),
        ("Physio", "", "health"),
        ("Pharmacist 💊", "", "health"),
        ("Adult social care", "social worker", "social_care"),
        ("Home care agency", "carers", "social_care"),
        ("Day centre", "", "social_care"),
        ("Citizens Advice", "benefits advice", "other_service"),
        ("Housing association", "landlord", "other_service"),
        ("Police", "", "other_service"),
        ("Mosque youth group", "", "faith_group"),
    ])
}
