//! Judging a node from the clauses that mention it: whether the note only plans or offers it
//! ("I'll refer to OT", "I mentioned Age UK"), how the tie is, and which way support flows.

use doorstep_core::model::{SupportFlow, TieCategory, TieQuality};

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

/// Words that show the node helps the person, which keeps a stressful tie's support flowing.
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
    "visits",
    "visited",
    "comes",
    "brings",
    "drops",
    "support",
    "supports",
    "supporting",
    "carer",
    "caring",
    "rang",
    "rings",
    "stays",
    "staying",
    "lives",
    "phones",
    "picks",
    "pops",
    "calls",
    "shop",
    "cooked",
    "fed",
];

fn words_of<'a>(clauses: &'a [Vec<String>]) -> impl Iterator<Item = Vec<&'a str>> + 'a {
    clauses.iter().map(|c| c.iter().map(String::as_str).collect())
}

/// Whether a clause only plans or offers the tie.
pub(super) fn planned(clause: &[String]) -> bool {
    let words: Vec<&str> = clause.iter().map(String::as_str).collect();
    PLANS.iter().any(|plan| (0..words.len()).any(|at| words[at..].starts_with(plan)))
}

fn any(phrases: &[Phrase], clauses: &[Vec<String>]) -> bool {
    words_of(clauses).any(|words| phrases.iter().any(|p| p.occurs_in(&words)))
}

/// The tie's quality from the clauses mentioning it; `late` when the note calls them "late"
/// (died). Broken outranks stressful, which outranks strong, then tenuous, then moderate
/// (regular contact, "rings weekly"); else the category's default.
pub(super) fn quality(
    lexicon: &Lexicon,
    clauses: &[Vec<String>],
    late: bool,
    category: &TieCategory,
) -> TieQuality {
    if late {
        return TieQuality::Broken;
    }
    for quality in [
        TieQuality::Broken,
        TieQuality::Stressful,
        TieQuality::Strong,
        TieQuality::Tenuous,
        TieQuality::Moderate,
    ] {
        if any(lexicon.quality_phrases(&quality), clauses) {
            return quality;
        }
    }
    lexicon.default_quality(category)
}

/// Which way support flows, given the quality already judged.
pub(super) fn support(
    lexicon: &Lexicon,
    clauses: &[Vec<String>],
    quality: &TieQuality,
    role: &Role,
) -> SupportFlow {
    let category = &role.category;
    if *quality == TieQuality::Broken {
        return SupportFlow::None;
    }
    // A phrase that only names the tie itself ("volunteers" for the volunteers) says nothing
    // about which way help flows.
    let own = |p: &Phrase| p.words.len() == 1 && p.words[0].starts_with(role.role.as_str());
    for flow in [SupportFlow::FromSubject, SupportFlow::Both] {
        let phrases = lexicon.support_phrases(&flow);
        if words_of(clauses)
            .any(|words| phrases.iter().filter(|p| !own(p)).any(|p| p.occurs_in(&words)))
        {
            return flow;
        }
    }
    let helps = words_of(clauses).any(|words| words.iter().any(|w| HELPS.contains(w)));
    let personal =
        matches!(category, TieCategory::Family | TieCategory::Friend | TieCategory::Neighbour);
    // A service still open to the person serves them, whatever else the sentence says.
    if personal && !helps && any(lexicon.support_phrases(&SupportFlow::None), clauses) {
        return SupportFlow::None;
    }
    let strained = matches!(quality, TieQuality::Stressful | TieQuality::Tenuous);
    if !helps
        && ((personal && strained)
            || (*quality == TieQuality::Stressful
                && matches!(category, TieCategory::Work | TieCategory::OtherService)))
    {
        return SupportFlow::None;
    }
    role.support.clone().unwrap_or(SupportFlow::ToSubject)
}
