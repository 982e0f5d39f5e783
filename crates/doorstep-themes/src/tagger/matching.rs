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
    /// The part of life the theme is about ("money"): never a tag, but its denial clears the
    /// theme's mentions in its clause.
    Topic,
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

/// Values looked up by the first word of their phrase, so a note's word is checked only
/// against the phrases that could start there, and those whose only word is a prefix.
#[derive(Debug)]
struct ByFirst<V> {
    keyed: HashMap<String, Vec<V>>,
    prefixes: Vec<V>,
}

impl<V> ByFirst<V> {
    fn new<'a>(entries: impl IntoIterator<Item = (V, &'a Phrase)>) -> Self {
        let (mut keyed, mut prefixes) = (HashMap::<String, Vec<V>>::new(), Vec::new());
        for (value, phrase) in entries {
            if phrase.prefix && phrase.words.len() == 1 {
                prefixes.push(value);
            } else {
                keyed.entry(phrase.words[0].clone()).or_default().push(value);
            }
        }
        Self { keyed, prefixes }
    }

    /// The values whose phrase may start at `token`, each once.
    fn at<'a>(&'a self, token: &'a Token) -> impl Iterator<Item = &'a V> {
        let forms =
            [Some(&*token.text), Some(&*token.lower), Some(&*token.stem), person(&token.stem)];
        forms
            .into_iter()
            .enumerate()
            .filter_map(move |(i, form)| form.filter(|f| !forms[..i].contains(&Some(f))))
            .filter_map(|form| self.keyed.get(form))
            .flatten()
            .chain(&self.prefixes)
    }

    /// Every value whose phrase (`phrase_of`) starts in `within` and ends by its end, with where.
    fn matches<'a>(
        &'a self,
        tokens: &'a [Token],
        within: Range<usize>,
        phrase_of: impl Fn(&V) -> &'a Phrase + Copy + 'a,
    ) -> impl Iterator<Item = (&'a V, Range<usize>)> + 'a {
        let end = within.end;
        within.flat_map(move |at| {
            self.at(&tokens[at])
                .filter_map(move |v| phrase_of(v).match_at(tokens, at, end).map(|to| (v, at..to)))
        })
    }
}

/// The `together` rules' items in one note, found once for all its clauses, and the names the
/// note gives the people of each rule's first group.
pub(crate) struct NoteItems {
    /// For each rule and group, the start and end of every item, in order of start.
    items: Vec<Vec<Vec<(usize, usize)>>>,
    names: Vec<Vec<String>>,
}

/// Where an item of `list` starting at `at` ends within `limit` (the longest).
fn item_at(list: &[(usize, usize)], at: usize, limit: usize) -> Option<usize> {
    let from = list.partition_point(|&(start, _)| start < at);
    list[from..]
        .iter()
        .take_while(|&&(start, _)| start == at)
        .filter(|&&(_, end)| end <= limit)
        .map(|&(_, end)| end)
        .max()
}

/// The first item of `list` starting in `window` and ending within `limit`.
fn first_in(list: &[(usize, usize)], window: Range<usize>, limit: usize) -> Option<(usize, usize)> {
    let from = list.partition_point(|&(start, _)| start < window.start);
    let mut starts =
        list[from..].iter().map(|&(start, _)| start).take_while(|s| window.contains(s));
    starts.find_map(|at| item_at(list, at, limit).map(|end| (at, end)))
}

/// Every phrase of a taxonomy, looked up by its first word.
#[derive(Debug)]
pub(crate) struct Matcher {
    phrases: Vec<(usize, Strength, Phrase)>,
    by_first: ByFirst<usize>,
    together: Vec<Together>,
    /// The `together` rules' phrases as (rule, group, phrase).
    together_by_first: ByFirst<(usize, usize, usize)>,
    /// Each theme's `except` phrases, as (theme, phrase).
    excepts: Vec<(usize, Phrase)>,
    except_by_first: ByFirst<usize>,
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
            let topics = theme.topics.iter().map(|w| (w, Strength::Topic, false));
            for (text, how, exact_case) in acronyms.chain(named).chain(cues).chain(topics) {
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
        let by_first = ByFirst::new(phrases.iter().enumerate().map(|(i, (_, _, p))| (i, p)));
        let together_by_first = ByFirst::new(together.iter().enumerate().flat_map(|(r, rule)| {
            rule.groups.iter().enumerate().flat_map(move |(g, group)| {
                group.iter().enumerate().map(move |(p, phrase)| ((r, g, p), phrase))
            })
        }));
        let excepts: Vec<(usize, Phrase)> = (taxonomy.themes().iter().enumerate())
            .flat_map(|(i, t)| {
                t.except.iter().filter_map(move |w| Some((i, Phrase::new(w, false)?)))
            })
            .collect();
        let except_by_first = ByFirst::new(excepts.iter().enumerate().map(|(i, (_, p))| (i, p)));
        let strengths = taxonomy.themes().iter().map(|t| t.kind == Kind::Strength).collect();
        Self { phrases, by_first, together, together_by_first, excepts, except_by_first, strengths }
    }

    /// The `together` rules' items in the note, and the names the note gives each rule's first
    /// group's people: "her daughter Karen", "Mum, Kayleigh," and "neighbour Pat" make "Karen",
    /// "Kayleigh" and "Pat" count as daughter, mum and neighbour wherever they come later.
    pub(crate) fn note_items(&self, tokens: &[Token], places: &[Place]) -> NoteItems {
        let mut items: Vec<Vec<Vec<(usize, usize)>>> =
            self.together.iter().map(|rule| vec![Vec::new(); rule.groups.len()]).collect();
        let phrase_of = |&(r, g, p): &(usize, usize, usize)| &self.together[r].groups[g][p];
        for (&(r, g, _), span) in self.together_by_first.matches(tokens, 0..tokens.len(), phrase_of)
        {
            items[r][g].push((span.start, span.end));
        }
        let names = items
            .iter()
            .map(|groups| {
                let mut names = Vec::new();
                let Some(first) = groups.first() else { return names };
                for &(at, _) in first {
                    let Some(end) = item_at(first, at, tokens.len()) else { continue };
                    let mut name = end;
                    if tokens.get(name).is_some_and(|t| TITLES.contains(&t.text.as_str())) {
                        name += 1;
                    }
                    if let Some(t) = tokens.get(name)
                        && places[name].sentence == places[at].sentence
                        && is_name(&t.text)
                        && !names.contains(&t.text)
                    {
                        names.push(t.text.clone());
                    }
                }
                names
            })
            .collect();
        NoteItems { items, names }
    }

    /// Where the taxonomy's phrases and rules occur in `tokens[clause]`. A phrase inside a
    /// longer one of another theme is that theme's ("self-neglect" is not "neglect"), but a
    /// need inside the name of what helps with it is both ("young carers group" is a group and
    /// a young carer).
    pub(crate) fn hits(
        &self,
        tokens: &[Token],
        clause: Range<usize>,
        note: &NoteItems,
    ) -> Vec<Hit> {
        let mut found: Vec<Hit> = Vec::new();
        for (&i, span) in self.by_first.matches(tokens, clause.clone(), |&i| &self.phrases[i].2) {
            let (theme, how, _) = self.phrases[i];
            found.push(Hit { theme, from: span.start, to: span.end, how, last: span.start });
        }
        found.sort_unstable_by_key(|h| (h.theme, h.from, h.to));
        found.dedup();
        let longest = found.clone();
        found.retain(|h| {
            !longest.iter().any(|o| {
                o.theme != h.theme
                    && o.how != Strength::Topic
                    && (!self.strengths[o.theme] || self.strengths[h.theme])
                    && o.from <= h.from
                    && h.to <= o.to
                    && o.to - o.from > h.to - h.from
            })
        });
        for ((rule, items), names) in self.together.iter().zip(&note.items).zip(&note.names) {
            found.extend(rule.hits(tokens, clause.clone(), items, names));
        }
        let excepted: Vec<(usize, Range<usize>)> = (self.except_by_first)
            .matches(tokens, clause, |&i| &self.excepts[i].1)
            .map(|(&i, span)| (self.excepts[i].0, span))
            .collect();
        found.retain(|h| {
            !excepted.iter().any(|(theme, span)| {
                *theme == h.theme && (span.contains(&h.from) || span.contains(&h.last))
            })
        });
        found
    }
}

impl Together {
    /// Each start of the first group's items with the rest following in order, each within
    /// the window of the one before; one hit per start.
    fn hits(
        &self,
        tokens: &[Token],
        clause: Range<usize>,
        items: &[Vec<(usize, usize)>],
        names: &[String],
    ) -> Vec<Hit> {
        let mut out: Vec<Hit> = Vec::new();
        let Some((first, rest)) = items.split_first() else { return out };
        for from in clause.clone() {
            let text = &tokens[from].text;
            let bare = text.strip_suffix("'s").unwrap_or(text);
            let named = names.iter().any(|n| n == bare).then_some(from + 1);
            let Some(mut end) = item_at(first, from, clause.end).or(named) else {
                continue;
            };
            let mut last = from;
            let mut complete = true;
            for group in rest {
                let window = end..(end + TOGETHER_WINDOW).min(clause.end);
                match first_in(group, window, clause.end) {
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
