//! Ties dropped after reading, because the map already holds who stands for them: a school,
//! college or nursery when the note names a teacher or other member of staff there ("Mrs Patel,
//! the pastoral lead" speaks for the school), so the place is not a second tie beside them.

use doorstep_core::model::TieCategory;

use super::SuggestedTie;

/// Categories whose places are represented by a person of the same category when one is named.
const STAFFED: &[TieCategory] = &[TieCategory::Education];

/// A tie read from a note, and whether its role names one person (a teacher) or a place.
pub(super) struct Read {
    pub person: bool,
    pub tie: SuggestedTie,
}

/// Drops the places of a staffed category when the note names a person of that category.
pub(super) fn places_with_staff(read: Vec<Read>) -> Vec<SuggestedTie> {
    let staffed: Vec<TieCategory> = STAFFED
        .iter()
        .filter(|c| read.iter().any(|r| r.person && r.tie.category == **c))
        .cloned()
        .collect();
    read.into_iter()
        .filter(|r| r.person || !staffed.contains(&r.tie.category))
        .map(|r| r.tie)
        .collect()
}
