//! The note as the extractor reads it: its words, where each sentence, clause and scope runs,
//! and the words said of each mention, across a sentence and into the next when a pronoun
//! carries the mention on ("Her dad came round. He shouted at her.").

use std::ops::Range;

use doorstep_themes::text::{Place, Token, places, tokens};

use super::Passage;
use super::mentions::Mention;
use crate::lexicon::Phrase;

/// Words that join a statement of its own to the sentence: what comes before them is not said
/// of a mention after them.
const JOINS: &[&str] =
    &["and", "but", "because", "so", "while", "whilst", "although", "though", "since", "after"];

/// Pronouns for the person as the doer of a statement a mention is the object of.
const DOERS: &[&str] = &["he", "she", "i", "we", "he's", "she's"];

/// Words after "and" that add another doing by the same doer ("and has stopped going out").
const ADDED_DOING: &[&str] = &[
    "has", "had", "have", "is", "was", "will", "would", "can", "can't", "won't", "doesn't",
    "didn't", "hasn't", "isn't", "wasn't", "does", "did", "stopped", "started", "says", "said",
];

/// Words that may come between a referral and the service it points at ("referred to the",
/// "referral to an urgent").
const REFERRAL_GAP: &[&str] = &["the", "a", "an", "urgent", "local"];

/// The fewest words before a join that make a statement of their own ("She and her husband"
/// is one person joined to another, not a statement).
const MIN_STATEMENT: usize = 3;

/// Words for people together, who may include a mention said after them ("they had a row and
/// Sandra hasn't had the kids since").
const TOGETHER: &[&str] = &["they", "they've", "they're", "they'd", "both"];

/// Pronouns for a man, a woman, and a pair or group.
pub(super) const HE: &[&str] = &["he", "he's", "he'd"];
pub(super) const SHE: &[&str] = &["she", "she's", "she'd"];
pub(super) const THEY: &[&str] = &["they", "they're", "they've", "they'd"];

/// The words said of one mention, in lower case, and where the mention (or a pronoun standing
/// for it) sits among them, so a verb can be read as done by it or to it.
#[derive(Debug, Clone, Default)]
pub(super) struct Clause {
    pub words: Vec<String>,
    pub at: Vec<Range<usize>>,
    /// What the mention is reported saying of the person ("her tutor says she's top of the
    /// group"): not said of the tie, but a professional's praise shows how the tie is.
    pub said: Vec<String>,
}

impl Clause {
    /// Adds the words of a later sentence whose first word stands for the mention.
    pub(super) fn carry_on(&mut self, words: Vec<String>) {
        self.carry_on_at(words, 0);
    }

    /// Adds words said of the mention, where word `stands` of them stands for it.
    pub(super) fn carry_on_at(&mut self, words: Vec<String>, stands: usize) {
        if stands < words.len() {
            let at = self.words.len() + stands;
            self.at.push(at..at + 1);
            self.words.extend(words);
        }
    }
}

/// Verbs of saying, noticing and hearing: what follows them is what a mention said or heard
/// ("the neighbour heard shouting"), not said of it.
const REPORTING: &[&str] = &[
    "says",
    "said",
    "say",
    "told",
    "tells",
    "tell",
    "reports",
    "reported",
    "thinks",
    "thought",
    "feels",
    "noticed",
    "believes",
    "explained",
    "mentioned",
    "raised",
    "heard",
    "hears",
    "witnessed",
];

/// Whether token `t` is a verb of saying or perceiving: "heard from" is contact instead.
fn reporting(tokens: &[Token], t: usize) -> bool {
    REPORTING.contains(&tokens[t].lower.as_str())
        && !(tokens[t].lower.starts_with("hear")
            && tokens.get(t + 1).is_some_and(|n| n.lower == "from"))
}

/// The note as the extractor reads it.
pub(super) struct Note {
    pub chars: Vec<char>,
    pub tokens: Vec<Token>,
    pub places: Vec<Place>,
    pub sentence_start: Vec<usize>,
}

impl Note {
    pub(super) fn read(text: &str) -> Self {
        let chars: Vec<char> = text.chars().collect();
        let tokens = tokens(text);
        let places = places(text, &tokens);
        let mut sentence_start = Vec::with_capacity(tokens.len());
        for (i, place) in places.iter().enumerate() {
            let start = if i > 0 && places[i - 1].sentence == place.sentence {
                sentence_start[i - 1]
            } else {
                i
            };
            sentence_start.push(start);
        }
        Self { chars, tokens, places, sentence_start }
    }

    pub(super) fn slice(&self, range: Range<usize>) -> String {
        let (Some(first), Some(last)) =
            (self.tokens.get(range.start), self.tokens.get(range.end.saturating_sub(1)))
        else {
            return String::new();
        };
        let mut said: String = self.chars[first.start..last.end].iter().collect();
        if let Some(open) = said.find('(').filter(|_| !said.contains(')')) {
            said.replace_range(open..open + 1, "");
        }
        let said = said.split_whitespace().collect::<Vec<_>>().join(" ");
        said.strip_suffix("'s").or_else(|| said.strip_suffix("’s")).unwrap_or(&said).to_owned()
    }

    /// The lower-case words of the clause holding a mention's first word.
    pub(super) fn clause_words(&self, mention: &Mention) -> Vec<String> {
        let clause = self.places[mention.tokens.start].clause.clone();
        self.tokens[clause].iter().map(|t| t.lower.clone()).collect()
    }

    /// The words said of mention `i` (`found` in text order): its sentence from the mention to
    /// the next mention of someone else, and the sentence's opening words when it is the first
    /// mention. Mentions joined by "and" ("Kayleigh and her mum have fallen out") share what
    /// follows them. A `referral` phrase straight before a mention is said of it, not of the
    /// mention before ("the GP's referred him to CAMHS").
    pub(super) fn window(&self, found: &[Mention], i: usize, referral: &[Phrase]) -> Clause {
        let m = &found[i];
        let sentence = self.places[m.tokens.start].sentence;
        let sentence_start = self.sentence_start[m.tokens.start];
        let sentence_end = (m.tokens.start..self.tokens.len())
            .find(|&t| self.places[t].sentence != sentence)
            .unwrap_or(self.tokens.len());
        let in_sentence = |k: usize| {
            found
                .get(k)
                .filter(|o| o.tokens.start < sentence_end && o.tokens.start >= sentence_start)
        };
        let mut end = sentence_end;
        let mut k = i + 1;
        let mut joined_end = m.tokens.end;
        while let Some(next) = in_sentence(k) {
            let between: Vec<&str> = self.tokens
                [joined_end.min(next.tokens.start)..next.tokens.start]
                .iter()
                .map(|t| t.lower.as_str())
                .collect();
            if between == ["and"] || between.is_empty() {
                joined_end = next.tokens.end;
                k += 1;
                continue;
            }
            // What opens the next mention's own part of the sentence is said of it, and so is
            // a referral pointing at it ("the GP's referred him to CAMHS").
            let next_scope = self.places[next.tokens.start].scope.start;
            end = if next_scope > m.tokens.end { next_scope } else { next.tokens.start };
            if let Some(lead) = self.referral_lead(next, referral).filter(|&l| l >= m.tokens.end) {
                end = end.min(lead);
            }
            break;
        }
        // A mention that is the object of the person's doing ("he has spoken to no one but
        // Anne in weeks and has stopped going out") does not do what "and" adds after it: the
        // added doing is the person's.
        let subject = self.tokens[m.tokens.end - 1].lower.ends_with("'s")
            || self
                .tokens
                .get(m.tokens.end)
                .is_some_and(|t| ADDED_DOING.contains(&t.lower.as_str()));
        if !subject
            && self.tokens[sentence_start..m.tokens.start]
                .iter()
                .any(|t| DOERS.contains(&t.lower.as_str()))
            && let Some(and) = (joined_end..end.saturating_sub(1)).find(|&t| {
                self.tokens[t].lower == "and"
                    && ADDED_DOING.contains(&self.tokens[t + 1].lower.as_str())
            })
        {
            end = and;
        }
        // A mention who says something ("school say she has stopped going") is not what they
        // say: their words end at the verb of saying, and what follows is said of the next.
        let mut said = Vec::new();
        if let Some(verb) = (m.tokens.end..end).find(|&t| reporting(&self.tokens, t)) {
            said = self.tokens[verb + 1..end].iter().map(|t| t.lower.clone()).collect();
            end = verb + 1;
        }
        let start = match i.checked_sub(1).and_then(in_sentence) {
            // The sentence's opening words, from the last word joining on a statement of its
            // own ("he's stopped going to cricket because ... and his friend Farid has moved").
            None => (sentence_start..m.tokens.start)
                .rfind(|&t| JOINS.contains(&self.tokens[t].lower.as_str()))
                .filter(|&t| {
                    let before = &self.tokens[sentence_start..t];
                    before.len() >= MIN_STATEMENT
                        && !before.iter().any(|w| TOGETHER.contains(&w.lower.as_str()))
                })
                .map_or(sentence_start, |t| t + 1),
            Some(previous) => {
                let own_scope = self.places[m.tokens.start].scope.start;
                let reported =
                    (previous.tokens.end..m.tokens.start).rfind(|&t| reporting(&self.tokens, t));
                match reported {
                    Some(verb) => verb + 1,
                    None if own_scope >= previous.tokens.end => own_scope,
                    None => m.tokens.start,
                }
            }
        };
        let from = start.min(self.referral_lead(m, referral).unwrap_or(m.tokens.start));
        let words =
            self.tokens[from..end.max(m.tokens.end)].iter().map(|t| t.lower.clone()).collect();
        let at = m.tokens.start - from..m.tokens.end - from;
        Clause { words, at: std::iter::once(at).collect(), said }
    }

    /// Where a referral pointing at mention `m` starts ("referred him to the", "referral to"),
    /// when one of the `referral` phrases ends straight before it in its sentence.
    pub(super) fn referral_lead(&self, m: &Mention, referral: &[Phrase]) -> Option<usize> {
        let start = self.sentence_start[m.tokens.start];
        let words: Vec<&str> =
            self.tokens[start..m.tokens.start].iter().map(|t| t.lower.as_str()).collect();
        let gap = words.iter().rev().take(2).take_while(|w| REFERRAL_GAP.contains(w)).count();
        let before = words.len() - gap;
        referral
            .iter()
            .filter(|p| p.words.len() <= before)
            .find(|p| p.matches_at(&words, before - p.words.len()))
            .map(|p| start + before - p.words.len())
    }

    /// Whether mention `m` is said to be none ("no police call-outs", "no GP yet", "nothing in
    /// police records"): "no" or "nothing in" straight before it, with no pause between ("the
    /// shelter, no, the church" corrects itself).
    pub(super) fn said_none(&self, m: &Mention) -> bool {
        let at = m.tokens.start;
        let word = |k: usize| self.tokens[k].lower.as_str();
        let joined = |k: usize| {
            self.chars[self.tokens[k].end..self.tokens[k + 1].start].iter().all(|c| *c == ' ')
        };
        let sentence = self.sentence_start[at];
        (at > sentence && word(at - 1) == "no" && joined(at - 1))
            || (at > sentence + 1
                && word(at - 2) == "nothing"
                && word(at - 1) == "in"
                && joined(at - 2)
                && joined(at - 1))
    }

    /// Whether a referral is said of mention `m`: pointed at it, or named straight after it
    /// ("ISVA referral done", not "the GP's referral", which is the GP's own).
    pub(super) fn referred(&self, m: &Mention, before: &[Phrase], after: &[Phrase]) -> bool {
        let last = &self.tokens[m.tokens.end - 1].lower;
        let sentence = self.places[m.tokens.start].sentence;
        let words: Vec<&str> = self.tokens[m.tokens.end..]
            .iter()
            .zip(&self.places[m.tokens.end..])
            .take_while(|(_, p)| p.sentence == sentence)
            .map(|(t, _)| t.lower.as_str())
            .collect();
        self.referral_lead(m, before).is_some()
            || (!last.ends_with("'s") && after.iter().any(|p| p.matches_at(&words, 0)))
    }

    /// The opening of the sentence after mention `i` when it starts with a pronoun that can
    /// only be, or take in, the mentioned person ("Her dad came round. He shouted at her." in a
    /// note about a
    /// woman; "She is close to her sister. They speak every day."): up to the next mention,
    /// when mention `i` is the last of its sentence and the sentence starts with one of
    /// `pronouns`. The pronoun, its first word, stands for the mention.
    pub(super) fn follow_on(&self, found: &[Mention], i: usize, pronouns: &[&str]) -> Vec<String> {
        let m = &found[i];
        let sentence = self.places[m.tokens.start].sentence;
        let Some(next) =
            (m.tokens.end..self.tokens.len()).find(|&t| self.places[t].sentence != sentence)
        else {
            return Vec::new();
        };
        if found.get(i + 1).is_some_and(|o| o.tokens.start < next) {
            return Vec::new();
        }
        if !pronouns.contains(&self.tokens[next].lower.as_str()) {
            return Vec::new();
        }
        let following = self.places[next].sentence;
        let stop = found.get(i + 1).map_or(self.tokens.len(), |o| o.tokens.start);
        self.tokens[next..]
            .iter()
            .zip(&self.places[next..])
            .take_while(|(_, p)| p.sentence == following)
            .take(stop.saturating_sub(next))
            .map(|(t, _)| t.lower.clone())
            .collect()
    }

    /// Whether a word of the phrase at `range` stands in quotes of its own ("a new 'friend'"),
    /// as opposed to quoted speech, which runs on past it.
    pub(super) fn quoted_role(&self, range: Range<usize>) -> bool {
        const QUOTES: &[char] = &['\'', '"', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}'];
        self.tokens[range].iter().any(|t| {
            let before = t.start.checked_sub(1).and_then(|b| self.chars.get(b));
            let after = self.chars.get(t.end);
            before.is_some_and(|c| QUOTES.contains(c)) && after.is_some_and(|c| QUOTES.contains(c))
        })
    }

    /// Whether the words after the mention at `range` say they live in a named town or
    /// country ("lives in Leeds", "her son's in Australia", "moved to Spain").
    pub(super) fn lives_elsewhere(&self, range: Range<usize>) -> bool {
        const LIVING: &[&str] = &["lives", "living", "is", "moved", "based", "now", "still"];
        let sentence = self.places[range.start].sentence;
        let mut at = range.end;
        if self.tokens[range.end - 1].lower.ends_with("'s") {
            at = range.end;
        } else {
            let mut steps = 0;
            while self.tokens.get(at).is_some_and(|t| LIVING.contains(&t.lower.as_str()))
                && steps < 3
            {
                at += 1;
                steps += 1;
            }
            if steps == 0 {
                return false;
            }
        }
        let place = |k: usize| {
            self.tokens.get(k).is_some_and(|t| {
                self.places[k].sentence == sentence
                    && self.sentence_start[k] != k
                    && t.text.chars().next().is_some_and(char::is_uppercase)
            })
        };
        self.tokens.get(at).is_some_and(|t| matches!(t.lower.as_str(), "in" | "to"))
            && place(at + 1)
    }

    /// The lower-case words of the sentence holding token `at`, from `at` on: what the
    /// sentence says of whoever is named there.
    pub(super) fn words_from(&self, at: usize) -> Vec<String> {
        let sentence = self.places[at].sentence;
        self.tokens[at..]
            .iter()
            .zip(&self.places[at..])
            .take_while(|(_, p)| p.sentence == sentence)
            .map(|(t, _)| t.lower.clone())
            .collect()
    }

    /// Whether mention `i` is the only mention of its sentence.
    pub(super) fn alone_in_sentence(&self, found: &[Mention], i: usize) -> bool {
        let sentence = self.places[found[i].tokens.start].sentence;
        found
            .iter()
            .enumerate()
            .all(|(k, o)| k == i || self.places[o.tokens.start].sentence != sentence)
    }

    /// The sentence holding token `at`, as a passage of the text.
    pub(super) fn sentence_passage(&self, at: usize) -> Passage {
        let start_token = self.sentence_start[at];
        let sentence = self.places[at].sentence;
        let end_token = (at..self.tokens.len())
            .take_while(|&i| self.places[i].sentence == sentence)
            .last()
            .unwrap_or(at);
        let start = self.tokens[start_token].start;
        let mut end = self.tokens[end_token].end;
        while end < self.chars.len()
            && matches!(self.chars[end], '.' | '!' | '?' | '"' | '\'' | '\u{201D}' | ')')
        {
            end += 1;
        }
        Passage { start, end, text: self.chars[start..end].iter().collect() }
    }
}
