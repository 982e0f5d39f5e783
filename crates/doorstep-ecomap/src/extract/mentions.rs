//! Finding who a note mentions: role words ("her daughter", "the day centre"), the names given
//! to them ("daughter Karen", "Mum (Kayleigh)", "Mrs Patel, the pastoral lead"), organisations'
//! own names ("Change Grow Live"), and later bare uses of a name the note or the map already
//! tied to a role. A mention that belongs to someone else ("Dean's mum", "his wife" in a note
//! about a woman) or that names the practitioner ("as care coordinator") is left out.

use std::ops::Range;

use doorstep_themes::text::{NOT_NAMES, TITLES, Token};

use doorstep_core::model::TieCategory;

use super::words::{
    COMPOUND_HEADS, COMPOUND_MAX, DETERMINERS, MODIFIERS, NEED_DETERMINER, NOT_AFTER,
    NOT_IN_COMPOUND,
};
use crate::lexicon::{Lexicon, base};

/// One place the note names a node.
#[derive(Debug, Clone)]
pub(super) struct Mention {
    pub role: usize,
    /// The whole phrase, modifiers and name included.
    pub tokens: Range<usize>,
    /// The name given in this mention ("Karen", "Mr Okonjo").
    pub name: Option<String>,
    /// A relative of someone else the note names ("Chris's mum"), not the person's own.
    pub owned: bool,
}

/// The person at the centre as the note refers to them.
#[derive(Debug, Clone, Default)]
pub(super) struct Centre {
    /// Lower-case words of the person's name, and of the names they go by.
    pub names: Vec<String>,
    /// Whether the note speaks of the person as "she" (`Some(true)`), "he" or can't tell.
    pub female: Option<bool>,
}

pub(super) fn is_capitalised(token: &Token) -> bool {
    token.text.chars().next().is_some_and(char::is_uppercase)
}

fn is_acronym(token: &Token) -> bool {
    token.text.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase)
}

/// Whether token `i` can be (part of) a person's name.
pub(super) fn name_word(tokens: &[Token], i: usize, sentence_start: bool) -> bool {
    tokens.get(i).is_some_and(|t| {
        is_capitalised(t)
            && !sentence_start
            && !NOT_NAMES.contains(&t.text.as_str())
            && (!is_acronym(t) || t.text.chars().count() <= 1)
            && t.text.chars().all(|c| c.is_alphabetic() || c == '-' || c == '\'')
    })
}

/// "CAMHS home visit", like "GP appointment": the service's visit at `at`, not the service.
fn home_visit(lower: &[&str], at: usize) -> bool {
    lower.get(at..at + 2).is_some_and(|w| w[0] == "home" && matches!(w[1], "visit" | "visits"))
}

/// The characters between two tokens.
pub(super) fn gap(text: &[char], tokens: &[Token], i: usize) -> String {
    let from = tokens[i].end;
    let to = tokens.get(i + 1).map_or(text.len(), |t| t.start);
    text[from..to].iter().collect()
}

/// How many words may say where a person is from before their name: "a friend from her
/// English class, Mónica".
const WHERE_WORDS: usize = 5;

pub(super) struct Finder<'a> {
    pub lexicon: &'a Lexicon,
    pub chars: &'a [char],
    pub tokens: &'a [Token],
    /// Index of the first token of each token's sentence.
    pub sentence_start: &'a [usize],
    pub centre: &'a Centre,
}

impl Finder<'_> {
    /// Every mention of a role word or an organisation's name.
    pub fn role_mentions(&self) -> Vec<Mention> {
        let tokens = self.tokens;
        let lower: Vec<&str> = tokens.iter().map(|t| base(&t.lower)).collect();
        let mut out = Vec::new();
        // Relatives of someone named ("Chris's mum"), by index in `out`, with the owner.
        let mut owned: Vec<(usize, String)> = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            if let Some((len, role)) = self.organisation_at(i) {
                if !home_visit(&lower, i + len) && !self.part_of_previous(&out, i, role) {
                    out.push(Mention { role, tokens: i..i + len, name: None, owned: false });
                }
                i += len;
                continue;
            }
            if let Some(mention) = self.employer_at(&lower, i) {
                i = mention.tokens.end;
                out.push(mention);
                continue;
            }
            if let Some(mention) = self.attended_at(&lower, i) {
                i = mention.tokens.end;
                out.push(mention);
                continue;
            }
            let Some((len, role)) = self.role_at(&lower, i) else {
                i += 1;
                continue;
            };
            let head = i..i + len;
            i += len;
            if !self.stands_alone(&lower, head.clone()) || self.owns_next(&lower, head.end) {
                continue;
            }
            let start = self.extend_left(&lower, &head);
            // "a carer's assessment": a kind of thing, not someone; "her head": a body part.
            let kind = matches!(self.tokens[start].lower.as_str(), "a" | "an")
                && self.tokens[head.end - 1].lower.ends_with("'s");
            let body = head.len() == 1
                && lower[head.start] == "head"
                && start < head.start
                && matches!(self.tokens[start].lower.as_str(), "her" | "his" | "their" | "my");
            if kind || body {
                continue;
            }
            let relative_of = self.relative_of(start, head.start, role);
            if (self.belongs_elsewhere(start, head.start) && relative_of.is_none())
                || self.is_practitioner(start)
                || (start == head.start && self.only_a_time_or_origin(&out, start, role))
                || self.owned_apposition(start, head.clone())
                || self.part_of_previous(&out, start, role)
            {
                continue;
            }
            let role = self.workplace(start, role).unwrap_or(role);
            let mut mention =
                Mention { role, tokens: start..head.end, name: None, owned: relative_of.is_some() };
            if self.lexicon.roles[role].people {
                self.attach_name(&mut mention);
            }
            // "the children's centre": a named-only role said as an owner is not a mention.
            let unnamed = self.lexicon.roles[role].named
                && (mention.name.is_none() || self.tokens[head.end - 1].lower.ends_with("'s"));
            if unnamed || mention.name.as_deref().is_some_and(|n| self.is_centre(n)) {
                continue;
            }
            i = i.max(mention.tokens.end);
            let listed = if mention.name.is_some() && self.plural(head.end) {
                self.listed_names(mention.tokens.end)
            } else {
                Vec::new()
            };
            if let Some(owner) = relative_of {
                owned.push((out.len(), owner));
            }
            out.push(mention);
            for (tokens, name) in listed {
                i = i.max(tokens.end);
                out.push(Mention { role, tokens, name: Some(name), owned: false });
            }
        }
        let family: Vec<String> = out
            .iter()
            .filter(|m| self.lexicon.roles[m.role].category == TieCategory::Family)
            .filter_map(|m| m.name.as_ref())
            .flat_map(|n| n.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>())
            .collect();
        let strangers: Vec<usize> =
            owned.iter().filter(|(_, o)| !family.contains(o)).map(|(k, _)| *k).collect();
        let mut k = 0;
        out.retain(|_| {
            k += 1;
            !strangers.contains(&(k - 1))
        });
        out
    }

    /// "the vicar's wife": a role said as the owner of the person named next, who is the one
    /// the note is about.
    fn owns_next(&self, lower: &[&str], end: usize) -> bool {
        self.tokens[end - 1].lower.ends_with("'s") && self.role_at(lower, end).is_some()
    }

    /// Bare uses of names already tied to a role: `known` holds (lower-case name, role).
    pub fn name_mentions(&self, known: &[(String, usize)], taken: &[Mention]) -> Vec<Mention> {
        let mut out = Vec::new();
        for (i, token) in self.tokens.iter().enumerate() {
            if !is_capitalised(token) || taken.iter().any(|m| m.tokens.contains(&i)) {
                continue;
            }
            let word = base(&token.lower);
            let hit = known.iter().find(|(name, _)| {
                name.split_whitespace().any(|part| part == word)
                    && !TITLES.iter().any(|t| t.eq_ignore_ascii_case(word))
            });
            if let Some((name, role)) = hit {
                let mut end = i + 1;
                if self
                    .tokens
                    .get(end)
                    .is_some_and(|t| name.split_whitespace().any(|p| p == base(&t.lower)))
                {
                    end += 1;
                }
                let start = if i > 0 && TITLES.contains(&self.tokens[i - 1].text.as_str()) {
                    i - 1
                } else {
                    i
                };
                out.push(Mention {
                    role: *role,
                    tokens: start..end,
                    name: Some(name.clone()),
                    owned: false,
                });
            }
        }
        out
    }

    /// "swims for Carlisle Otters": a capitalised name after a phrase of going or belonging,
    /// when no role word is inside it (that is found as the role instead).
    fn attended_at(&self, lower: &[&str], i: usize) -> Option<Mention> {
        let (phrases, role) = self.lexicon.attend.as_ref()?;
        let phrase = phrases.iter().find(|p| p.matches_at(lower, i))?;
        let mut start = i + phrase.words.len();
        if lower.get(start).is_some_and(|w| *w == "the") {
            start += 1;
        }
        let mut end = start;
        while end < self.tokens.len()
            && end - start < 5
            && is_capitalised(&self.tokens[end])
            && !NOT_NAMES.contains(&self.tokens[end].text.as_str())
            && (end == start || gap(self.chars, self.tokens, end - 1).trim().is_empty())
        {
            end += 1;
        }
        let named = end > start
            && (start..end)
                .all(|k| self.role_at(lower, k).is_none() && self.organisation_at(k).is_none())
            && !self.is_centre(&self.tokens[start].lower)
            // "goes to the Hindu temple": the name is the role word's, found with it.
            && (end >= self.tokens.len()
                || !gap(self.chars, self.tokens, end - 1).trim().is_empty()
                || self.role_at(lower, end).is_none());
        named.then_some(Mention { role: *role, tokens: start..end, name: None, owned: false })
    }

    fn organisation_at(&self, i: usize) -> Option<(usize, usize)> {
        self.lexicon.role_names.iter().find_map(|(words, role)| {
            let n = words.len();
            let fits = self.tokens.get(i..i + n).is_some_and(|ts| {
                ts.iter()
                    .zip(words)
                    .all(|(t, w)| t.text == *w || t.text.strip_suffix("'s") == Some(w.as_str()))
            });
            fits.then_some((n, *role))
        })
    }

    fn role_at(&self, lower: &[&str], i: usize) -> Option<(usize, usize)> {
        let phrases = self.lexicon.role_words.get(*lower.get(i)?)?;
        phrases.iter().find_map(|(words, role)| {
            let n = words.len();
            let fits =
                i + n <= lower.len() && words.iter().enumerate().all(|(k, w)| lower[i + k] == w);
            fits.then_some((n, *role))
        })
    }

    /// Whether the role words at `head` name a tie here, rather than being an acronym written
    /// in lower case, an ambiguous word with nothing before it, or a modifier of another noun.
    fn stands_alone(&self, lower: &[&str], head: Range<usize>) -> bool {
        let first = &self.tokens[head.start];
        if head.len() == 1
            && first.lower.chars().count() <= 3
            && ["aa", "na", "ta", "pa", "ot", "gp", "iro", "pru", "yot", "dwp", "dsl", "cpn"]
                .contains(&first.lower.as_str())
            && !is_acronym(first)
        {
            return false;
        }
        if head.len() == 1 && NEED_DETERMINER.contains(&lower[head.start]) {
            let before = head.start.checked_sub(1).map(|b| self.tokens[b].lower.as_str());
            let ok = before.is_some_and(|b| {
                DETERMINERS.contains(&b) || MODIFIERS.contains(&b) || b.ends_with("'s")
            }) || (COMPOUND_HEADS.contains(&lower[head.start])
                && self.compound_start(lower, head.start).is_some())
                || (head.start > 0
                    && is_capitalised(&self.tokens[head.start - 1])
                    && head.start - 1 != self.sentence_start[head.start]);
            if !ok {
                return false;
            }
        }
        let last = &self.tokens[head.end - 1];
        if last.lower.ends_with("'s") {
            // "carer's assessment", "the carer's allowance": a kind of thing unless someone's
            // ("her daughter's flat").
            let thing = lower.get(head.end).is_some_and(|w| NOT_AFTER.contains(w));
            let whose = head.start.checked_sub(1).is_some_and(|b| {
                matches!(lower[b], "her" | "his" | "their" | "my" | "our" | "your")
            });
            return !thing || whose;
        }
        let joined = head.end < self.tokens.len()
            && !gap(self.chars, self.tokens, head.end - 1).chars().any(|c| !c.is_whitespace());
        // "Dad lives in Wolverhampton", "the pastor visits": after a person, these are what
        // they do, not nouns the role word modifies ("school lives", "CAMHS visits").
        let verb_of_person =
            lower.get(head.end).is_some_and(|w| matches!(*w, "lives" | "visits" | "checks"))
                && self.role_is_people(lower, head.start);
        !(joined
            && ((NOT_AFTER.contains(&lower[head.end]) && !verb_of_person)
                || home_visit(lower, head.end)))
    }

    fn role_is_people(&self, lower: &[&str], at: usize) -> bool {
        self.role_at(lower, at).is_some_and(|(_, role)| self.lexicon.roles[role].people)
    }

    /// Where a compound noun ending at the role word at `head` starts, when a determiner opens
    /// it: "the debt advice charity", "the FGM specialist clinic", "her memory nurse". The
    /// nouns before the role word say which service it is, and the determiner shows the whole
    /// phrase names one, as "the charity" would. A possessive or other word with an apostrophe
    /// ends the search ("the children's dad" is read as whose dad).
    fn compound_start(&self, lower_words: &[&str], head: usize) -> Option<usize> {
        let mut at = head;
        while at > 0 && head - at < COMPOUND_MAX {
            let prev = &self.tokens[at - 1];
            if !gap(self.chars, self.tokens, at - 1).trim().is_empty() {
                return None;
            }
            let lower = prev.lower.as_str();
            if DETERMINERS.contains(&lower) {
                return (at < head).then_some(at - 1);
            }
            // A word that is a role itself ("the perinatal mental health nurse") or part of an
            // organisation's name ("the Citizens Advice clinic") is a mention of its own.
            let noun = prev.text.chars().all(|c| c.is_alphabetic() || c == '-')
                && (!is_capitalised(prev) || is_acronym(prev))
                && self.role_at(lower_words, at - 1).is_none()
                && !NOT_IN_COMPOUND.contains(&lower)
                && !lower.ends_with("ing")
                && !lower.ends_with("ed");
            if !noun {
                return None;
            }
            at -= 1;
        }
        None
    }

    /// Takes in the determiner, modifiers and capitalised words before a role word, or the
    /// whole of a compound noun a determiner opens ([`Finder::compound_start`]) when only that
    /// lets the role word stand.
    fn extend_left(&self, lower: &[&str], head: &Range<usize>) -> usize {
        let start = self.extend_modifiers(head.start);
        let compound =
            start == head.start && head.len() == 1 && COMPOUND_HEADS.contains(&lower[head.start]);
        if compound { self.compound_start(lower, head.start).unwrap_or(start) } else { start }
    }

    fn extend_modifiers(&self, mut start: usize) -> usize {
        while start > 0 {
            let prev = &self.tokens[start - 1];
            if !gap(self.chars, self.tokens, start - 1).trim().is_empty() {
                break;
            }
            let lower = prev.lower.as_str();
            let capital = is_capitalised(prev)
                && !NOT_NAMES.contains(&prev.text.as_str())
                && !self.is_centre(base(lower));
            if DETERMINERS.contains(&lower) || lower.ends_with("'s") {
                start -= 1;
                break;
            }
            if MODIFIERS.contains(&lower) || capital {
                start -= 1;
            } else {
                break;
            }
        }
        start
    }

    /// "Dean's mum", "his wife" in a note about a woman: someone else's relation.
    fn belongs_elsewhere(&self, start: usize, head: usize) -> bool {
        let Some(first) = self.tokens.get(start) else { return false };
        if start == head && !first.lower.ends_with("'s") {
            return false;
        }
        let word = first.lower.as_str();
        // "the Parkinson's UK group": a possessive inside an organisation's own name.
        if start + 1 < head && self.tokens.get(start + 1).is_some_and(is_capitalised) {
            return false;
        }
        if let Some(owner) = word.strip_suffix("'s") {
            // "the children's dad": the person's own household, said from the children.
            let household = matches!(owner, "children" | "kids" | "twins" | "family")
                && self.is_family(base(&self.tokens[head].lower));
            let through_family = start < head && (self.is_family(owner) || household);
            return !self.is_centre(owner) && !self.is_place(owner) && !through_family;
        }
        match (word, self.centre.female) {
            ("his", Some(true)) | ("her", Some(false)) => true,
            ("their", _) => false,
            _ => false,
        }
    }

    /// A place said bare (no "the" or "her") as a time of day or the person's past ("after school", "before work",
    /// "since he left school"), or as where someone else is from ("her best friend from
    /// school"): not a tie of its own.
    fn only_a_time_or_origin(&self, out: &[Mention], start: usize, role: usize) -> bool {
        if self.lexicon.roles[role].people || start == 0 {
            return false;
        }
        match self.tokens[start - 1].lower.as_str() {
            "after" | "before" | "left" => true,
            "from" => out
                .last()
                .is_some_and(|m| m.tokens.end + 1 == start && self.lexicon.roles[m.role].people),
            _ => false,
        }
    }

    /// "the imam at their mosque", "the food bank at the Methodist church": a place of the same
    /// kind said as where the mention just before it is found is part of that tie, not a
    /// second one.
    fn part_of_previous(&self, out: &[Mention], start: usize, role: usize) -> bool {
        let roles = &self.lexicon.roles;
        start >= 2
            && matches!(self.tokens[start - 1].lower.as_str(), "at" | "from")
            && out.last().is_some_and(|m| {
                m.tokens.end + 1 == start && roles[m.role].category == roles[role].category
            })
    }

    /// "her Auntie Nicola, Mum's sister, ...": someone else's relation set off by commas after
    /// someone just named says who they are; it is not another person.
    fn owned_apposition(&self, start: usize, head: Range<usize>) -> bool {
        start < head.start
            && start > 0
            && self.tokens[start].lower.strip_suffix("'s").is_some_and(|o| !self.is_centre(o))
            && gap(self.chars, self.tokens, start - 1).trim() == ","
            && gap(self.chars, self.tokens, head.end - 1).trim_start().starts_with(',')
    }

    /// "works as a cleaner at the hospital", "her job at the nursery": a place said as where
    /// someone works is their employer (the lexicon's `employer` role), not a service they use.
    fn workplace(&self, start: usize, role: usize) -> Option<usize> {
        const WORKING: &[&str] =
            &["works", "working", "worked", "work", "job", "apprenticeship", "shifts"];
        if self.lexicon.roles[role].people || start < 2 || self.tokens[start - 1].lower != "at" {
            return None;
        }
        let sentence = self.sentence_start[start];
        let from = (start - 1).saturating_sub(6).max(sentence).min(start - 1);
        self.tokens[from..start - 1]
            .iter()
            .any(|t| WORKING.contains(&t.lower.as_str()))
            .then_some(())?;
        self.lexicon
            .roles
            .iter()
            .position(|r| r.role == "employer" && r.category == TieCategory::Work)
    }

    /// "as care coordinator", "my manager": the practitioner's own role.
    fn is_practitioner(&self, start: usize) -> bool {
        let before = start.checked_sub(1).map(|b| self.tokens[b].lower.as_str());
        matches!(before, Some("as")) || self.tokens[start].lower == "my"
    }

    /// "the school's learning mentor": a place or service owns its staff, who are the
    /// person's tie through it.
    fn is_place(&self, word: &str) -> bool {
        self.lexicon.role_words.get(word).is_some_and(|phrases| {
            phrases
                .iter()
                .any(|(words, role)| words.len() == 1 && !self.lexicon.roles[*role].people)
        })
    }

    /// "Mum's partner", "Dad's sister": a relation of the person's own family, in their
    /// network through them.
    pub(super) fn is_family(&self, word: &str) -> bool {
        self.lexicon.role_words.get(word).is_some_and(|phrases| {
            phrases.iter().any(|(words, role)| {
                let role = &self.lexicon.roles[*role];
                words.len() == 1
                    && role.people
                    && !role.named
                    && role.category == TieCategory::Family
            })
        })
    }

    pub(super) fn is_centre(&self, name: &str) -> bool {
        let name = name.to_lowercase();
        name.split_whitespace().all(|part| self.centre.names.iter().any(|n| n == part))
    }

    /// A name set off by commas after a few words saying where the person is from: "a friend
    /// from the mosque, Fadumo,", "a friend there, Bilal,".
    fn name_after_where(&self, end: usize) -> Option<Range<usize>> {
        let tokens = self.tokens;
        let opens = tokens.get(end).is_some_and(|t| {
            matches!(t.lower.as_str(), "there" | "from" | "at" | "in" | "of")
                && gap(self.chars, tokens, end - 1).trim().is_empty()
        });
        if !opens {
            return None;
        }
        let comma = (end..(end + WHERE_WORDS).min(tokens.len()))
            .take_while(|&i| self.sentence_start[i] == self.sentence_start[end])
            .find(|&i| !gap(self.chars, tokens, i).trim().is_empty())
            .filter(|&i| gap(self.chars, tokens, i).trim() == ",")?;
        let first = comma + 1;
        if !name_word(tokens, first, false) {
            return None;
        }
        let mut stop = first + 1;
        if name_word(tokens, stop, false) && gap(self.chars, tokens, first).trim().is_empty() {
            stop += 1;
        }
        let after = gap(self.chars, tokens, stop - 1);
        let closed = after.trim().is_empty() || after.trim_start().starts_with([',', '.', ';']);
        closed.then_some(first..stop)
    }

    /// A name given to a person's role: after it ("daughter Karen", "Mum (Kayleigh)", "the
    /// vicar's wife, Helen,") or before it ("Mrs Patel, the pastoral lead").
    fn attach_name(&self, mention: &mut Mention) {
        let tokens = self.tokens;
        let end = mention.tokens.end;
        let starts_sentence = |i: usize| self.sentence_start.get(i).is_some_and(|&s| s == i);
        // "a cat called Mango", "a boy named 'Jay'".
        if tokens.get(end).is_some_and(|t| matches!(t.lower.as_str(), "called" | "named"))
            && name_word(tokens, end + 1, false)
        {
            mention.name = Some(tokens[end + 1].text.clone());
            mention.tokens.end = end + 2;
            return;
        }
        if end < tokens.len() && !starts_sentence(end) {
            let between = gap(self.chars, tokens, end - 1);
            let between = between.trim();
            let fits = matches!(between, "" | "(" | ",");
            if fits && name_word(tokens, end, false) {
                let mut stop = end + 1;
                if name_word(tokens, stop, false) && gap(self.chars, tokens, end).trim().is_empty()
                {
                    stop += 1;
                }
                let after = gap(self.chars, tokens, stop - 1);
                // A plural role's list of names: "his parents, Ann and Ray," or "her sons,
                // Leo (9) and Kit (3),".
                let listed = self.plural(end)
                    && (after.trim_start().starts_with('(')
                        || tokens.get(stop).is_some_and(|t| t.lower == "and"));
                let apposition_closed = between != ","
                    || after.trim_start().starts_with([',', '.', ';'])
                    || after.trim().is_empty()
                    || listed;
                if apposition_closed {
                    let name: Vec<&str> =
                        tokens[end..stop].iter().map(|t| t.text.trim_end_matches("'s")).collect();
                    mention.name = Some(name.join(" "));
                    mention.tokens.end = stop;
                    return;
                }
            }
        }
        if let Some(name) = self.name_after_where(end) {
            let words: Vec<&str> = tokens[name.clone()].iter().map(|t| t.text.as_str()).collect();
            mention.name = Some(words.join(" "));
            mention.tokens.end = name.end;
            return;
        }
        let start = mention.tokens.start;
        if start >= 2 && gap(self.chars, tokens, start - 1).trim() == "," {
            let mut from = start - 1;
            if name_word(tokens, from, starts_sentence(from))
                || (starts_sentence(from) && is_capitalised(&tokens[from]))
            {
                if from > 0 && TITLES.contains(&tokens[from - 1].text.as_str()) {
                    from -= 1;
                }
                let name: Vec<&str> = tokens[from..start].iter().map(|t| t.text.as_str()).collect();
                if !self.is_centre(&name.join(" ")) && !NOT_NAMES.contains(&name[0]) {
                    mention.name = Some(name.join(" "));
                    mention.tokens.start = from;
                }
            }
            return;
        }
        // "Edna has been her best friend since school": the name is the one the role is said of.
        let verb: &[&[&str]] = &[&["is"], &["was"], &["has", "been"], &["had", "been"]];
        for words in verb {
            let n = words.len();
            let Some(at) = start.checked_sub(n + 1) else { continue };
            let said_verb =
                tokens[at + 1..start].iter().map(|t| t.lower.as_str()).eq(words.iter().copied());
            let named = name_word(tokens, at, false)
                || (starts_sentence(at) && is_capitalised(&tokens[at]));
            if said_verb && named {
                // A first name before a surname ("Steve Carr is ...") is part of the name.
                let first = at.checked_sub(1).filter(|&f| {
                    (name_word(tokens, f, false)
                        || (starts_sentence(f) && is_capitalised(&tokens[f])))
                        && !NOT_NAMES.contains(&tokens[f].text.as_str())
                        && gap(self.chars, tokens, f).trim().is_empty()
                        && (starts_sentence(f) || !starts_sentence(at))
                });
                let from = first.unwrap_or(at);
                let name: Vec<&str> = tokens[from..=at].iter().map(|t| t.text.as_str()).collect();
                let name = name.join(" ");
                if !self.is_centre(&name) && !NOT_NAMES.contains(&name.as_str()) {
                    mention.name = Some(name);
                    mention.tokens = from..at + 1;
                }
                return;
            }
        }
    }
}
