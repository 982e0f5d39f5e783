//! Folding what a note says into a person's map: aliases resolve to one node ("Nan", "her nan",
//! "Grandma Pat"), a new note updates the node it names instead of adding a second, and what the
//! practitioner rejected is not proposed again.

use doorstep_core::ids::{NoteId, TieId};
use doorstep_core::model::{Ecomap, EcomapTie, MapEvidence, MapPoint};

use crate::extract::{Passage, SuggestedPoint, SuggestedTie, Suggestion};

/// A node the practitioner rejected, remembered by how notes name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    pub who: String,
    pub category: String,
}

const TITLES: &[&str] = &["mr", "mrs", "ms", "miss", "dr", "uncle", "auntie", "aunty", "aunt"];

/// The proper names in a phrase, lower case, without titles: "her daughter Karen" -> {karen},
/// "Mrs Bennett" -> {bennett}. A capital at the phrase's start counts only when it is not an
/// article or a pronoun.
pub fn names_in(phrase: &str) -> Vec<String> {
    phrase
        .split_whitespace()
        .enumerate()
        .filter(|(i, w)| {
            let lower = w.to_lowercase();
            w.chars().next().is_some_and(char::is_uppercase)
                && !TITLES.contains(&lower.as_str())
                && !(*i == 0
                    && matches!(
                        lower.as_str(),
                        "the" | "her" | "his" | "their" | "our" | "my" | "a" | "an"
                    ))
        })
        .map(|(_, w)| {
            w.trim_end_matches("'s")
                .trim_end_matches("’s")
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

fn names_of_tie(tie: &EcomapTie) -> Vec<String> {
    std::iter::once(&tie.who).chain(&tie.aliases).flat_map(|p| names_in(p)).collect()
}

/// Whether a suggested tie is the same node as one already on the map.
pub fn same_node(tie: &EcomapTie, suggested: &SuggestedTie) -> bool {
    if tie.category != suggested.category {
        return false;
    }
    let ours = names_of_tie(tie);
    let theirs: Vec<String> = std::iter::once(&suggested.who)
        .chain(&suggested.aliases)
        .flat_map(|p| names_in(p))
        .collect();
    if !ours.is_empty() && !theirs.is_empty() {
        return ours.iter().any(|n| theirs.contains(n));
    }
    tie.role.eq_ignore_ascii_case(&suggested.role)
}

fn is_rejected(suggested: &SuggestedTie, rejected: &[Rejected]) -> bool {
    let who = suggested.who.to_lowercase();
    let names: Vec<String> = std::iter::once(&suggested.who)
        .chain(&suggested.aliases)
        .flat_map(|p| names_in(p))
        .collect();
    rejected.iter().any(|r| {
        r.category == suggested.category.as_str()
            && (r.who.to_lowercase() == who
                || suggested.aliases.iter().any(|a| a.eq_ignore_ascii_case(&r.who))
                || names_in(&r.who).iter().any(|n| names.contains(n)))
    })
}

fn evidence(note: Option<NoteId>, passage: &Passage) -> MapEvidence {
    MapEvidence { note, span: passage.span(), text: passage.text.clone() }
}

fn add_point(points: &mut Vec<MapPoint>, note: Option<NoteId>, point: &SuggestedPoint) {
    if !points.iter().any(|p| p.text.eq_ignore_ascii_case(&point.text)) {
        points.push(MapPoint {
            text: point.text.clone(),
            domains: point.domains.clone(),
            evidence: Some(evidence(note, &point.evidence)),
        });
    }
}

/// Folds one note's suggestion into `map`, in place. Notes are folded in date order, so a later
/// note's quality and support win; ids of existing nodes are kept.
pub fn fold(
    map: &mut Ecomap,
    note: Option<NoteId>,
    suggestion: &Suggestion,
    rejected: &[Rejected],
) {
    for suggested in &suggestion.ties {
        if is_rejected(suggested, rejected) {
            continue;
        }
        match map.ties.iter_mut().find(|t| same_node(t, suggested)) {
            Some(tie) => {
                tie.quality = suggested.quality.clone();
                tie.support = suggested.support.clone();
                tie.evidence = Some(evidence(note, &suggested.evidence));
                for said in std::iter::once(&suggested.who).chain(&suggested.aliases) {
                    if !tie.who.eq_ignore_ascii_case(said)
                        && !tie.aliases.iter().any(|a| a.eq_ignore_ascii_case(said))
                    {
                        tie.aliases.push(said.clone());
                    }
                }
                if names_in(&tie.who).is_empty() && !names_in(&suggested.who).is_empty() {
                    let old = std::mem::replace(&mut tie.who, suggested.who.clone());
                    tie.aliases.retain(|a| !a.eq_ignore_ascii_case(&tie.who));
                    tie.aliases.push(old);
                }
            }
            None => map.ties.push(EcomapTie {
                id: TieId::new(),
                who: suggested.who.clone(),
                aliases: suggested.aliases.clone(),
                role: suggested.role.clone(),
                category: suggested.category.clone(),
                quality: suggested.quality.clone(),
                support: suggested.support.clone(),
                note: String::new(),
                domains: suggested.domains.clone(),
                evidence: Some(evidence(note, &suggested.evidence)),
            }),
        }
    }
    for point in &suggestion.strengths {
        add_point(&mut map.strengths, note, point);
    }
    for point in &suggestion.matters {
        add_point(&mut map.matters, note, point);
    }
}

#[cfg(test)]
mod tests {
    use doorstep_core::ids::PersonId;

    use super::*;
    use crate::{Extractor, Lexicon};

    fn read(text: &str, map: &Ecomap) -> Suggestion {
        let lexicon = Lexicon::built_in().unwrap();
        Extractor::new(&lexicon).suggest_with(text, Some("Joan Platt"), Some(map)).unwrap()
    }

    #[test]
    fn a_later_note_updates_the_node_it_names() {
        let mut map = Ecomap::empty(PersonId::new());
        let said = read("Her daughter Karen visits every day.", &map);
        fold(&mut map, None, &said, &[]);
        let id = map.ties[0].id;
        let said = read("Karen and Joan had a row; Karen is shouting at her.", &map);
        fold(&mut map, None, &said, &[]);
        assert_eq!(map.ties.len(), 1, "{:?}", map.ties);
        assert_eq!(map.ties[0].id, id);
        assert_eq!(map.ties[0].quality.as_str(), "stressful");
    }

    #[test]
    fn an_unnamed_role_joins_the_named_node() {
        let mut map = Ecomap::empty(PersonId::new());
        let said = read("Her nan Pat visits on Mondays.", &map);
        fold(&mut map, None, &said, &[]);
        let said = read("Her nan was poorly this week.", &map);
        fold(&mut map, None, &said, &[]);
        assert_eq!(map.ties.len(), 1, "{:?}", map.ties);
        assert!(map.ties[0].aliases.iter().any(|a| a == "Her nan"));
    }

    #[test]
    fn a_rejected_node_is_not_proposed_again() {
        let mut map = Ecomap::empty(PersonId::new());
        let rejected = [Rejected { who: "Karen".into(), category: "family".into() }];
        let said = read("Her daughter Karen visits every day.", &map);
        fold(&mut map, None, &said, &rejected);
        assert!(map.ties.is_empty());
    }
}
