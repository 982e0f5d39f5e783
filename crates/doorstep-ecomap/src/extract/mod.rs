//! Reading a note into ties: who and what the note mentions in relation to the person, their
//! category, how the tie is and which way support flows, each with the passage that says so.
//!
//! `mentions` finds the phrases naming people, groups, services and pets; this module gathers
//! the mentions of one node (a name, or a role said again) and `judge` weighs their clauses.

mod age;
mod direction;
mod judge;
mod lists;
mod mentions;
mod note;
mod points;
mod prune;
#[cfg(test)]
mod tests;
mod words;
mod workplace;

use std::collections::BTreeMap;
use std::ops::Index;

use doorstep_core::model::{
    Ecomap, SupportFlow, TextSpan, TieCategory, TieQuality, WellbeingDomain,
};
use doorstep_themes::text::Token;
use doorstep_themes::{MeaningMatch, Tagger, Taxonomy};
use serde::Serialize;

use crate::error::EcomapError;
use crate::lexicon::{Lexicon, Role};
use crate::merge::names_in;
use mentions::{Centre, Finder, Mention};
use note::{Clause, HE, Note, SHE, THEY};

/// Notes longer than this are refused rather than read slowly into a map nobody could check.
pub const MAX_WORDS: usize = 20_000;

/// A passage of the text, by character offsets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Passage {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

impl Passage {
    pub fn span(&self) -> TextSpan {
        TextSpan::new(self.start, self.end)
    }
}

/// A tie read from one text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SuggestedTie {
    /// The phrase the note uses first for them ("her daughter Karen").
    pub who: String,
    pub role: String,
    pub category: TieCategory,
    pub quality: TieQuality,
    pub support: SupportFlow,
    /// Other phrases in the same text naming the same node ("Karen").
    pub aliases: Vec<String>,
    pub domains: Vec<WellbeingDomain>,
    pub evidence: Passage,
    /// The passage saying they help the person, when the note says so rather than the role
    /// implying it.
    #[serde(skip)]
    pub help: Option<Passage>,
}

/// A strength of the person, or something that matters to them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SuggestedPoint {
    pub text: String,
    pub domains: Vec<WellbeingDomain>,
    pub evidence: Passage,
}

/// Everything read from one text.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Suggestion {
    pub ties: Vec<SuggestedTie>,
    pub strengths: Vec<SuggestedPoint>,
    pub matters: Vec<SuggestedPoint>,
}

/// Reads notes with one lexicon, and the theme taxonomy for the person's own strengths.
#[derive(Debug)]
pub struct Extractor<'l> {
    lexicon: &'l Lexicon,
    tagger: Option<Tagger<'l>>,
}

impl<'l> Extractor<'l> {
    /// Reads ties and what matters; strengths need [`Extractor::with_strengths`].
    pub fn new(lexicon: &'l Lexicon) -> Self {
        Self { lexicon, tagger: None }
    }

    /// Also reads the person's own strengths, with the theme tagger over `taxonomy`.
    pub fn with_strengths(lexicon: &'l Lexicon, taxonomy: &'l Taxonomy) -> Self {
        Self { lexicon, tagger: Some(Tagger::new(taxonomy)) }
    }

    /// Reads `text`; `subject` is the person at the centre, whose own name is never a tie.
    pub fn suggest(&self, text: &str, subject: Option<&str>) -> Result<Suggestion, EcomapError> {
        self.suggest_with(text, subject, None)
    }

    /// The strengths the ties in `text` show, as mentions for the theme tagger to judge (see
    /// [`crate::helping_mentions`]); none for a note too long to read into ties.
    pub fn helping(&self, text: &str) -> Vec<MeaningMatch> {
        match self.suggest(text, None) {
            Ok(suggestion) => crate::helping_mentions(self.lexicon, &suggestion),
            Err(_) => Vec::new(),
        }
    }

    /// Reads `text` knowing the person's map so far, so a bare name the map already holds
    /// ("Dean") is recognised as that node.
    pub fn suggest_with(
        &self,
        text: &str,
        subject: Option<&str>,
        known: Option<&Ecomap>,
    ) -> Result<Suggestion, EcomapError> {
        let words = text.split_whitespace().count();
        if words > MAX_WORDS {
            return Err(EcomapError::TooLong { words, limit: MAX_WORDS });
        }
        let note = Note::read(text);
        let centre = centre_of(subject, &note.tokens);
        let mut roles = Roles { lexicon: &self.lexicon.roles, known: Vec::new() };
        let mut known_names = Vec::new();
        for tie in known.map_or(&[][..], |m| m.ties.as_slice()) {
            let index = roles.lexicon.len() + roles.known.len();
            roles.known.push(Role {
                role: tie.role.clone(),
                category: tie.category.clone(),
                people: true,
                named: false,
                domains: tie.domains.clone(),
                support: None,
                quality: None,
            });
            for name in std::iter::once(&tie.who).chain(&tie.aliases) {
                let name = names_in(name).join(" ");
                if !name.is_empty() {
                    known_names.push((name, index));
                }
            }
        }
        let finder = Finder {
            lexicon: self.lexicon,
            chars: &note.chars,
            tokens: &note.tokens,
            sentence_start: &note.sentence_start,
            centre: &centre,
        };
        let mut found = finder.role_mentions();
        for m in &found {
            if let Some(name) = &m.name {
                known_names.insert(0, (name.to_lowercase(), m.role));
            }
        }
        let bare = finder.name_mentions(&known_names, &found);
        found.extend(bare);
        found.sort_by_key(|m| m.tokens.start);

        let read = group(&found, &roles)
            .into_iter()
            .filter_map(|node| {
                let person = roles[found[*node.first()?].role].people;
                let tie = self.tie(&note, &roles, &found, &node, &centre)?;
                Some(prune::Read { person, tie })
            })
            .collect();
        let ties = prune::collectives_with_members(prune::places_with_staff(read));
        let strengths = match &self.tagger {
            Some(tagger) => points::strengths(self.lexicon, tagger, text, &note),
            None => Vec::new(),
        };
        let matters = points::matters(self.lexicon, &note, &centre.names);
        Ok(Suggestion { ties, strengths, matters })
    }

    /// The tie for one node, or `None` when every mention only plans or offers it.
    fn tie(
        &self,
        note: &Note,
        roles: &Roles<'_>,
        found: &[Mention],
        node: &[usize],
        centre: &Centre,
    ) -> Option<SuggestedTie> {
        let factual: Vec<usize> = node
            .iter()
            .copied()
            .filter(|&i| {
                !judge::planned(&note.clause_words(&found[i])) && !note.said_none(&found[i])
            })
            .collect();
        let mut role = &roles[found[*factual.first()?].role];
        let young = factual
            .iter()
            .any(|&i| {
                age::age_after(&note.chars, &note.tokens, found[i].tokens.end)
                    .is_some_and(age::is_child)
            })
            .then(|| age::as_child(role));
        if let Some(child) = &young {
            role = child;
        }
        let other_pronoun = gender_of(&role.role).filter(|&g| centre.female == Some(!g));
        let clauses: Vec<Clause> = factual
            .iter()
            .map(|&i| {
                let mut clause = note.window(found, i, &self.lexicon.referral_before);
                if let Some(female) = other_pronoun {
                    let own = note.follow_on(found, i, if female { SHE } else { HE });
                    // Else the person's own sentence may name the tie as its object ("Her
                    // brother lives nearby. She is frightened of him.").
                    let (person, object) = if female { (HE, "her") } else { (SHE, "him") };
                    if own.is_empty() {
                        let said = note.follow_on(found, i, person);
                        if let Some(at) = said.iter().position(|w| w == object) {
                            clause.carry_on_at(said, at);
                        }
                    } else {
                        clause.carry_on(own);
                    }
                } else if role.people && note.alone_in_sentence(found, i) {
                    // "They" after a sentence naming only this person is the two of them.
                    clause.carry_on(note.follow_on(found, i, THEY));
                }
                clause
            })
            .collect();
        let factual: Vec<&Mention> = factual.iter().map(|&i| &found[i]).collect();
        let first = factual.first()?;
        // "a friend", "a nurse" and nothing more: someone unspecified, not a tie. A relative is
        // someone in particular however they are introduced ("a niece in Spain"), and a group
        // or service may be ("with a local church team"); so is a pet the person has ("he's
        // got a lurcher"), not one wished for or likened to ("shouts at me like a dog").
        let kept = |m: &Mention| {
            role.category == TieCategory::Pet
                && m.tokens.start > 0
                && HAVING.contains(&note.tokens[m.tokens.start - 1].lower.as_str())
        };
        let indefinite = role.people
            && role.category != TieCategory::Family
            && factual.iter().all(|m| {
                m.name.is_none()
                    && matches!(note.tokens[m.tokens.start].lower.as_str(), "a" | "an")
                    && !kept(m)
            });
        if indefinite {
            return None;
        }
        let late =
            factual.iter().any(|m| note.tokens[m.tokens.clone()].iter().any(|t| t.lower == "late"));
        let far = role.people && factual.iter().any(|m| note.lives_elsewhere(m.tokens.clone()));
        let referred = factual
            .iter()
            .any(|m| note.referred(m, &self.lexicon.referral_before, &self.lexicon.referral_after));
        let standing = judge::Standing { late, far, referred };
        let quality = judge::quality(self.lexicon, &clauses, &standing, role, centre);
        // A relationship word the note puts in quotes ("a new 'friend'", "his 'uncle'") is
        // what the person or others call them, which the writer doubts: someone exploiting
        // the tie, not a friend or relative.
        let quality = if quality != TieQuality::Broken
            && role.people
            && factual.iter().any(|m| note.quoted_role(m.tokens.clone()))
        {
            TieQuality::Stressful
        } else {
            quality
        };
        let (support, helped_in) = judge::support(self.lexicon, &clauses, &quality, role, centre);
        let apart = young.is_some()
            && factual.iter().any(|m| age::lives_apart(&note.words_from(m.tokens.start)));
        let (quality, support) =
            if apart { age::apart(quality, support) } else { (quality, support) };
        let named = factual
            .iter()
            .filter(|m| m.name.is_some())
            .max_by_key(|m| (m.tokens.len(), std::cmp::Reverse(m.tokens.start)))
            .unwrap_or(first);
        let who = note.slice(named.tokens.clone());
        let mut aliases: Vec<String> = Vec::new();
        for m in &factual {
            let said = note.slice(m.tokens.clone());
            if said != who && !aliases.contains(&said) {
                aliases.push(said);
            }
        }
        let evidence = note.sentence_passage(first.tokens.start);
        let help = helped_in.map(|i| note.sentence_passage(factual[i].tokens.start));
        Some(SuggestedTie {
            who,
            role: role.role.clone(),
            category: role.category.clone(),
            quality,
            support,
            aliases,
            domains: role.domains.clone(),
            evidence,
            help,
        })
    }
}

/// Verbs of having a pet: "he's got a lurcher", "she has a cat".
const HAVING: &[&str] = &["got", "has", "have", "had", "owns", "keeps"];

/// The person at the centre: their names, and whether the note calls them she or he.
fn centre_of(subject: Option<&str>, tokens: &[Token]) -> Centre {
    let names =
        subject.map(|s| s.split_whitespace().map(str::to_lowercase).collect()).unwrap_or_default();
    let (mut she, mut he) = (0usize, 0usize);
    for t in tokens {
        match t.lower.as_str() {
            "she" | "her" | "hers" | "herself" | "she's" => she += 1,
            "he" | "him" | "his" | "himself" | "he's" => he += 1,
            _ => {}
        }
    }
    let female = if she >= 2 * he.max(1) {
        Some(true)
    } else if he >= 2 * she.max(1) {
        Some(false)
    } else {
        None
    };
    Centre { names, female }
}

/// Whether a role names a woman (`Some(true)`) or a man, when the word says.
fn gender_of(role: &str) -> Option<bool> {
    const WOMEN: &[&str] = &[
        "mother",
        "stepmother",
        "grandmother",
        "daughter",
        "sister",
        "aunt",
        "niece",
        "granddaughter",
        "wife",
        "girlfriend",
        "mother-in-law",
        "daughter-in-law",
    ];
    const MEN: &[&str] = &[
        "father",
        "stepfather",
        "grandfather",
        "son",
        "brother",
        "uncle",
        "nephew",
        "grandson",
        "husband",
        "boyfriend",
        "father-in-law",
        "son-in-law",
    ];
    if WOMEN.contains(&role) {
        Some(true)
    } else if MEN.contains(&role) {
        Some(false)
    } else {
        None
    }
}

/// The lexicon's roles, then the roles of the ties the map already holds: a mention's role is
/// an index into both, in that order, so the lexicon is never copied per note.
struct Roles<'a> {
    lexicon: &'a [Role],
    known: Vec<Role>,
}

impl Index<usize> for Roles<'_> {
    type Output = Role;

    fn index(&self, at: usize) -> &Role {
        match self.lexicon.get(at) {
            Some(role) => role,
            None => &self.known[at - self.lexicon.len()],
        }
    }
}

/// Mentions grouped into nodes: one per name, and one per role said without a name (joined to
/// the one named node of that role when there is exactly one).
fn group(found: &[Mention], roles: &Roles<'_>) -> Vec<Vec<usize>> {
    let mut nodes: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    // By the role's name, so a node the map already knew ("Mum, Lauren") and the lexicon's
    // "mum" meet.
    let named_of_role = |role: usize| -> Vec<String> {
        let mut names: Vec<String> = found
            .iter()
            .filter(|m| !m.owned && roles[m.role].role.eq_ignore_ascii_case(&roles[role].role))
            .filter_map(|m| m.name.as_ref().map(|n| n.to_lowercase()))
            .collect();
        names.sort();
        names.dedup();
        names
    };
    for (i, m) in found.iter().enumerate() {
        let key = match &m.name {
            Some(name) => format!("n:{}", name.to_lowercase()),
            None => {
                let names = named_of_role(m.role);
                if roles[m.role].people && names.len() == 1 {
                    format!("n:{}", names[0])
                } else {
                    format!("r:{}", roles[m.role].role)
                }
            }
        };
        if !nodes.contains_key(&key) {
            order.push(key.clone());
        }
        nodes.entry(key).or_default().push(i);
    }
    order.into_iter().filter_map(|k| nodes.remove(&k)).collect()
}
