//! A relative the note says is a child ("her brother Alfie (3)", "his sister Millie, who's
//! three", "Kai is only four"): a young brother or sister is family the person lives alongside
//! rather than leans on, and a young son or daughter is someone the person cares for. Nothing
//! else in the note need say so for the map to show it, so the age sets how such a tie reads when
//! the note is otherwise silent.

use doorstep_core::model::{SupportFlow, TieCategory, TieQuality};
use doorstep_themes::text::Token;

use crate::lexicon::Role;

/// Ages under this are a child's.
const CHILD_UNDER: u32 = 16;

/// Number words a note spells an age with.
const NUMBER_WORDS: &[&str] = &[
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];

/// Words that say an age follows ("who's 6", "who is only one", "aged 3").
const SAYS_AGE: &[&str] = &["who's", "who", "is", "aged", "age"];

/// Words that may stand between those and the age.
const HEDGES: &[&str] = &["is", "only", "just", "nearly", "now"];

/// Words that may end the phrase of an age ("is 10 months old and thriving").
const AFTER_AGE: &[&str] = &["and", "but", "so", "who", "with"];

/// The roles of the person's own children, whose tie a child's age turns to care given.
const OFFSPRING: &[&str] =
    &["son", "daughter", "twins", "children", "grandson", "granddaughter", "grandchildren"];

fn number(token: &Token) -> Option<u32> {
    token.lower.parse().ok().or_else(|| {
        NUMBER_WORDS.iter().position(|w| *w == token.lower).and_then(|i| u32::try_from(i + 1).ok())
    })
}

/// The characters between token `i` and the next.
fn gap_after(chars: &[char], tokens: &[Token], i: usize) -> String {
    let to = tokens.get(i + 1).map_or(chars.len(), |t| t.start);
    chars[tokens[i].end.min(to)..to].iter().collect()
}

/// The age said straight after the mention ending before token `end`, in years (0 for "four
/// months"): "(3)", ", who's 6", "who is only one", "is 10 months old". The rest of a name
/// split at a hyphen may come first ("Lily-Mae who's three"). An age must end its phrase, so
/// "is nine months sober" and "two days a week" are not ages.
pub(super) fn age_after(chars: &[char], tokens: &[Token], end: usize) -> Option<u32> {
    age_span(chars, tokens, end).map(|(age, _)| age)
}

/// [`age_after`], with the index of the token after the age's phrase.
pub(super) fn age_span(chars: &[char], tokens: &[Token], end: usize) -> Option<(u32, usize)> {
    if end == 0 || end >= tokens.len() {
        return None;
    }
    let mut at = end;
    if gap_after(chars, tokens, at - 1) == "-" {
        at += 1;
    }
    let bracketed = tokens.get(at).is_some_and(|_| gap_after(chars, tokens, at - 1).contains('('));
    if !bracketed {
        if !tokens.get(at).is_some_and(|t| SAYS_AGE.contains(&t.lower.as_str())) {
            return None;
        }
        at += 1;
        while tokens.get(at).is_some_and(|t| HEDGES.contains(&t.lower.as_str())) {
            at += 1;
        }
    }
    let n = number(tokens.get(at)?)?;
    let mut years = n;
    let unit = tokens.get(at + 1).map(|u| u.lower.as_str());
    if matches!(unit, Some("months" | "weeks" | "days" | "month" | "week")) {
        years = 0;
        at += 1;
    } else if matches!(unit, Some("years" | "year")) {
        at += 1;
    }
    if tokens.get(at + 1).is_some_and(|t| t.lower == "old") {
        at += 1;
    }
    let ends = at + 1 >= tokens.len()
        || gap_after(chars, tokens, at).trim().chars().next().is_some_and(|c| c != '-')
        || AFTER_AGE.contains(&tokens[at + 1].lower.as_str());
    ends.then_some((years, at + 1))
}

/// Whether `age` is a child's.
pub(super) fn is_child(age: u32) -> bool {
    age < CHILD_UNDER
}

/// How a family role reads for a child: the person's own child is strong and cared for by them;
/// a young brother, sister or other relative is ordinary family that gives no support. What the
/// note says of the tie still comes first; this is only what it falls back to.
pub(super) fn as_child(role: &Role) -> Role {
    let mut role = role.clone();
    if role.category != TieCategory::Family {
        return role;
    }
    if OFFSPRING.contains(&role.role.as_str()) {
        role.quality = Some(TieQuality::Strong);
        role.support = Some(SupportFlow::FromSubject);
    } else {
        role.quality = Some(TieQuality::Moderate);
        role.support = Some(SupportFlow::None);
    }
    role
}

/// Words for who else a child may live with ("live with his parents", "lives with her
/// dad", "is living with foster carers").
const KEEPERS: &[&str] = &[
    "parents",
    "mum",
    "mother",
    "mam",
    "dad",
    "father",
    "grandparents",
    "nan",
    "gran",
    "grandma",
    "grandad",
    "aunt",
    "auntie",
    "uncle",
    "foster",
    "carers",
];

/// How far after a child's name "live with" may come and still be said of them ("Lily (8)
/// and Tom (6) live with").
const LIVES_WITHIN: usize = 12;

/// Whether the words from a child's name say they live with someone else ("Lily (8) and Tom
/// (6) live with his parents"): the person does not bring them up day to day, so the child is
/// family they see rather than someone they care for.
pub(super) fn lives_apart(words: &[String]) -> bool {
    words.windows(4).take(LIVES_WITHIN).any(|w| {
        matches!(w[0].as_str(), "live" | "lives" | "living")
            && w[1] == "with"
            && matches!(w[2].as_str(), "his" | "her" | "their" | "the")
            && KEEPERS.contains(&w[3].as_str())
    })
}

/// How a child who lives apart reads when the note says no more: ordinary family, no support
/// either way (see [`lives_apart`]).
pub(super) fn apart(quality: TieQuality, support: SupportFlow) -> (TieQuality, SupportFlow) {
    let quality = if quality == TieQuality::Strong { TieQuality::Moderate } else { quality };
    let support = if support == SupportFlow::FromSubject { SupportFlow::None } else { support };
    (quality, support)
}

#[cfg(test)]
mod tests {
    use doorstep_themes::text::tokens;

    use super::*;

    fn age(text: &str, after: &str) -> Option<u32> {
        let t = tokens(text);
        let chars: Vec<char> = text.chars().collect();
        let end = t.iter().position(|x| x.text == after).map(|i| i + 1)?;
        age_after(&chars, &t, end)
    }

    #[test]
    fn ages_in_brackets_in_words_and_in_months() {
        assert_eq!(age("with her cousin Bea (4) and Tom", "Bea"), Some(4));
        assert_eq!(age("his nephew Sol, who's seven, stays over", "Sol"), Some(7));
        assert_eq!(age("her baby son Ari is 9 months old", "Ari"), Some(0));
        assert_eq!(age("her niece Ava-Rose who is only two", "Ava"), Some(2));
    }

    #[test]
    fn a_child_living_with_someone_else() {
        let words = |t: &str| tokens(t).into_iter().map(|x| x.lower).collect::<Vec<_>>();
        assert!(lives_apart(&words("the twins live with their dad in Hull")));
        assert!(!lives_apart(&words("the twins live with her")));
    }

    #[test]
    fn no_age_when_something_else_follows() {
        assert_eq!(age("her brother Sam works at the garage since 2019", "Sam"), None);
        assert_eq!(age("her aunt June is lovely", "June"), None);
        assert_eq!(age("her dad Lee two days a week", "Lee"), None);
        assert_eq!(age("her dad Lee is nine months sober", "Lee"), None);
    }
}
