//! Judging a node from the clauses that mention it: whether the note only plans or offers it
//! ("I'll refer to OT", "I mentioned Age UK"), how the tie is, and which way support flows.

use doorstep_core::model::{SupportFlow, TieCategory, TieQuality};

use super::direction::{self, Flow};
use super::mentions::Centre;
use super::note::Clause;
use crate::lexicon::{Lexicon, Phrase, Role};

/// Phrases that make a mention the practitioner's plan or offer rather than part of the
/// person's network.
const PLANS: &[&[&str]] = &[
    &["i'll"],
    &["i", "will"],
    &["i'm", "going", "to"],
    &["we'll"],
    &["we", "will"],
    &["i've", "given"],
    &["i", "gave"],
    &["gave", "her"],
    &["gave", "him"],
    &["given", "her"],
    &["given", "him"],
    &["i", "mentioned"],
    &["mentioned"],
    &["suggested"],
    &["i", "suggested"],
    &["number", "for"],
    &["leaflet"],
    &["next", "time"],
    &["will", "ask"],
    &["to", "ask"],
    &["would", "like"],
    &["could"],
    &["might"],
    &["if"],
    &["whether"],
    &["need", "to", "refer"],
    &["will", "refer"],
    &["to", "refer"],
    &["i'd"],
    &["we'd"],
    &["offered", "to", "refer"],
    &["signpost"],
    &["signposted"],
    &["details", "of"],
    &["i've", "asked"],
    &["i", "asked"],
    &["i've", "emailed"],
    &["i've", "chased"],
    &["have", "chased"],
    &["i", "rang"],
    &["i've", "rung"],
    &["i", "spoke", "to"],
    &["i've", "spoken"],
    &["i", "phoned"],
];

/// Words that show the node does something for the person: what keeps a tenuous tie's support
/// flowing ("her son rarely visits but does her shopping").
const HELPS: &[&str] = &[
    "does",
    "doing",
    "helps",
    "helped",
    "help",
    "shopping",
    "takes",
    "took",
    "cooks",
    "cleans",
    "cares",
    "looks",
    "brings",
    "drops",
    "support",
    "supports",
    "supporting",
    "carer",
    "caring",
    "shop",
    "cooked",
    "fed",
    "feed",
    "feeds",
];

fn words_of(clauses: &[Clause]) -> impl Iterator<Item = Vec<&str>> {
    clauses.iter().map(|c| c.words.iter().map(String::as_str).collect())
}

/// Whether a clause only plans or offers the tie. A plan's words after "when" tell the time of
/// what follows instead ("when I asked, he said Craig takes his card").
pub(super) fn planned(clause: &[String]) -> bool {
    let words: Vec<&str> = clause.iter().map(String::as_str).collect();
    PLANS.iter().any(|plan| {
        (0..words.len())
            .any(|at| words[at..].starts_with(plan) && (at == 0 || words[at - 1] != "when"))
    })
}

/// Words that deny what follows them ("no concerns about exploitation", "both deny any
/// violence or threats").
const DENIALS: &[&str] = &["no", "not", "deny", "denies", "denied", "never", "without", "nor"];

/// Words that end a denial's reach ("no bruises but he shouts").
const DENIAL_ENDS: &[&str] = &["but", "and", "so", "because", "although", "though", "which"];

/// How many words back a denial reaches.
const DENIAL_REACH: usize = 4;

/// Whether `phrase` is said at `at` in `words` without a denial just before it. "But not"
/// sets one thing against another rather than denying it ("he misses his dad but not the
/// shouting").
fn affirmed(phrase: &Phrase, words: &[&str], at: usize) -> bool {
    let from = at.saturating_sub(DENIAL_REACH);
    phrase.matches_at(words, at)
        && !(from..at)
            .rev()
            .take_while(|&i| !DENIAL_ENDS.contains(&words[i]))
            .any(|i| DENIALS.contains(&words[i]) && (i == 0 || words[i - 1] != "but"))
}

/// Whether any of `phrases` is said, and not denied, in a clause.
fn any(phrases: &[Phrase], clauses: &[Clause]) -> bool {
    words_of(clauses)
        .any(|words| phrases.iter().any(|p| (0..words.len()).any(|at| affirmed(p, &words, at))))
}

/// How many words before a parting the person is looked for ("she and her husband Dean
/// separated").
const PARTING_REACH: usize = 6;

/// Whether a clause says the person parted from the node ("she and Dean split up", "they
/// separated"), not that others did ("Mum and Dad separated" in a child's note).
fn parted(lexicon: &Lexicon, clauses: &[Clause], centre: &Centre) -> bool {
    // The person is one of those who parted when named before the parting ("she and Dean split
    // up"), not after it ("...separated, and the handovers upset Freya").
    words_of(clauses).any(|words| {
        let person = |w: &&str| {
            matches!(*w, "they" | "they've" | "i" | "we")
                || direction::is_centre(w, centre)
                || (centre.female.is_none() && matches!(*w, "she" | "he"))
        };
        lexicon.parting.iter().any(|p| {
            (0..words.len()).any(|at| {
                affirmed(p, &words, at)
                    && words[at.saturating_sub(PARTING_REACH)..at].iter().any(person)
            })
        })
    })
}

/// The qualities in the order one outranks the next when a note says several.
const RANKED: [TieQuality; 5] = [
    TieQuality::Broken,
    TieQuality::Stressful,
    TieQuality::Strong,
    TieQuality::Tenuous,
    TieQuality::Moderate,
];

/// The highest-ranked quality a phrase in the clauses says, affirmed. A phrase inside a longer
/// one of a milder quality says nothing by itself: "once a week" is regular, not the "once" of
/// a single time; "not always reliable" is fragile, not "reliable". Contact ended stands
/// wherever it is said ("stopped" in "stopped her seeing her sister").
fn said_quality(lexicon: &Lexicon, clauses: &[Clause]) -> Option<TieQuality> {
    let mut found: Vec<(usize, usize, usize)> = Vec::new();
    for words in words_of(clauses) {
        let mut spans: Vec<(usize, usize, usize)> = Vec::new();
        for (rank, quality) in RANKED.iter().enumerate() {
            for p in lexicon.quality_phrases(quality) {
                for at in (0..words.len()).filter(|&at| affirmed(p, &words, at)) {
                    spans.push((rank, at, at + p.words.len()));
                }
            }
        }
        let inside = |&(rank, start, end): &(usize, usize, usize)| {
            spans.iter().any(|&(r, s, e)| {
                rank > 0 && r > rank && s <= start && end <= e && e - s > end - start
            })
        };
        // "Used to visit a lot but now rarely comes": what is said of now outranks the past.
        let now = (1..words.len())
            .rev()
            .find(|&i| words[i] == "now" && matches!(words[i - 1], "but" | "and"));
        let current = |&&(_, start, _): &&(usize, usize, usize)| {
            now.is_none_or(|n| start > n || spans.iter().all(|&(_, s, _)| s < n))
        };
        found.extend(spans.iter().filter(|s| !inside(s)).filter(current));
    }
    found.iter().map(|&(rank, _, _)| rank).min().map(|rank| RANKED[rank].clone())
}

/// What the note says of a tie besides the words around it.
pub(super) struct Standing {
    /// The note calls them "late" (died).
    pub late: bool,
    /// They live in another town or country.
    pub far: bool,
    /// The person has just been referred to them ("referred to CAMHS", "ISVA referral").
    pub referred: bool,
}

/// The tie's quality from the clauses mentioning it and its standing. Broken outranks
/// stressful, which outranks strong, then tenuous, then moderate (regular contact, "rings
/// weekly"); else the category's default. A phrase under a denial ("no concerns about
/// violence") says nothing. A referral not yet taken up is tenuous unless the note says more.
pub(super) fn quality(
    lexicon: &Lexicon,
    clauses: &[Clause],
    standing: &Standing,
    role: &Role,
    centre: &Centre,
) -> TieQuality {
    if standing.late || parted(lexicon, clauses, centre) {
        return TieQuality::Broken;
    }
    let said = said_quality(lexicon, clauses);
    if standing.referred && said.as_ref().is_none_or(|q| *q == TieQuality::Moderate) {
        return TieQuality::Tenuous;
    }
    if let Some(quality) = said {
        return quality;
    }
    // Living in another town or country, with nothing said of regular contact, is a thin tie.
    if standing.far {
        return TieQuality::Tenuous;
    }
    // Caring for someone ("she looks after her dad") is close and frequent contact.
    let cared_for =
        |c: &Clause| direction::flow(&lexicon.help, &lexicon.help_before, c, centre).from_subject;
    if role.people && clauses.iter().any(cared_for) {
        return TieQuality::Strong;
    }
    // A teacher, coach or worker praising the person ("says she's a natural", "says he's top of
    // the group") is a strong tie: they know and back the person.
    let staff = matches!(
        role.category,
        TieCategory::Education
            | TieCategory::Community
            | TieCategory::Work
            | TieCategory::SocialCare
    );
    let praised = |c: &Clause| {
        let said: Vec<&str> = c.said.iter().map(String::as_str).collect();
        lexicon
            .quality_phrases(&TieQuality::Strong)
            .iter()
            .any(|p| (0..said.len()).any(|at| affirmed(p, &said, at)))
    };
    if staff && role.people && clauses.iter().any(praised) {
        return TieQuality::Strong;
    }
    lexicon.default_quality(role)
}

/// Which way support flows, given the quality already judged: help the person gives goes
/// first (a carer's tie stays on the map as theirs however strained), then help both ways, then
/// the note's signs that nothing flows, then the role's usual flow. With it, the first clause
/// that says the node helps the person, when one does.
pub(super) fn support(
    lexicon: &Lexicon,
    clauses: &[Clause],
    quality: &TieQuality,
    role: &Role,
    centre: &Centre,
) -> (SupportFlow, Option<usize>) {
    let category = &role.category;
    if *quality == TieQuality::Broken {
        return (SupportFlow::None, None);
    }
    let mut read = Flow::default();
    let mut helped_in = None;
    for (i, clause) in clauses.iter().enumerate() {
        let one = direction::flow(&lexicon.help, &lexicon.help_before, clause, centre);
        let helping = one.to_subject || clause.words.iter().any(|w| HELPS.contains(&w.as_str()));
        if helping && helped_in.is_none() {
            helped_in = Some(i);
        }
        read.to_subject |= one.to_subject;
        read.from_subject |= one.from_subject;
    }
    // A phrase that only names the tie itself ("volunteers" for the volunteers) says nothing
    // about which way help flows.
    let own = |p: &Phrase| p.words.len() == 1 && p.words[0].starts_with(role.role.as_str());
    let said = |flow: &SupportFlow| {
        let phrases = lexicon.support_phrases(flow);
        words_of(clauses)
            .any(|words| phrases.iter().filter(|p| !own(p)).any(|p| p.occurs_in(&words)))
    };
    if read.from_subject || said(&SupportFlow::FromSubject) {
        let flow = if read.to_subject { SupportFlow::Both } else { SupportFlow::FromSubject };
        return (flow, helped_in);
    }
    if said(&SupportFlow::Both) {
        return (SupportFlow::Both, helped_in);
    }
    let helps = helped_in.is_some();
    let personal =
        matches!(category, TieCategory::Family | TieCategory::Friend | TieCategory::Neighbour);
    // A service still open to the person serves them, whatever else the sentence says.
    if personal && !helps && any(lexicon.support_phrases(&SupportFlow::None), clauses) {
        return (SupportFlow::None, None);
    }
    // A stressful tie is a strain on the person, not a help, whoever it is ("he shouts at her
    // and took her phone", "the landlord keeps cancelling the repairs"): the help it gives,
    // if any, is not what the map shows of it. Contact alone ("rings", "pops in") keeps no
    // tenuous tie with family or friends flowing either; only help does.
    if *quality == TieQuality::Stressful || (personal && *quality == TieQuality::Tenuous && !helps)
    {
        return (SupportFlow::None, None);
    }
    (role.support.clone().unwrap_or(SupportFlow::ToSubject), helped_in)
}
