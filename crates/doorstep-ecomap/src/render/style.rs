//! The fixed choices every drawing and description shares: the order of the category sectors
//! around the person, what each category and tie quality is called, and the category tints.
//!
//! Kept apart from the geometry so the SVG, its key and the spoken description cannot disagree
//! about a word or an order.

use doorstep_core::model::{SupportFlow, TieCategory, TieQuality};

/// Sectors clockwise from the top: the informal network first (family, pets, friends,
/// neighbours), then community, work and education, then the formal services.
const ORDER: [TieCategory; 10] = [
    TieCategory::Family,
    TieCategory::Pet,
    TieCategory::Friend,
    TieCategory::Neighbour,
    TieCategory::Community,
    TieCategory::Work,
    TieCategory::Education,
    TieCategory::Health,
    TieCategory::SocialCare,
    TieCategory::OtherService,
];

/// Where a category's sector comes around the circle: known ones in [`ORDER`], then categories a
/// newer Doorstep wrote, by name.
pub(crate) fn category_rank(category: &TieCategory) -> (usize, &str) {
    let rank = ORDER.iter().position(|known| known == category).unwrap_or(ORDER.len());
    (rank, category.as_str())
}

/// The sector's heading, in the plural where the category is a kind of person.
pub(crate) fn category_title(category: &TieCategory) -> String {
    match category {
        TieCategory::Family => "Family".into(),
        TieCategory::Friend => "Friends".into(),
        TieCategory::Neighbour => "Neighbours".into(),
        TieCategory::Community => "Community".into(),
        TieCategory::Education => "Education".into(),
        TieCategory::Health => "Health".into(),
        TieCategory::SocialCare => "Social care".into(),
        TieCategory::OtherService => "Other services".into(),
        TieCategory::Work => "Work".into(),
        TieCategory::Pet => "Pets".into(),
        TieCategory::Other(text) => {
            let text = text.replace('_', " ");
            let mut chars = text.trim().chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => "Other".into(),
            }
        }
    }
}

/// A category's node fill and outline: pale enough to print in grey, never the only signal.
pub(crate) fn category_tint(category: &TieCategory) -> (&'static str, &'static str) {
    match category {
        TieCategory::Family => ("#fde8d7", "#a4501b"),
        TieCategory::Pet => ("#f6eccf", "#7d6214"),
        TieCategory::Friend => ("#fbe0ea", "#9c2c5a"),
        TieCategory::Neighbour => ("#efe3f6", "#6b3d8a"),
        TieCategory::Community => ("#e3f1dd", "#3d7a2a"),
        TieCategory::Work => ("#e6ecdf", "#55663d"),
        TieCategory::Education => ("#fff3c9", "#856a00"),
        TieCategory::Health => ("#dcecf7", "#215f8c"),
        TieCategory::SocialCare => ("#d9f1ef", "#1d6b66"),
        TieCategory::OtherService => ("#e8eaee", "#4a5260"),
        TieCategory::Other(_) => ("#eeeeee", "#555555"),
    }
}

/// How a tie's line is drawn: Hartman's notation, each told apart by shape alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stroke {
    /// A thick solid line.
    Thick,
    /// A solid line.
    Solid,
    /// A dashed line.
    Dashed,
    /// A zigzag line.
    Zigzag,
    /// A solid line cut in the middle, the cut closed off by two bars across.
    Cut,
    /// A dotted line: a quality this version of Doorstep does not know.
    Dotted,
}

pub(crate) fn stroke(quality: &TieQuality) -> Stroke {
    match quality {
        TieQuality::Strong => Stroke::Thick,
        TieQuality::Moderate => Stroke::Solid,
        TieQuality::Tenuous => Stroke::Dashed,
        TieQuality::Stressful => Stroke::Zigzag,
        TieQuality::Broken => Stroke::Cut,
        TieQuality::Other(_) => Stroke::Dotted,
    }
}

/// The quality in words: "strong", "stressful".
pub(crate) fn quality_word(quality: &TieQuality) -> String {
    match quality {
        TieQuality::Other(text) => text.replace('_', " "),
        known => known.as_str().to_owned(),
    }
}

/// Where arrow heads go: `(at the person, at the tie)`.
pub(crate) fn arrow_heads(support: &SupportFlow) -> (bool, bool) {
    match support {
        SupportFlow::ToSubject => (true, false),
        SupportFlow::FromSubject => (false, true),
        SupportFlow::Both => (true, true),
        SupportFlow::None | SupportFlow::Other(_) => (false, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_category_has_its_own_place_and_the_unknown_come_last() {
        for (rank, category) in ORDER.iter().enumerate() {
            assert_eq!(category_rank(category).0, rank);
        }
        assert_eq!(TieCategory::KNOWN.len(), ORDER.len());
        let unknown = TieCategory::Other("faith_group".into());
        assert_eq!(category_rank(&unknown), (ORDER.len(), "faith_group"));
        assert_eq!(category_title(&unknown), "Faith group");
    }

    #[test]
    fn every_quality_is_drawn_differently() {
        let qualities: Vec<TieQuality> =
            TieQuality::KNOWN.iter().map(|text| TieQuality::from(*text)).collect();
        let mut strokes: Vec<Stroke> = qualities.iter().map(stroke).collect();
        strokes.push(stroke(&TieQuality::Other("x".into())));
        for (i, a) in strokes.iter().enumerate() {
            assert!(!strokes[i + 1..].contains(a), "{a:?} is used twice");
        }
    }
}
