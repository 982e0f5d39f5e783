//! People said together with others: the names listed after a plural role ("her brothers Leo
//! (9) and Kit (3)", "his parents, Ann and Ray,"), and relatives of someone else the note names
//! ("Chris's mum"), who are the person's family too when that someone is.

use std::ops::Range;

use doorstep_core::model::TieCategory;
use doorstep_themes::text::TITLES;

use super::age;
use super::mentions::{Finder, gap, is_capitalised, name_word};
use super::words::MODIFIERS;

/// Plural role words not made with an s.
const IRREGULAR_PLURALS: &[&str] = &["children", "grandchildren", "stepchildren"];

impl Finder<'_> {
    /// "Chris's mum", "Kelsey's sister, Dawn": a relative of someone the note names, by the
    /// owner's lower-case name. They are the person's family too when the owner is ("Dad,
    /// Chris, ..." then "Chris's mum" is a grandparent); [`Finder::role_mentions`] keeps them
    /// only then.
    pub(super) fn relative_of(&self, start: usize, head: usize, role: usize) -> Option<String> {
        let role = &self.lexicon.roles[role];
        if start >= head || !role.people || role.category != TieCategory::Family {
            return None;
        }
        // "at Kelly's mum's": a house, where someone is, not the relative.
        if self.tokens[head..]
            .iter()
            .find(|t| !MODIFIERS.contains(&t.lower.as_str()))?
            .lower
            .ends_with("'s")
        {
            return None;
        }
        let first = &self.tokens[start];
        let owner = first.lower.strip_suffix("'s")?;
        (is_capitalised(first) && !self.is_centre(owner) && !self.is_family(owner))
            .then(|| owner.to_owned())
    }

    /// Whether the role word ending before `end` is plural ("brothers", "parents", "children"):
    /// it may be followed by a list of names, each a person of that role.
    pub(super) fn plural(&self, end: usize) -> bool {
        let last = &self.tokens[end - 1].lower;
        let regular =
            last.len() > 3 && last.ends_with('s') && !last.ends_with("'s") && !last.ends_with("ss");
        regular || IRREGULAR_PLURALS.contains(&last.as_str())
    }

    /// The further names of a list after a plural role's first name ("her brothers Leo (9) and
    /// Kit (3)", "his parents, Ann and Ray,"), each with its tokens. An age after a name is
    /// passed over; the list ends at its "and".
    pub(super) fn listed_names(&self, mut end: usize) -> Vec<(Range<usize>, String)> {
        let tokens = self.tokens;
        let mut out = Vec::new();
        while end < tokens.len() {
            if let Some((_, after)) = age::age_span(self.chars, tokens, end) {
                end = after;
            }
            if end >= tokens.len() || self.sentence_start[end] == end {
                break;
            }
            let sep = gap(self.chars, tokens, end - 1);
            let sep = sep.trim().trim_start_matches(')').trim();
            let mut at = end;
            let last = tokens[at].lower == "and" && matches!(sep, "" | ",");
            if last {
                at += 1;
            } else if sep != "," {
                break;
            }
            // "Mr and Mrs Okoro" is a couple said together, one tie.
            if !name_word(tokens, at, false)
                || self.is_centre(&tokens[at].lower)
                || TITLES.contains(&tokens[at].text.as_str())
            {
                break;
            }
            let mut stop = at + 1;
            if name_word(tokens, stop, false) && gap(self.chars, tokens, at).trim().is_empty() {
                stop += 1;
            }
            let name: Vec<&str> =
                tokens[at..stop].iter().map(|t| t.text.trim_end_matches("'s")).collect();
            out.push((at..stop, name.join(" ")));
            end = stop;
            if last {
                break;
            }
        }
        out
    }
}
