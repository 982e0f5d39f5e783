//! A note as the tagger reads it: words with their character spans, each word's stem, and the
//! three nested spans a mention is judged in. A *sentence* ends at . ! ? ; : or a line break;
//! a *clause* also ends before "but", "although", "however" and "though", which turn what
//! follows back to fact; a *scope* also ends before a comma or a linking word that starts a new
//! statement (", and he smokes weed"), so "she didn't buy, and smokes weed" does not deny the weed.

use std::ops::Range;

/// A word of the note: its text, lower case, stem and character span.
#[derive(Debug)]
pub struct Token {
    pub text: String,
    pub lower: String,
    pub stem: String,
    pub start: usize,
    pub end: usize,
}

impl Token {
    fn new(text: String, start: usize, end: usize) -> Self {
        let lower = text.to_lowercase();
        Self { stem: stem(&lower), lower, text, start, end }
    }

    /// The word without a possessive or a contracted "is"/"has": "mum" of "mum's" ("her mum's
    /// been staying"), "husband" of "husband's" ("her husband's family").
    pub fn bare(&self) -> &str {
        self.lower.strip_suffix("'s").filter(|b| !b.is_empty()).unwrap_or(&self.lower)
    }
}

/// Where a word sits: its sentence's number and the token ranges of its clause and scope.
#[derive(Debug, Clone)]
pub struct Place {
    pub sentence: usize,
    pub clause: Range<usize>,
    pub scope: Range<usize>,
    /// The word ends a sentence with a colon: the end of a heading or a label ("Mobility:").
    pub colon: bool,
    /// The word ends a question ("Lonely?").
    pub question: bool,
    /// The word ends a statement with a spaced dash ("Self-harm at 15 - nothing since").
    pub dash: bool,
}

/// A word without its commonest English endings, so "volunteered", "volunteers" and
/// "volunteering" meet: -ies, -ing, -ed, -es (after a hissing sound), -s, then a final -e and a
/// doubled consonant ("stopped", "stop"; "places", "place"), keeping a stem of at least three
/// letters; a possessive "'s" goes first. Used for the words of phrases; a single word is
/// matched exactly (but for a possessive).
pub fn stem(word: &str) -> String {
    let long = |s: &str| s.chars().count() >= 3;
    let word = word.strip_suffix("'s").filter(|w| !w.is_empty()).unwrap_or(word);
    let mut base = word.to_owned();
    if let Some(s) = word.strip_suffix("ies").filter(|s| long(s)) {
        base = format!("{s}y");
    } else if let Some(s) = word.strip_suffix("ing").filter(|s| long(s)) {
        base = s.to_owned();
    } else if let Some(s) = word.strip_suffix("ed").filter(|s| long(s)) {
        base = s.to_owned();
    } else if let Some(s) = word.strip_suffix("es").filter(|s| {
        long(s) && (s.ends_with('s') || s.ends_with('x') || s.ends_with("ch") || s.ends_with("sh"))
    }) {
        base = s.to_owned();
    } else if let Some(s) =
        word.strip_suffix('s').filter(|s| long(s) && !s.ends_with('s') && !s.ends_with('\''))
    {
        base = s.to_owned();
    }
    if base.chars().count() > 3
        && let Some(s) = base.strip_suffix('e')
    {
        base = s.to_owned();
    }
    let chars: Vec<char> = base.chars().collect();
    if let [.., a, b] = chars.as_slice()
        && a == b
        && chars.len() > 3
        && "bdgmnprt".contains(*a)
    {
        base.pop();
    }
    base
}

/// Words with their character spans; an apostrophe or an ampersand inside a word keeps it
/// whole ("can't", "A&E"); a hyphen splits it, so "self-neglect" and "self neglect" meet.
pub fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut current: Option<(usize, String)> = None;
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let inner = (c == '\'' || c == '’' || c == '&')
            && current.is_some()
            && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
        if c.is_alphanumeric() || inner {
            let c = if c == '’' { '\'' } else { c };
            current.get_or_insert_with(|| (i, String::new())).1.push(c);
        } else if let Some((start, word)) = current.take() {
            out.push(Token::new(word, start, i));
        }
    }
    if let Some((start, word)) = current {
        out.push(Token::new(word, start, chars.len()));
    }
    out
}

/// Words that turn a clause back to fact after a denial or a condition.
const TURNS: &[&str] = &["but", "although", "however", "though", "whereas", "yet"];

/// Words that start a new statement inside a clause: a denial or a condition before them does
/// not reach past them.
const LINKS: &[&str] = &[
    "and", "so", "which", "who", "where", "while", "when", "because", "as", "then", "after",
    "before", "since", "until", "whilst", "once",
];

/// Verbs that class what their object is "as": "not treating the relationship itself as sexual
/// abuse" denies the class however long the object between, and its "as" is no link.
pub(crate) const CLASSING: &[&str] = &[
    "treat", "treats", "treated", "treating", "regard", "regards", "regarded", "class", "classed",
    "view", "viewed", "count", "counted", "record", "recorded",
];

/// How many words may stand between a classing verb and its "as".
pub(crate) const CLASSED_REACH: usize = 6;

/// Every token's sentence, clause and scope.
pub fn places(text: &str, tokens: &[Token]) -> Vec<Place> {
    let chars: Vec<char> = text.chars().collect();
    let gap = |i: usize| -> &[char] {
        let from = tokens[i].end;
        let to = tokens.get(i + 1).map_or(chars.len(), |n| n.start);
        &chars[from..to]
    };
    // Where each sentence, clause and scope starts.
    let (mut sentences, mut clauses, mut scopes) = (vec![0], vec![0], vec![0]);
    for i in 0..tokens.len() {
        let word = tokens[i].lower.as_str();
        let before = if i == 0 { &[][..] } else { gap(i - 1) };
        let comma = before.contains(&',') || before.contains(&'(') || before.contains(&')');
        // "not yet discussed" is no turn.
        let not_yet =
            word == "yet" && i > 0 && matches!(tokens[i - 1].lower.as_str(), "not" | "as");
        if i > 0 && TURNS.contains(&word) && !not_yet && !clauses.contains(&i) {
            clauses.push(i);
            scopes.push(i);
        } else if i > 0 && !scopes.contains(&i) {
            let classed = word == "as"
                && tokens[i.saturating_sub(CLASSED_REACH + 1)..i]
                    .iter()
                    .any(|t| CLASSING.contains(&t.lower.as_str()));
            let link = LINKS.contains(&word)
                && !classed
                && (comma || word != "and" || new_subject(tokens, i) || new_predicate(tokens, i));
            let pause = comma
                && !is_list_item(tokens, i, |j| gap(j - 1).contains(&','))
                && !question_follows(&tokens[..i]);
            if link || pause || before.contains(&'—') || quote_after_dash(before) {
                scopes.push(i);
            }
        }
        let ends = gap(i).iter().any(|c| matches!(c, '.' | '!' | '?' | ';' | '\n' | ':'))
            || spaced_dash(gap(i));
        if ends && i + 1 < tokens.len() {
            for starts in [&mut sentences, &mut clauses, &mut scopes] {
                starts.push(i + 1);
            }
        }
    }
    let range_of = |starts: &[usize], i: usize| -> Range<usize> {
        let at = starts.partition_point(|&s| s <= i).saturating_sub(1);
        starts[at]..starts.get(at + 1).copied().unwrap_or(tokens.len())
    };
    (0..tokens.len())
        .map(|i| Place {
            sentence: sentences.partition_point(|&s| s <= i).saturating_sub(1),
            clause: range_of(&clauses, i),
            scope: range_of(&scopes, i),
            colon: gap(i).contains(&':'),
            question: gap(i).contains(&'?'),
            dash: spaced_dash(gap(i)),
        })
        .collect()
}

/// A dash with space on both sides ("Drugs - none"), which ends a statement as a colon does;
/// a hyphen inside a word ("self-harm") does not.
fn spaced_dash(gap: &[char]) -> bool {
    matches!(gap, [' ', '-' | '–' | '—', ' '])
}

/// A spaced dash opening a quotation ("PHQ-9 2 - \"I don't get sad\""): the quote starts a
/// new statement of the same clause, so what is said before it stands alone.
fn quote_after_dash(gap: &[char]) -> bool {
    gap.len() > 3
        && spaced_dash(&gap[..3])
        && gap[3..].iter().all(|c| matches!(c, '"' | '\'' | '“' | '‘'))
}

/// "and" before a new subject starts a new statement: "the heating wasn't on and there was a
/// smell of cannabis".
fn new_subject(tokens: &[Token], i: usize) -> bool {
    tokens.get(i + 1).is_some_and(|t| {
        matches!(
            t.lower.as_str(),
            "there"
                | "he"
                | "she"
                | "they"
                | "i"
                | "we"
                | "it"
                | "he's"
                | "she's"
                | "they're"
                | "i've"
                | "i'm"
                | "we've"
                | "mum"
                | "dad"
                | "there's"
                | "it's"
        )
    })
}

/// Verbs that, right after "and", start a new statement about the same person: "she never
/// reported it and still has flashbacks", "showed me his medals and said ...".
const PREDICATES: &[&str] = &[
    "still", "said", "says", "told", "tells", "went", "goes", "got", "gets", "took", "takes",
    "came", "comes", "gave", "gives", "made", "makes", "wants", "loves", "likes", "is", "has",
];

/// "and" before a verb starts a new statement: a listed verb, or one in the past ("-ed", but
/// not a noun such as "speed").
fn new_predicate(tokens: &[Token], i: usize) -> bool {
    tokens.get(i + 1).is_some_and(|t| {
        let w = t.lower.as_str();
        PREDICATES.contains(&w) || (w.len() > 4 && w.ends_with("ed") && !w.ends_with("eed"))
    })
}

/// How a question may be asked, between "asked him" and the question: "asked him straight was
/// he", "asked him, gently, had he".
pub(crate) const ASKED_HOW: &[&str] = &["straight", "directly", "gently", "outright", "again"];

/// Whether the words before a comma ask someone a question that follows it: "I asked him,
/// gently, had he thought about ending things".
fn question_follows(before: &[Token]) -> bool {
    let mut words = before.iter().rev().map(|t| t.lower.as_str()).peekable();
    words.next_if(|w| ASKED_HOW.contains(w));
    words.next().is_some_and(|w| matches!(w, "him" | "her" | "them"))
        && words.next().is_some_and(|w| matches!(w, "ask" | "asked" | "asks" | "asking"))
}

/// A comma before word `i` that only separates the items of a list ("no drugs, alcohol or
/// DV") keeps the scope open: the item is a word or two ending the sentence or followed by
/// another comma, "or", "and" or "nor". A one-word answer ("drugs, never, and the screen was
/// clear") and the topic before it are no items, nor is what comes before ", and" and a new
/// subject ("that's not me', and I believe him").
fn is_list_item(tokens: &[Token], i: usize, comma_before: impl Fn(usize) -> bool) -> bool {
    let answer = |j: usize| {
        tokens.get(j).is_some_and(|t| matches!(t.lower.as_str(), "never" | "none" | "nil"))
    };
    !answer(i)
        && !answer(i + 1)
        && (i + 1..(i + 3).min(tokens.len())).any(|j| {
            matches!(tokens[j].lower.as_str(), "or" | "and" | "nor")
                && !(comma_before(j) && new_subject(tokens, j))
        })
}

/// Titles between a relation and a name, or before a surname: "neighbour Mrs Shah", "Uncle Lee".
pub const TITLES: &[&str] =
    &["Mr", "Mrs", "Ms", "Miss", "Dr", "Auntie", "Uncle", "Nan", "Aunty", "Aunt"];

/// Capitalised words that are never a person's name: pronouns, sentence openers, days, months,
/// festivals, and the family words a note capitalises ("Mum said").
pub const NOT_NAMES: &[&str] = &[
    "Says",
    "Said",
    "I",
    "I'm",
    "I've",
    "I'll",
    "The",
    "He",
    "She",
    "They",
    "It",
    "We",
    "You",
    "On",
    "In",
    "At",
    "And",
    "But",
    "So",
    "If",
    "When",
    "This",
    "That",
    "There",
    "Mum",
    "Dad",
    "Nan",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Christmas",
    "Easter",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Eid",
    "Diwali",
    "Her",
    "His",
    "Plan",
    "Today",
    "No",
    "Not",
];
