//! Finding the taxonomy's words in a note: acronyms (with their capitals), synonyms and cues
//! (phrases whose words meet across endings, "smelled of alcohol" in "smells strongly of
//! alcohol"), and `together` rules: one item of every group, in the groups' order, each close
//! to the one before, in one clause ("her daughter ... does her shopping").

use std::collections::HashMap;
use std::ops::Range;

use super::text::{NOT_NAMES, Place, TITLES, Token, tokens};
use crate::taxonomy::{Kind, Taxonomy};

/// How a phrase names its theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Strength {
    /// An acronym or a synonym: the theme's own name.
    Named,
    /// A cue or a `together` rule: words that show the theme.
    Cue,
    /// A statement the meaning model puts near the theme's examples.
    Meaning,
}

/// A theme's mention: the theme, the tokens it spans, and how it names the theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hit {
    pub theme: usize,
    pub from: usize,
    pub to: usize,
    pub how: Strength,
    /// Where the last group's word of a `together` rule starts (else `from`): a denial must
    /// come before it.
    pub last: usize,
}

/// Words that may stand inside a phrase without breaking it: "smelled strongly of alcohol",
/// "family are all very supportive", "lives with her maternal grandparents", and a dictated
/// note's "um" and "er".
const INTENSIFIERS: &[&str] = &[
    "very",
    "really",
    "so",
    "strongly",
    "quite",
    "extremely",
    "incredibly",
    "always",
    "also",
    "still",
    "all",
    "just",
    "often",
    "constantly",
    "regularly",
    "heavily",
    "badly",
    "clearly",
    "genuinely",
    "absolutely",
    "hugely",
    "massively",
    "too",
    "now",
    "um",
    "er",
    "erm",
    "uh",
    "like",
    "maternal",
    "paternal",
];

/// Words before a relation that introduce a person's name after it: "her daughter Karen".
const DETERMINERS: &[&str] = &["her", "his", "their", "my", "our", "the", "a", "an", "whose"];

/// A person's name: a capitalised word of letters that is not a sentence's usual first word.
pub(crate) fn is_name(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase)
        && word.chars().any(char::is_lowercase)
        && word.chars().all(|c| c.is_alphabetic() || c == '\'')
        && !NOT_NAMES.contains(&word)
        && !word.ends_with("'s")
}

/// Words for the people a phrase is about, which a phrase of several words matches one for
/// another: a cue written "takes her money" is also "taking their money", "took my money" and
/// "takes his money".
const PERSONS: &[&str] = &["her", "his", "their", "my", "your", "our", "him", "them", "me", "us"];

/// The one form a phrase's person word is kept in and compared as.
fn person(word: &str) -> Option<&'static str> {
    PERSONS.contains(&word).then_some("her")
}

/// How far (in words) a `together` group's item may be from the previous group's.
const TOGETHER_WINDOW: usize = 7;

#[derive(Debug)]
struct Phrase {
    words: Vec<String>,
    /// The last word may have any ending.
    prefix: bool,
    /// Acronyms match with their capitals only.
    exact_case: bool,
    /// Words of a phrase match across endings; a single word is matched exactly ("schooling"
    /// is not "school").
    stemmed: bool,
}

impl Phrase {
    fn new(text: &str, exact_case: bool) -> Option<Self> {
        let prefix = text.ends_with('*');
        let tokens = tokens(text.trim_end_matches('*'));
        let last = tokens.len().checked_sub(1)?;
        let stemmed = tokens.len() > 1;
        let words = tokens
            .into_iter()
            .enumerate()
            .map(|(i, t)| match (exact_case, prefix && i == last, stemmed) {
                (true, _, _) => t.text,
                (false, false, true) => person(&t.stem).map_or(t.stem, str::to_owned),
                (false, _, _) => t.lower,
            })
            .collect();
        Some(Self { words, prefix, exact_case, stemmed })
    }

    /// Where the phrase ends when it starts at `at`, within `tokens[..end]`.
    fn match_at(&self, tokens: &[Token], at: usize, end: usize) -> Option<usize> {
        let last = self.words.len() - 1;
        let mut i = at;
        for (n, word) in self.words.iter().enumerate() {
            if n > 0 && i < end && !self.word_is(n == last, word, &tokens[i]) {
                // One intensifier may stand between two words of a phrase.
                if INTENSIFIERS.contains(&tokens[i].lower.as_str()) {
                    i += 1;
                }
            }
            let token = tokens.get(i).filter(|_| i < end)?;
            if !self.word_is(n == last, word, token) {
                return None;
            }
            i += 1;
        }
        Some(i)
    }

    fn word_is(&self, last: bool, word: &str, token: &Token) -> bool {
        if self.exact_case {
            token.text == word
        } else if last && self.prefix {
            token.lower.starts_with(word)
        } else if self.stemmed {
            // A phrase keeps its person words as "her" (see [`person`]); the list is looked at
            // only for those, as this runs for every phrase at every word of a note.
            token.stem == word || (word == "her" && person(&token.stem).is_some())
        } else {
            token.lower == word || token.bare() == word
        }
    }
}

/// A theme shown by items of every group, in order, in one clause.
#[derive(Debug)]
struct Together {
    theme: usize,
    groups: Vec<Vec<Phrase>>,
}

/// Every phrase of a taxonomy, looked up by its first word.
#[derive(Debug)]
pub(crate) struct Matcher {
    phrases: Vec<(usize, Strength, Phrase)>,
    /// Phrases by the form of their first word, so a note's word is checked only against the
    /// phrases that could start there...
    by_first: HashMap<String, Vec<usize>>,
    /// ...and those whose only word is a prefix.
    prefixes: Vec<usize>,
    together: Vec<Together>,
    /// Which themes are strengths.
    strengths: Vec<bool>,
}

impl Matcher {
    pub(crate) fn new(taxonomy: &Taxonomy) -> Self {
        let mut phrases = Vec::new();
        for (i, theme) in taxonomy.themes().iter().enumerate() {
            let acronyms = theme.acronyms.iter().map(|w| (w, Strength::Named, true));
            let named = theme.synonyms.iter().map(|w| (w, Strength::Named, false));
            let cues = theme.cues.iter().map(|w| (w, Strength::Cue, false));
            for (text, how, exact_case) in acronyms.chain(named).chain(cues) {
                if let Some(phrase) = Phrase::new(text, exact_case) {
                    phrases.push((i, how, phrase));
                }
            }
        }
        let mut together = Vec::new();
        for (i, theme) in taxonomy.themes().iter().enumerate() {
            let rules = std::iter::once(&theme.together).chain(&theme.more_together);
            for rule in rules.filter(|r| !r.is_empty()) {
                let groups = rule
                    .iter()
                    .map(|group| group.iter().filter_map(|w| Phrase::new(w, false)).collect())
                    .collect();
                together.push(Together { theme: i, groups });
            }
        }
        let (mut by_first, mut prefixes) = (HashMap::<String, Vec<usize>>::new(), Vec::new());
        for (i, (_, _, phrase)) in phrases.iter().enumerate() {
            if phrase.prefix && phrase.words.len() == 1 {
                prefixes.push(i);
            } else {
                by_first.entry(phrase.words[0].clone()).or_default().push(i);
            }
        }
        let strengths = taxonomy.themes().iter().map(|t| t.kind == Kind::Strength).collect();
        Self { phrases, by_first, prefixes, together, strengths }
    }

    /// For each `together` rule, the names the note gives its first group's people: "her
    /// daughter Karen", "Mum, Kayleigh," and "neighbour Pat" make "Karen", "Kayleigh" and
    /// "Pat" count as daughter, mum and neighbour wherever they come later in the note.
    pub(crate) fn aliases(&self, tokens: &[Token], places: &[Place]) -> Vec<Vec<String>> {
        self.together
            .iter()
            .map(|rule| {
                let mut names = Vec::new();
                let Some(first) = rule.groups.first() else { return names };
                for at in 0..tokens.len() {
                    let Some(end) =
                        first.iter().filter_map(|p| p.match_at(tokens, at, tokens.len())).max()
                    else {
                        continue;
                    };
                    let introduced = tokens[at].text.starts_with(char::is_uppercase)
                        || at
                            .checked_sub(1)
                            .is_some_and(|b| DETERMINERS.contains(&tokens[b].lower.as_str()));
                    let mut name = end;
                    if tokens.get(name).is_some_and(|t| TITLES.contains(&t.text.as_str())) {
                        name += 1;
                    }
                    if introduced
                        && let Some(t) = tokens.get(name)
                        && places[name].sentence == places[at].sentence
                        && is_name(&t.text)
                        && !names.contains(&t.text)
                    {
                        names.push(t.text.clone());
                    }
                }
                names
            })
            .collect()
    }

    /// Where the taxonomy's phrases and rules occur in `tokens[clause]`. A phrase inside a
    /// longer one of another theme is that theme's ("self-neglect" is not "neglect"), but a
    /// need inside the name of what helps with it is both ("young carers group" is a group and
    /// a young carer).
    pub(crate) fn hits(
        &self,
        tokens: &[Token],
        clause: Range<usize>,
        aliases: &[Vec<String>],
    ) -> Vec<Hit> {
        let mut found: Vec<Hit> = Vec::new();
        for at in clause.clone() {
            let token = &tokens[at];
            let keyed = [&token.text, &token.lower, &token.stem]
                .into_iter()
                .map(String::as_str)
                .chain(person(&token.stem))
                .filter_map(|form| self.by_first.get(form))
                .flatten();
            for &i in keyed.chain(&self.prefixes) {
                let (theme, how, phrase) = &self.phrases[i];
                if let Some(to) = phrase.match_at(tokens, at, clause.end) {
                    found.push(Hit { theme: *theme, from: at, to, how: *how, last: at });
                }
            }
        }
        found.sort_unstable_by_key(|h| (h.theme, h.from, h.to));
        found.dedup();
        let longest = found.clone();
        found.retain(|h| {
            !longest.iter().any(|o| {
                o.theme != h.theme
                    && (!self.strengths[o.theme] || self.strengths[h.theme])
                    && o.from <= h.from
                    && h.to <= o.to
                    && o.to - o.from > h.to - h.from
            })
        });
        for (rule, names) in self.together.iter().zip(aliases) {
            found.extend(rule.hits(tokens, clause.clone(), names));
        }
        found
    }
}

impl Together {
    /// Each start of the first group's items with the rest following in order, each within
    /// the window of the one before; one hit per start.
    fn hits(&self, tokens: &[Token], clause: Range<usize>, names: &[String]) -> Vec<Hit> {
        let item_at = |group: &[Phrase], at: usize| {
            group.iter().filter_map(|p| p.match_at(tokens, at, clause.end)).max()
        };
        let mut out: Vec<Hit> = Vec::new();
        for from in clause.clone() {
            let text = &tokens[from].text;
            let bare = text.strip_suffix("'s").unwrap_or(text);
            let named = names.iter().any(|n| n == bare).then_some(from + 1);
            let Some(mut end) = self.groups.first().and_then(|g| item_at(g, from)).or(named) else {
                continue;
            };
            let mut last = from;
            let mut complete = true;
            for group in &self.groups[1..] {
                let window = end..(end + TOGETHER_WINDOW).min(clause.end);
                match window.clone().find_map(|at| item_at(group, at).map(|to| (at, to))) {
                    Some((at, to)) => (last, end) = (at, to),
                    None => {
                        complete = false;
                        break;
                    }
                }
            }
            if complete && !out.iter().any(|h| h.from <= from && from < h.to) {
                out.push(Hit { theme: self.theme, from, to: end, how: Strength::Cue, last });
            }
        }
        out
    }
}
