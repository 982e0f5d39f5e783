//! Which way help flows, read from who does the helping. The same words say opposite things by
//! their order: "her daughter looks after her" is help to the person, "she looks after her
//! daughter" help from them. So a phrase of helping (the lexicon's `[help]`) counts for the node
//! when the node comes before it as the one doing it ("Karen, who does her shopping"), or after
//! "by" ("she is cared for by her son"); it counts for the person when the node follows it as
//! the one helped ("she cares for her husband", "he helps Mum in and out of the bath"), or when
//! the person is named between the node and the verb ("her husband, who she cares for").

use super::mentions::Centre;
use super::note::Clause;
use crate::lexicon::Phrase;

/// What a node's clauses say of the help between it and the person.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Flow {
    /// The node helps the person.
    pub to_subject: bool,
    /// The person helps the node.
    pub from_subject: bool,
}

/// Words that turn the helping phrase after them around or deny it ("needs looking after",
/// "doesn't help").
const NOT_DONE: &[&str] = &[
    "need", "needs", "needed", "needing", "not", "never", "doesn't", "don't", "didn't", "won't",
    "can't", "cannot", "couldn't", "no", "without", "nobody", "refuses", "refused",
];

/// Words that may stand between a helping verb and the node it helps ("cares full time for").
const BETWEEN_VERB_AND_HELPED: &[&str] = &["full", "time", "also", "now", "still", "for", "to"];

/// Words that name whose the helped one is ("her elderly neighbour").
const POSSESSIVES: &[&str] = &["her", "his", "their", "my", "our"];

/// Whether `gap`, the words between a helping verb and the node, leaves the node the one
/// helped: words like "full time" and "for", then at most a possessive and one word more
/// ("cooks for her elderly neighbour").
fn helped_after(gap: &[&str]) -> bool {
    let own = gap.iter().position(|w| POSSESSIVES.contains(w)).unwrap_or(gap.len());
    gap[..own].iter().all(|w| BETWEEN_VERB_AND_HELPED.contains(w))
        && gap[..own].len() <= 3
        && gap.len() - own <= 2
}

/// The furthest, in words, a helping verb may follow the node that does it.
const MAX_REACH: usize = 10;

/// Whether `word` stands for the person at the centre as the one doing something.
pub(super) fn is_centre(word: &str, centre: &Centre) -> bool {
    let pronouns: &[&str] = match centre.female {
        Some(true) => &["she", "she's"],
        Some(false) => &["he", "he's"],
        None => &["she", "she's", "he", "he's"],
    };
    pronouns.contains(&word) || centre.names.iter().any(|n| n == word)
}

/// Someone other than the node or the person doing what follows: the practitioner, or
/// "they" (often the person and the node together).
fn is_other_doer(word: &str) -> bool {
    matches!(word, "i" | "i've" | "i'd" | "we" | "we've" | "they" | "they're" | "they've" | "who's")
}

/// Words that may come between the one doing something and the verb ("she also looks after",
/// "he's been caring for").
const AUXILIARIES: &[&str] = &[
    "also",
    "still",
    "now",
    "really",
    "often",
    "always",
    "usually",
    "mainly",
    "mostly",
    "even",
    "sometimes",
    "has",
    "had",
    "have",
    "been",
    "is",
    "was",
    "basically",
    "then",
    "just",
];

/// Words after a verb that are the one helped, said again ("she cares for him").
const OBJECTS: &[&str] = &["him", "her", "them"];

/// The nearest word before `p` that is not an auxiliary, by index.
fn doer_before(words: &[&str], p: usize) -> Option<usize> {
    (0..p).rev().find(|&i| !AUXILIARIES.contains(&words[i]))
}

/// The flow of help the clause's phrases of helping show: `help` reads either way round;
/// `before` only with the one helped straight after it.
pub(super) fn flow(help: &[Phrase], before: &[Phrase], clause: &Clause, centre: &Centre) -> Flow {
    let words: Vec<&str> = clause.words.iter().map(String::as_str).collect();
    let mut out = Flow::default();
    for at in &clause.at {
        for p in 0..words.len() {
            let both_ways = help.iter().find(|h| h.matches_at(&words, p));
            let Some(phrase) =
                both_ways.or_else(|| before.iter().find(|h| h.matches_at(&words, p)))
            else {
                continue;
            };
            if p > 0 && NOT_DONE.contains(&words[p - 1]) {
                continue;
            }
            let end = p + phrase.words.len();
            if both_ways.is_some() && p >= at.end && p - at.end <= MAX_REACH {
                // The node, then the verb: the node does it, unless someone else is named
                // doing it in between. The person named doing it helps the node when the verb
                // ends there or takes the node again as a pronoun ("who she cares for").
                let between = &words[at.end..p];
                let doer = doer_before(&words, p).filter(|&d| d >= at.end).map(|d| words[d]);
                if doer.is_some_and(|d| is_centre(d, centre)) {
                    let object = words.get(end).copied();
                    if object.is_none_or(|o| OBJECTS.contains(&o)) {
                        out.from_subject = true;
                    }
                } else if !between.iter().any(|w| is_centre(w, centre) || is_other_doer(w))
                    && !matches!(words.get(p.wrapping_sub(1)), Some(&("is" | "was" | "being")))
                {
                    out.to_subject = true;
                }
            } else if p < at.start {
                // The verb, then the node: the node is the one helped, unless "by" names it as
                // the one helping. The phrase may take in the node's first word ("does his" in
                // "does his mum's shopping").
                let gap = &words[end.min(at.start)..at.start];
                if gap.last() == Some(&"by") {
                    out.to_subject = true;
                } else if helped_after(gap)
                    && !doer_before(&words, p).is_some_and(|d| is_other_doer(words[d]))
                {
                    out.from_subject = true;
                }
            }
        }
    }
    out
}
