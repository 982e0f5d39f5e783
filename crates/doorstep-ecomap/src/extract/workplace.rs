//! Where the person works, said as a place after a verb of working ("works at Greggs", "works
//! part-time in a bookshop", "works nights at the Amazon warehouse"): an employer, though no
//! role word names it. A place a role word names ("works at the hospital") is found as that
//! role and turned into an employer by `Finder::workplace`.

use super::mentions::{Finder, Mention, gap, is_capitalised};
use doorstep_themes::text::NOT_NAMES;

const WORKING: &[&str] = &["works", "working", "worked", "work"];

/// Words that may stand between the verb and "at" ("works part-time at", "works nights at").
const HOW: &[&str] = &[
    "part-time",
    "part",
    "time",
    "full-time",
    "full",
    "nights",
    "days",
    "evenings",
    "mornings",
    "weekends",
    "shifts",
    "still",
    "now",
    "casually",
];

/// Words after "at" or "in" that are a time, a manner or a field, not a place of work.
const NOT_PLACES: &[&str] = &[
    "weekends",
    "night",
    "nights",
    "home",
    "care",
    "the",
    "a",
    "an",
    "times",
    "least",
    "all",
    "present",
    "moment",
    "partnership",
    "school",
    "college",
    "hand",
    "pace",
    "way",
    "order",
];

/// Words that end a lower-case place ("a bookshop and is studying").
const ENDS: &[&str] = &[
    "and", "but", "so", "for", "on", "in", "at", "with", "where", "which", "who", "since", "until",
    "is", "was", "has", "to", "of", "because", "while", "when",
];

/// The most words a place of work is said in.
const MAX_PLACE: usize = 3;

/// Words between the one working and the verb ("she has been working", "wants to go back to
/// work").
const BEFORE_VERB: &[&str] = &[
    "also",
    "still",
    "now",
    "currently",
    "has",
    "have",
    "had",
    "been",
    "is",
    "was",
    "back",
    "to",
    "go",
    "going",
    "get",
    "wants",
    "started",
    "starts",
    "usually",
    "mostly",
];

impl Finder<'_> {
    /// Whether the one working at token `i` is the person: a pronoun, the person's name, or no
    /// one named ("back at work"), not someone else the note names ("her husband Ali works").
    fn worker_is_the_person(&self, lower: &[&str], i: usize) -> bool {
        let sentence = self.sentence_start[i];
        let doer = (sentence..i).rev().find(|&k| !BEFORE_VERB.contains(&lower[k]));
        let Some(doer) = doer else { return true };
        let word = self.tokens[doer].lower.as_str();
        let pronoun =
            matches!(word, "she" | "he" | "she's" | "he's" | "i" | "they" | "who" | "and" | "at");
        let centre = self.centre.names.iter().any(|n| n == word.trim_end_matches("'s"));
        pronoun || centre || !(is_capitalised(&self.tokens[doer]) || self.role_word(lower, doer))
    }

    fn role_word(&self, lower: &[&str], at: usize) -> bool {
        self.lexicon.role_words.contains_key(lower[at])
    }

    /// The place of work said after a verb of working at token `i`, as an employer mention.
    pub(super) fn employer_at(&self, lower: &[&str], i: usize) -> Option<Mention> {
        if !WORKING.contains(&lower[i]) {
            return None;
        }
        let role = self.lexicon.roles.iter().position(|r| r.role == "employer")?;
        if !self.worker_is_the_person(lower, i) {
            return None;
        }
        let mut at = i + 1;
        while lower.get(at).is_some_and(|w| HOW.contains(w)) && at - i <= 3 {
            at += 1;
        }
        if !matches!(lower.get(at), Some(&("at" | "in" | "for"))) {
            return None;
        }
        let start = at + 1;
        let mut head = start;
        if lower.get(head).is_some_and(|w| matches!(*w, "the" | "a" | "an")) {
            head += 1;
        }
        let word = lower.get(head)?;
        if NOT_PLACES.contains(word) || self.sentence_start[head] == head {
            return None;
        }
        // "works in Leeds", "works in the Netherlands": a named place after "in" is a town or
        // country.
        if lower[at] == "in" && is_capitalised(&self.tokens[head]) {
            return None;
        }
        // "works for Tesco", not "made to work for the men".
        if lower[at] == "for" && !is_capitalised(&self.tokens[head]) {
            return None;
        }
        let mut end = head;
        let capitalised = is_capitalised(&self.tokens[head]);
        while end < self.tokens.len()
            && end - head < MAX_PLACE
            && (end == head || gap(self.chars, self.tokens, end - 1).trim().is_empty())
            && self.sentence_start[end] != end
        {
            let t = &self.tokens[end];
            let fits = if is_capitalised(t) {
                !NOT_NAMES.contains(&t.text.as_str())
            } else {
                !ENDS.contains(&lower[end]) && t.lower.chars().all(char::is_alphabetic)
            };
            if !fits || (!capitalised && end > head && is_capitalised(t)) {
                break;
            }
            end += 1;
            // After a lower-case word only one more lower-case noun may follow ("garden
            // centre"); after a name, one lower-case head ("the Amazon warehouse").
            if !is_capitalised(t) && end - head >= 2 {
                break;
            }
        }
        if end == head {
            return None;
        }
        // A role word inside is found as that role ("works at the hospital").
        if (head..end).any(|k| self.lexicon.role_words.contains_key(lower[k])) {
            return None;
        }
        // "a bookshop" is a particular place of work, not someone unspecified.
        let start = if matches!(lower[start], "a" | "an") { head } else { start };
        Some(Mention { role, tokens: start..end, name: None, owned: false })
    }
}
