//! Ties dropped after reading, because the map already holds who stands for them: a school,
//! college or nursery when the note names a teacher or other member of staff there ("Mrs Patel,
//! the pastoral lead" speaks for the school), so the place is not a second tie beside them; and
//! "her parents" when the note names her mum or dad, who are those parents.

use doorstep_core::model::TieCategory;

use super::SuggestedTie;

/// Categories whose places are represented by a person of the same category when one is named.
const STAFFED: &[TieCategory] = &[TieCategory::Education];

/// Roles said of a pair or group, and the roles of its members.
const COLLECTIVES: &[(&str, &[&str])] = &[
    ("parents", &["mother", "father", "stepmother", "stepfather", "parents"]),
    ("grandparents", &["grandmother", "grandfather", "grandparents"]),
];

/// Drops a pair or group said without names ("her parents") when the note also names one of
/// its members ("her dad", "Parents Ann and Ray").
pub(super) fn collectives_with_members(ties: Vec<SuggestedTie>) -> Vec<SuggestedTie> {
    // Said only as the role ("her parents", "Parents"), never with a name.
    let unnamed = |t: &SuggestedTie| {
        std::iter::once(&t.who).chain(&t.aliases).all(|said| {
            said.split_whitespace().last().is_some_and(|w| w.eq_ignore_ascii_case(&t.role))
        })
    };
    let dropped: Vec<bool> = ties
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let Some((_, members)) = COLLECTIVES.iter().find(|(c, _)| *c == t.role) else {
                return false;
            };
            unnamed(t)
                && ties
                    .iter()
                    .enumerate()
                    .any(|(k, o)| k != i && members.contains(&o.role.as_str()))
        })
        .collect();
    ties.into_iter().zip(dropped).filter(|(_, d)| !d).map(|(t, _)| t).collect()
}

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
