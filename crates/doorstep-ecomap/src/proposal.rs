//! The map the practitioner is asked to confirm: their latest confirmed map (or an empty one)
//! with every note it has not read folded in, oldest first, so a later note's word wins.
//!
//! A note that cannot be read (one of 50,000 words) is left out and reported by name, and stays
//! unread; the rest of the proposal does not wait on it. Nodes the practitioner rejected are
//! never proposed again, whatever the notes say.

use doorstep_core::ids::NoteId;
use doorstep_core::model::Ecomap;
use doorstep_core::store::{EcomapRejection, UnreadNote};

use crate::error::EcomapError;
use crate::extract::Extractor;
use crate::merge::{self, Rejected};
use crate::names::normalised;

/// A proposed map and what it was read from.
#[derive(Debug, Clone)]
pub struct Proposal {
    pub map: Ecomap,
    /// The notes folded in, in the order they were read: marked read when the map is confirmed.
    pub read: Vec<NoteId>,
    /// Notes left out, with why.
    pub unreadable: Vec<UnreadableNote>,
}

/// A note that could not be read into the map.
#[derive(Debug, Clone, thiserror::Error)]
#[error("note {} was not read into the ecomap: {reason}", label(.note, .external_id.as_deref()))]
pub struct UnreadableNote {
    pub note: NoteId,
    pub external_id: Option<String>,
    /// What was wrong, in words (the extractor's error is not kept: it need not be `Clone`).
    pub reason: String,
}

fn label(note: &NoteId, external_id: Option<&str>) -> String {
    match external_id {
        Some(external) => format!("{external} ({note})"),
        None => note.to_string(),
    }
}

impl UnreadableNote {
    fn new(note: &UnreadNote, error: &EcomapError) -> Self {
        Self { note: note.id, external_id: note.external_id.clone(), reason: error.to_string() }
    }
}

/// Folds `notes` (in date order) into `base`, the latest confirmed map or an empty one.
/// `subject` is the name of the person at the centre, who is never a tie of their own.
pub fn propose(
    base: Ecomap,
    notes: &[UnreadNote],
    subject: Option<&str>,
    extractor: &Extractor<'_>,
    rejected: &[EcomapRejection],
) -> Proposal {
    let rejections: Vec<Rejected> = rejected
        .iter()
        .map(|r| Rejected { who: r.who.clone(), category: r.category.as_str().to_owned() })
        .collect();
    let mut map = base;
    let mut read = Vec::with_capacity(notes.len());
    let mut unreadable = Vec::new();
    for note in notes {
        match extractor.suggest(&note.text, subject) {
            Ok(suggestion) => {
                merge::fold(&mut map, Some(note.id), &suggestion, &rejections);
                read.push(note.id);
            }
            Err(error) => unreadable.push(UnreadableNote::new(note, &error)),
        }
    }
    drop_rejected(&mut map, rejected);
    Proposal { map, read, unreadable }
}

/// Removes every tie the practitioner rejected: same category, and its name or another name
/// for it is one they rejected.
pub fn drop_rejected(map: &mut Ecomap, rejected: &[EcomapRejection]) {
    if rejected.is_empty() {
        return;
    }
    let rejected: Vec<(String, &str)> =
        rejected.iter().map(|r| (normalised(&r.who), r.category.as_str())).collect();
    map.ties.retain(|tie| {
        let names: Vec<String> =
            std::iter::once(&tie.who).chain(&tie.aliases).map(|n| normalised(n)).collect();
        !rejected.iter().any(|(who, category)| {
            *category == tie.category.as_str() && !who.is_empty() && names.contains(who)
        })
    });
}

#[cfg(test)]
mod tests {
    use doorstep_core::ids::{PersonId, TieId};
    use doorstep_core::model::{EcomapTie, SupportFlow, TieCategory, TieQuality};

    use super::*;
    use crate::lexicon::Lexicon;

    fn unread(text: &str) -> UnreadNote {
        UnreadNote { id: NoteId::new(), external_id: None, date: None, text: text.into() }
    }

    fn tie(who: &str, aliases: &[&str], category: TieCategory) -> EcomapTie {
        EcomapTie {
            id: TieId::new(),
            who: who.into(),
            aliases: aliases.iter().map(|a| (*a).to_owned()).collect(),
            role: String::new(),
            category,
            quality: TieQuality::Strong,
            support: SupportFlow::ToSubject,
            note: String::new(),
            domains: Vec::new(),
            evidence: None,
        }
    }

    #[test]
    fn a_note_too_long_to_read_is_named_and_the_others_are_read() {
        let lexicon = Lexicon::built_in().unwrap();
        let extractor = Extractor::new(&lexicon);
        let huge =
            UnreadNote { external_id: Some("n-huge".into()), ..unread(&"word ".repeat(50_000)) };
        let fine = unread("Her daughter Karen visits every day and does her shopping.");
        let notes = [huge.clone(), fine.clone()];
        let proposal =
            propose(Ecomap::empty(PersonId::new()), &notes, Some("Joan"), &extractor, &[]);
        assert_eq!(proposal.read, [fine.id]);
        assert_eq!(proposal.unreadable.len(), 1);
        let message = proposal.unreadable[0].to_string();
        assert!(message.contains("n-huge") && message.contains(&huge.id.to_string()), "{message}");
        assert!(message.contains("50000 words"), "{message}");
    }

    #[test]
    fn nothing_to_read_proposes_the_confirmed_map_unchanged() {
        let lexicon = Lexicon::built_in().unwrap();
        let extractor = Extractor::new(&lexicon);
        let mut base = Ecomap::empty(PersonId::new());
        base.ties.push(tie("Karen", &[], TieCategory::Family));
        let proposal = propose(base.clone(), &[], None, &extractor, &[]);
        assert_eq!(proposal.map, base);
        assert!(proposal.read.is_empty() && proposal.unreadable.is_empty());
    }

    #[test]
    fn rejected_nodes_are_dropped_by_any_of_their_names_in_their_category() {
        let mut map = Ecomap::empty(PersonId::new());
        map.ties.push(tie("her nan", &["Grandma Pat"], TieCategory::Family));
        map.ties.push(tie("Gary", &[], TieCategory::Work));
        map.ties.push(tie("day centre", &[], TieCategory::SocialCare));
        let rejected = [
            EcomapRejection { who: "grandma pat".into(), category: TieCategory::Family },
            EcomapRejection { who: "Gary".into(), category: TieCategory::Friend },
            EcomapRejection { who: "The day centre".into(), category: TieCategory::SocialCare },
        ];
        drop_rejected(&mut map, &rejected);
        let left: Vec<&str> = map.ties.iter().map(|t| t.who.as_str()).collect();
        assert_eq!(left, ["Gary"], "Gary was rejected as a friend, not as a colleague");
    }

    #[test]
    fn what_the_notes_say_is_folded_in_date_order() {
        let lexicon = Lexicon::built_in().unwrap();
        let extractor = Extractor::new(&lexicon);
        let notes = [
            unread("Her daughter Karen visits every day and does her shopping."),
            unread("Her daughter Karen has fallen out with her after a row about money."),
        ];
        let proposal =
            propose(Ecomap::empty(PersonId::new()), &notes, Some("Joan Platt"), &extractor, &[]);
        assert_eq!(proposal.read, [notes[0].id, notes[1].id]);
        let karen: Vec<&EcomapTie> =
            proposal.map.ties.iter().filter(|t| normalised(&t.who).contains("karen")).collect();
        assert_eq!(karen.len(), 1, "one node for Karen: {:#?}", proposal.map.ties);
        assert_ne!(karen[0].quality, TieQuality::Strong, "the later note wins");
    }
}
