//! Whether a mention says the theme is there now. Practitioners write about far more than what
//! is the case: what they ruled out ("no concerns about drugs", "denies any DV"), what they
//! will ask or might do ("if she misses school again", "I'll ask about alcohol"), what is over
//! ("used to drink", "no longer goes to church") and, for strengths, what is only offered
//! ("I gave her details of the carers' group"). Each judgement reads the words of the mention's
//! scope, clause or sentence (see `text`), so it holds for notes never seen.

use super::after::{PUT_BEHIND, PUT_BEHIND_REACH, all_well, verdict};
use super::strength::not_yet;
use super::text::{ASKED_HOW, CLASSED_REACH, CLASSING, TITLES, Token};

/// Words that deny what follows them, close by, in their scope.
const NEGATIONS: &[&str] = &[
    "no",
    "not",
    "never",
    "without",
    "denies",
    "denied",
    "deny",
    "denying",
    "nor",
    "neither",
    "none",
    "isn't",
    "wasn't",
    "aren't",
    "weren't",
    "doesn't",
    "didn't",
    "don't",
    "hasn't",
    "haven't",
    "hadn't",
    "won't",
    "wouldn't",
    "cannot",
    "can't",
    "couldn't",
    "shouldn't",
    "rule",
    "ruled",
    "unlikely",
    "absent",
    "free",
    "nothing",
    "nobody",
    "nobody's",
    "declined",
    "declines",
    "refused",
    "refuses",
    "nil",
    "refutes",
    "refuted",
    "refute",
    "disputes",
    "disputed",
];

/// After a negation, words that make it a practitioner's conclusion about the whole note: "no
/// concerns about her drinking" rules drinking out wherever else it is mentioned.
const CONCLUSIONS: &[&str] = &[
    "concern",
    "concerns",
    "concerned",
    "worries",
    "worry",
    "worried",
    "evidence",
    "sign",
    "signs",
    "indication",
    "indications",
    "suggestion",
    "suggest",
    "reason",
    "issues",
    "issue",
    "problem",
    "problems",
    "history",
    "current",
    "known",
];

/// For a strength, words that end it: "has stopped going to cricket", "the day centre closed".
const ENDINGS: &[&str] = &[
    "stopped", "stop", "stops", "gave", "given", "quit", "dropped", "closed", "closing", "shut",
    "lost", "left", "ended", "finished", "missing", "misses", "miss", "lapsed",
];

/// Small words a negation reaches over without using up its reach: "no concerns at all about
/// his drinking".
const FILLERS: &[&str] = &[
    "a",
    "an",
    "the",
    "any",
    "at",
    "all",
    "about",
    "of",
    "for",
    "her",
    "his",
    "their",
    "my",
    "him",
    "them",
    "to",
    "in",
    "on",
    "or",
    "and",
    "with",
    "that",
    "this",
    "is",
    "was",
    "be",
    "been",
    "has",
    "have",
    "had",
    "he",
    "she",
    "they",
    "it",
    "i",
    "we",
    "really",
    "very",
    "around",
    "regarding",
    "re",
    "sign",
    "signs",
    "evidence",
    "concerns",
    "concern",
];

/// Help for a need: a negation of the help ("declined a referral to the drug service", "doesn't
/// want support with her drinking") is not a denial of the need.
const HELP: &[&str] =
    &["referral", "referrals", "help", "support", "treatment", "service", "services", "input"];

/// How many words (not counting fillers) back from a mention a negation reaches.
const NEGATION_REACH: usize = 3;

/// Words that make what follows in the scope a condition or a question ("if she misses school
/// again", "would be at risk of"). A plan to act on a need ("I will refer her to the OT") still
/// shows the need, so "will" is not here.
const CONDITIONS: &[&str] =
    &["if", "unless", "would", "suspected", "whether", "should", "lest", "supposing", "assuming"];

/// Words after "would" that make it a wish, not a condition: "would like", "would prefer".
const WISHES: &[&str] = &["like", "love", "prefer", "welcome", "appreciate", "value"];

/// Phrases that open a condition as "if" does: "in the event that he relapses", "in case of".
const CONDITION_PHRASES: &[&[&str]] = &[&["in", "case"], &["in", "the", "event"], &["what", "if"]];

/// Conditions that, right after a mention, make it wait on something not yet known: "DASH to be
/// completed if any disclosure is made", "the signs of county lines in case anyone approaches
/// him", "a falls referral should any further falls happen".
const CONDITIONS_AFTER: &[&[&str]] = &[
    &["if", "any"],
    &["if", "anything"],
    &["if", "anyone"],
    &["if", "there", "is", "any"],
    &["if", "there", "are", "any"],
    &["should", "any"],
    &["in", "case"],
];

/// What a screen or an assessment that clears a concern reads right after it: "AUDIT completed,
/// score 2, low risk", "falls risk assessment: no risk identified".
const LOW_RISK: &[&[&str]] = &[
    &["low", "risk"],
    &["no", "risk"],
    &["below", "the", "threshold"],
    &["assessment", "low"],
    &["assessed", "as", "low"],
    &["rated", "low"],
    &["screen", "negative"],
    &["screening", "negative"],
    &["test", "negative"],
    &["tests", "negative"],
    &["been", "negative"],
    &["were", "negative"],
    &["was", "negative"],
    &["normal", "range"],
    &["within", "normal"],
    &["normal", "limits"],
];

/// Words before a screen's score: a score of [`LOW_SCORE`] or less clears the concern on every
/// common screen ("AUDIT score 1", "clutter image rating 1", "PHQ-9 scored 3").
const SCORES: &[&str] = &["score", "scored", "scores", "rating", "rated"];
const LOW_SCORE: u32 = 3;

/// Whether the words hold a screen's low score.
fn low_score(words: &[Token]) -> bool {
    words.windows(2).any(|w| {
        SCORES.contains(&w[0].lower.as_str())
            && w[1].lower.parse::<u32>().is_ok_and(|n| n <= LOW_SCORE)
    }) || words.windows(3).any(|w| {
        SCORES.contains(&w[0].lower.as_str())
            && w[1].lower == "of"
            && w[2].lower.parse::<u32>().is_ok_and(|n| n <= LOW_SCORE)
    })
}

/// Where a screen's normal band ends, for screens whose band is not 0 to [`LOW_SCORE`], by the
/// screen's words: PHQ-9 and GAD-7 are minimal to 4, the EPDS low to 9, and on the memory tests a
/// high score is the normal one (MoCA 26 of 30, ACE-III 88 of 100, MMSE 27 of 30).
const SCREEN_BANDS: &[(&[&str], Band)] = &[
    (&["phq", "9"], Band::AtMost(4)),
    (&["phq9"], Band::AtMost(4)),
    (&["gad", "7"], Band::AtMost(4)),
    (&["gad7"], Band::AtMost(4)),
    (&["epds"], Band::AtMost(9)),
    (&["moca"], Band::AtLeast(26)),
    (&["ace", "iii"], Band::AtLeast(88)),
    (&["mmse"], Band::AtLeast(27)),
];

/// Whether a mention is a screen's name: an acronym ("AUDIT-C", "PHQ-9") or a screen with
/// its own band ("MoCA").
pub(crate) fn is_screen(mention: &[Token]) -> bool {
    mention.iter().all(|t| !t.text.chars().any(char::is_lowercase))
        || SCREEN_BANDS.iter().any(|(words, _)| has_seq(mention, &[words]))
}

/// A screen's normal scores.
#[derive(Clone, Copy)]
enum Band {
    AtMost(u32),
    AtLeast(u32),
}

/// Words that may follow a screen's score to say when it was taken: "PHQ-9 4 last month".
const WHEN: &[&str] = &[
    "today",
    "yesterday",
    "last",
    "this",
    "week",
    "month",
    "year",
    "at",
    "on",
    "in",
    "the",
    "review",
    "visit",
    "previously",
    "ago",
    "again",
    "now",
];

/// Whether the words after a screen's acronym, to the end of their statement, are only a score
/// in its normal band and when it was taken: "2" in "AUDIT-C 2 - a few pints", "3" in "PHQ-9 3,
/// GAD-7 2", "2/12", "4 last month" after "PHQ-9"; not "DV 2 incidents".
pub(crate) fn scored_normal(screen: &[Token], after: &[Token]) -> bool {
    let letter = after
        .first()
        .is_some_and(|t| t.text.len() == 1 && t.text.chars().all(|c| c.is_ascii_uppercase()));
    let after = &after[usize::from(letter)..];
    let digits = |t: &Token| !t.lower.is_empty() && t.lower.chars().all(|c| c.is_ascii_digit());
    let score_len = after.iter().take(2).take_while(|t| digits(t)).count();
    let band = SCREEN_BANDS
        .iter()
        .find(|(words, _)| has_seq(screen, &[words]))
        .map_or(Band::AtMost(LOW_SCORE), |&(_, band)| band);
    score_len > 0
        && after[0].lower.parse::<u32>().is_ok_and(|n| match band {
            Band::AtMost(most) => n <= most,
            Band::AtLeast(least) => n >= least,
        })
        && after[score_len..].iter().all(|t| WHEN.contains(&t.lower.as_str()))
}

/// How many words right after a mention a condition or a screen's result may take up.
const RIGHT_AFTER_WORDS: usize = 8;

/// The first words after a mention, where a condition or a clearing result is said of it.
fn right_after(words: &[Token]) -> &[Token] {
    &words[..words.len().min(RIGHT_AFTER_WORDS)]
}

/// Words that make the scope an enquiry when "about", "whether" or "if" follows them: "I'll ask
/// about alcohol next time", "asked him directly about suicide".
const ENQUIRIES: &[&str] = &[
    "ask",
    "asked",
    "asking",
    "explore",
    "explored",
    "query",
    "queried",
    "discuss",
    "discussed",
    "check",
    "checked",
    "enquire",
    "enquired",
    "screen",
    "screened",
    "asks",
    "explores",
    "exploring",
    "clarify",
    "establish",
    "ascertain",
    "find",
    "probe",
    "probed",
    "enquiry",
    "enquiries",
    "assess",
    "assessing",
];

/// Words that put what the scope says off to a later visit: "I'll look at her capacity around
/// the money next time" is a plan to find out, not a finding.
const DEFERRALS: &[&[&str]] = &[
    &["next", "time"],
    &["next", "visit"],
    &["another", "visit"],
    &["next", "week"],
    &["next", "session"],
    &["next", "appointment"],
    &["future", "visit"],
    &["later", "date"],
    &["to", "be", "explored"],
    &["to", "be", "discussed"],
    &["in", "future"],
    &["in", "the", "future"],
    &["not", "yet", "discussed"],
    &["not", "yet", "explored"],
    &["not", "yet", "asked"],
    &["not", "yet", "raised"],
    &["not", "yet", "covered"],
    &["yet", "to", "be", "discussed"],
    &["yet", "to", "be", "explored"],
    &["not", "discussed"],
    &["not", "explored"],
    &["wasn't", "discussed"],
    &["weren't", "discussed"],
    &["didn't", "get", "to"],
    &["did", "not", "get", "to"],
    &["ran", "out", "of", "time"],
];

/// Words that put a mention in the past: "used to", "previously", "no longer".
const PAST: &[&[&str]] = &[
    &["used", "to"],
    &["previously"],
    &["formerly"],
    &["former"],
    &["historic"],
    &["historical"],
    &["historically"],
    &["in", "the", "past"],
    &["no", "longer"],
    &["years", "ago"],
    &["retired"],
    &["as", "a", "child"],
    &["as", "a", "teenager"],
    &["in", "her", "teens"],
    &["in", "his", "teens"],
    &["when", "she", "was", "younger"],
    &["when", "he", "was", "younger"],
];

/// Words right before a risk or a need that say it has stopped: "stopped cannabis when she
/// found out she was pregnant", "gave up the drink".
const STOPPED: &[&[&str]] = &[
    &["stopped"],
    &["quit"],
    &["gave", "up"],
    &["given", "up"],
    &["came", "off"],
    &["come", "off"],
];

/// Whether the words before a mention end by saying it stopped (over a "the" or "her").
fn stopped_before(before: &[Token]) -> bool {
    let end = before.len()
        - before
            .iter()
            .rev()
            .take_while(|t| matches!(t.lower.as_str(), "the" | "her" | "his"))
            .count();
    STOPPED.iter().any(|seq| {
        end >= seq.len()
            && before[end - seq.len()..end].iter().zip(seq.iter()).all(|(t, s)| t.lower == *s)
    })
}

/// Words that place a smell or smoke somewhere other than the person's home: "a smell of weed in
/// the hall, but that's from next door", "cannabis smell on the landing = flat below".
const ELSEWHERE: &[&[&str]] = &[
    &["from", "next", "door"],
    &["from", "next", "door's"],
    &["flat", "below"],
    &["flat", "above"],
    &["flat", "upstairs"],
    &["flat", "downstairs"],
    &["someone", "else's"],
    &["somebody", "else's"],
];

/// Words for a smell or smoke.
const SMELLS: &[&str] = &["smell", "smells", "smelled", "smelt", "smoke", "whiff"];

/// Whether the mention is a smell or smoke ("a smell of weed", "cannabis smoke") that the rest
/// of the sentence puts somewhere else; `before` holds the words just before the mention.
fn smelled_elsewhere(
    before: &[Token],
    mention: &[Token],
    after: &[Token],
    sentence_after: &[Token],
) -> bool {
    let smell = |t: &Token| SMELLS.contains(&t.lower.as_str());
    (before.iter().chain(mention).any(smell) || after.first().is_some_and(smell))
        && has_seq(sentence_after, ELSEWHERE)
}

/// How many words before a mention may name the smell it is: "a smell of".
const SMELL_REACH: usize = 3;

/// Words straight after a mention that make it the name of a test: "offered an alcohol
/// screen", "the dementia screen was unchanged".
const TESTS: &[&str] = &["screen", "screens", "screening", "test", "tests", "testing"];

/// Words that say what a test found, which makes it more than its name.
const FOUND: &[&str] = &[
    "positive",
    "failed",
    "showed",
    "shows",
    "found",
    "confirmed",
    "raised",
    "high",
    "score",
    "scored",
];

/// Whether a mention only names a test, with nothing said of what it found.
fn names_a_test(after: &[Token], sentence_after: &[Token]) -> bool {
    after.first().is_some_and(|t| TESTS.contains(&t.lower.as_str())) && !has(sentence_after, FOUND)
}

/// Words after a mention that put it in the past: "doesn't go any more".
const PAST_AFTER: &[&[&str]] = &[
    &["any", "more"],
    &["anymore"],
    &["years", "ago"],
    &["until"],
    &["previously"],
    &["long", "ago"],
    &["resolved"],
    &["in", "the", "past"],
];

/// Words later in the mention's clause that put it in the past: "went missing as a teenager",
/// "some shoplifting when young, nothing since".
const PAST_LATER: &[&[&str]] = &[
    &["years", "ago"],
    &["long", "ago"],
    &["resolved"],
    &["as", "a", "child"],
    &["as", "a", "teenager"],
    &["in", "her", "teens"],
    &["in", "his", "teens"],
    &["nothing", "since"],
    &["none", "since"],
];

/// Words before a need that say the person manages it alone: "fully independent with personal
/// care".
const INDEPENDENT: &[&str] = &["independent", "independently"];

/// Whether `words` holds a word that `ties` and that no "no" or "none" shortly before it takes
/// back: "no current concerns", "none now" and "nothing since" do not tie a past concern to now.
fn affirmed(words: &[Token], ties: impl Fn(&str) -> bool) -> bool {
    words.iter().enumerate().any(|(i, t)| {
        ties(&t.lower)
            && !words[i.saturating_sub(5)..i]
                .iter()
                .any(|b| matches!(b.lower.as_str(), "no" | "none" | "nothing" | "nil"))
    })
}

/// Words that tie a past concern to now (README: in recovery, an order in force, a conviction,
/// lasting effects).
const TIES: &[&str] = &[
    "still",
    "now",
    "currently",
    "current",
    "ongoing",
    "continues",
    "continuing",
    "remains",
    "recovery",
    "recovering",
    "abstinent",
    "sober",
    "script",
    "methadone",
    "relapse",
    "relapsed",
    "convicted",
    "conviction",
    "convictions",
    "sentence",
    "sentenced",
    "order",
    "orders",
    "bail",
    "licence",
    "probation",
    "prison",
    "custody",
    "effects",
    "effect",
    "affects",
    "affected",
    "impact",
    "impacts",
    "nightmares",
    "flashbacks",
    "scars",
    "lasting",
    "again",
    "since",
    "today",
    "recently",
    "triggers",
    "trauma",
    "register",
    "injunction",
];

/// Words that tie a past strength to now: "still goes to church".
const STRENGTH_TIES: &[&str] = &["still", "now", "currently", "again", "continues", "today"];

/// Words that date a statement to an earlier time of life after "when she was" or "since he
/// was": a number ("when she was 20") or a stage ("when he was little").
const AGES: &[&str] = &[
    "little",
    "small",
    "young",
    "younger",
    "baby",
    "child",
    "kid",
    "teenager",
    "teen",
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
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
];

/// Whether `words` holds "when/as/since" + a person + "was/were" + an age: "when she was 20",
/// "since he was a teenager". `opener` says which first words count.
fn at_an_age(words: &[Token], openers: &[&str]) -> bool {
    let age =
        |t: &Token| t.lower.chars().all(|c| c.is_ascii_digit()) || AGES.contains(&t.lower.as_str());
    (0..words.len()).any(|i| {
        let w = &words[i..];
        w.len() >= 4
            && openers.contains(&w[0].lower.as_str())
            && matches!(w[1].lower.as_str(), "he" | "she" | "they" | "i" | "we" | "you")
            && matches!(w[2].lower.as_str(), "was" | "were")
            && (age(&w[3]) || (w[3].lower == "a" && w.get(4).is_some_and(age)))
    })
}

/// Whether "since" is followed straight away by a time long past: "since before the hospital",
/// "since last year", "since 2019", "since years ago".
fn long_ago_since(words: &[Token]) -> bool {
    words.iter().enumerate().any(|(i, t)| {
        t.lower == "since"
            && words[i + 1..]
                .iter()
                .take(4)
                .any(|n| matches!(n.lower.as_str(), "before" | "years") || is_year(n))
            || words.get(i + 1..i + 3).is_some_and(|w| w[0].lower == "last" && w[1].lower == "year")
    })
}

/// Words that call what comes before them a worry: "no money worries".
const WORRIES: &[&str] = &["worries", "worry", "concerns", "problems", "issues", "difficulties"];

/// Whether `words[i]` is a "since" without its own time ("none since", "not been in since
/// and"), pointing back to something told earlier.
fn bare_since_at(words: &[Token], i: usize) -> bool {
    words[i].lower == "since"
        && words
            .get(i + 1)
            .is_none_or(|n| matches!(n.lower.as_str(), "and" | "or" | "but" | "either" | "then"))
}

fn bare_since(words: &[Token]) -> bool {
    (0..words.len()).any(|i| bare_since_at(words, i))
}

/// A year of the last two centuries: "2019".
fn is_year(t: &Token) -> bool {
    t.lower.len() == 4
        && (t.lower.starts_with("19") || t.lower.starts_with("20"))
        && t.lower.chars().all(|c| c.is_ascii_digit())
}

/// Whether the sentence dates what it tells to long ago: a year, "years ago", "back in".
fn long_ago(words: &[Token]) -> bool {
    has_seq(words, &[&["years", "ago"], &["back", "in"], &["as", "a", "child"]])
        || words.iter().any(is_year)
}

/// Whether the sentence goes on, after the mention, to say it has not happened since: "went
/// missing at 14, but that stopped years ago", "an overdose in 2019 and no thoughts of it since",
/// "no self-harm since and none now".
pub(crate) fn over_since(rest: &[Token]) -> bool {
    if has_seq(rest, &[&["stopped", "years", "ago"], &["stopped", "long", "ago"]]) {
        return true;
    }
    (0..rest.len()).any(|i| {
        bare_since_at(rest, i)
            && rest[i.saturating_sub(5)..i].iter().any(|t| {
                matches!(t.lower.as_str(), "no" | "none" | "nothing" | "not" | "hasn't" | "haven't")
            })
    })
}

/// For a strength, words before it that put it in the past: "she was a teacher".
const STRENGTH_PAST: &[&[&str]] = &[&["was", "a"], &["were", "a"], &["was", "an"], &["until"]];

/// How a mention's own words judge it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reading {
    /// The theme is there.
    Fact,
    /// Denied where it is said; a conclusion ("no concerns about X") denies it in the whole note.
    Denied { conclusion: bool },
    /// A condition, a question, a plan, an offer, or over: not a tag, but no denial either.
    Aside,
}

/// What the judgement needs to know of the theme.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ThemeNature {
    pub strength: bool,
    /// A past mention still counts (loss, trauma).
    pub lasting: bool,
}

/// The words around a mention: its scope before and after it, its clause and its sentence.
pub(crate) struct Around<'a> {
    pub before: &'a [Token],
    /// Where in `before` the mention starts (the words from there on are its own: "her friend
    /// has offered to take her" is the friend's offer, not an offer made to her).
    pub opening: usize,
    /// Which words of `before` belong to another mention ("can't manage the stairs"): their
    /// negation is that mention's, not this one's.
    pub quoted: &'a [bool],
    /// The mention's own words, to its end.
    pub mention: &'a [Token],
    pub after: &'a [Token],
    /// The rest of the clause after the mention.
    pub clause_after: &'a [Token],
    pub clause: &'a [Token],
    /// The rest of the sentence after the mention.
    pub sentence_after: &'a [Token],
    pub sentence: &'a [Token],
}

pub(crate) fn has(words: &[Token], list: &[&str]) -> bool {
    words.iter().any(|t| list.contains(&t.lower.as_str()))
}

pub(crate) fn has_seq(words: &[Token], seqs: &[&[&str]]) -> bool {
    seqs.iter().any(|seq| {
        words.windows(seq.len()).any(|w| w.iter().zip(seq.iter()).all(|(t, s)| t.lower == *s))
    })
}

/// Whether one of `list` comes within `reach` words (not counting fillers) before a mention.
pub(crate) fn near(before: &[Token], list: &[&str], reach: usize) -> bool {
    let mut content = 0;
    for (i, t) in before.iter().enumerate().rev() {
        if list.contains(&t.lower.as_str()) {
            return true;
        }
        // "and" before a verb in the past starts another statement: "wants to leave and
        // accepted a referral".
        if t.lower == "and" && before.get(i + 1).is_some_and(|n| n.lower.ends_with("ed")) {
            return false;
        }
        if !FILLERS.contains(&t.lower.as_str()) {
            content += 1;
            if content > reach {
                return false;
            }
        }
    }
    false
}

/// Where the classing verb stands whose "as" ends `before` ("treating the relationship as"),
/// if one does.
fn classed_as(before: &[Token]) -> Option<usize> {
    let (last, rest) = before.split_last()?;
    if last.lower != "as" {
        return None;
    }
    let from = rest.len().saturating_sub(CLASSED_REACH);
    (from..rest.len()).rev().find(|&i| CLASSING.contains(&rest[i].lower.as_str()))
}

/// The negation within reach before a mention, and where it is.
fn negation(before: &[Token], opening: usize, quoted: &[bool], strength: bool) -> Option<usize> {
    let opening = opening.min(before.len());
    let object = classed_as(&before[..opening]).map_or(opening..opening, |verb| verb + 1..opening);
    let mut content = 0;
    for (i, t) in before.iter().enumerate().rev() {
        let word = t.lower.as_str();
        if quoted.get(i).copied().unwrap_or(false) || object.contains(&i) {
            continue;
        }
        let absence = word == "absence" && before.get(i + 1).is_some_and(|n| n.lower == "of");
        // "toxicology was clear for drugs", "tested negative for cocaine".
        let screened_clear =
            word == "for" && i > 0 && matches!(before[i - 1].lower.as_str(), "clear" | "negative");
        // "Miss Hughes" is a title, not a miss.
        let ending = strength && ENDINGS.contains(&word) && !TITLES.contains(&t.text.as_str());
        // "free of drugs" denies, "a free English class" does not.
        let free_of = word != "free"
            || before.get(i + 1).is_some_and(|n| matches!(n.lower.as_str(), "of" | "from"));
        if (NEGATIONS.contains(&word) && free_of) || absence || screened_clear || ending {
            // "not only", "no doubt" and "without fail" say more, not less.
            let next = before.get(i + 1).map(|n| n.lower.as_str());
            // "declined a referral to the hoarding service": what is refused is the help.
            let help = !strength && has(&before[i + 1..], HELP);
            // "couldn't stop drinking", "hasn't stopped crying" say it goes on.
            // "left without supervision": what is missing is the care.
            let left = word == "without" && i > 0 && before[i - 1].lower == "left";
            let goes_on = left || matches!(next, Some("stop" | "stopped" | "stopping" | "quit"));
            if !goes_on && !matches!((word, next), ("not", Some("only")) | ("no", Some("doubt"))) {
                return if help { None } else { Some(i) };
            }
        }
        if !FILLERS.contains(&word) {
            content += 1;
            if content > NEGATION_REACH {
                return None;
            }
        }
    }
    None
}

/// Whether the words after an enquiry verb put a question in reported speech: "asked him is
/// he having any thoughts of ending it", "asked her straight does she ever feel unsafe", "asked
/// him, gently, had he thought about ending things".
fn asked_directly(after_verb: &[Token]) -> bool {
    let mut words = after_verb.iter().map(|t| t.lower.as_str()).peekable();
    words.next_if(|w| matches!(*w, "him" | "her" | "them"));
    words.next_if(|w| ASKED_HOW.contains(w));
    words.next().is_some_and(|w| {
        matches!(w, "is" | "are" | "was" | "were" | "does" | "do" | "did" | "has" | "have" | "had")
    }) && words.next().is_some_and(|w| {
        matches!(w, "he" | "she" | "they" | "you" | "there" | "anyone" | "anybody" | "someone")
    })
}

/// How a whole statement judges a theme the meaning model found in it (no words of the theme
/// to stand by): any denial in it, anywhere, or a condition, an enquiry, a plan or a past with
/// nothing tying it to now, and it is not a fact.
pub(crate) fn read_statement(words: &[Token], sentence: &[Token], nature: ThemeNature) -> Reading {
    let ended = words
        .iter()
        .any(|t| ENDINGS.contains(&t.lower.as_str()) && !TITLES.contains(&t.text.as_str()));
    if has(words, NEGATIONS) || (nature.strength && ended) {
        return Reading::Denied { conclusion: false };
    }
    read(
        &Around {
            before: words,
            opening: words.len(),
            quoted: &vec![false; words.len()],
            mention: &[],
            after: &[],
            clause_after: &[],
            clause: words,
            sentence_after: &[],
            sentence,
        },
        nature,
    )
}

/// How the words around a mention judge it.
pub(crate) fn read(around: &Around<'_>, nature: ThemeNature) -> Reading {
    let Around {
        before,
        opening,
        quoted,
        mention,
        after,
        clause_after,
        clause,
        sentence_after,
        sentence,
    } = *around;
    if let Some(at) = negation(before, opening, quoted, nature.strength) {
        let conclusion = before[at + 1..].iter().any(|t| CONCLUSIONS.contains(&t.lower.as_str()))
            || before[at].lower == "nothing";
        // "No falls since the last review" says the falls are over; "hasn't had a drink since
        // Christmas, still at SMART Recovery" is recent history the sentence ties to now. The
        // "since" must be the mention's own (in its scope, or starting the statement right
        // after it): in "there's no DV, dad's not been around since", it belongs to another.
        let next = clause_after.get(after.len());
        let own = &before[at..];
        let since = (has(own, &["since"])
            || has(after, &["since"])
            || next.is_some_and(|t| t.lower == "since"))
            // "hasn't touched alcohol since he was 30", "not smoked weed since before his
            // admission last year": stopped long ago, so over.
            && !at_an_age(own, &["since"])
            && !at_an_age(clause_after, &["since"])
            && !long_ago_since(own)
            && !long_ago_since(clause_after)
            // "had his hernia done back in 2018, not been in hospital since".
            && !(bare_since(clause_after) && long_ago(sentence));
        let tied = affirmed(sentence, |w| w != "since" && TIES.contains(&w));
        if nature.strength || conclusion || !(since && tied) {
            return Reading::Denied { conclusion };
        }
    }
    // "Any DV was ruled out", "alcohol is not a concern": the verdict follows the mention.
    if let Some(conclusion) = verdict(after, clause_after) {
        return Reading::Denied { conclusion };
    }
    // "no money or housing worries": a phrase that starts with "no" and is then called a worry.
    let own_no = before.get(opening).is_some_and(|t| matches!(t.lower.as_str(), "no" | "nothing"));
    if own_no && after.iter().take(3).any(|t| WORRIES.contains(&t.lower.as_str())) {
        return Reading::Denied { conclusion: false };
    }
    if !nature.strength
        && (all_well(after)
            || near(before, INDEPENDENT, 1)
            || has_seq(right_after(sentence_after), LOW_RISK)
            || low_score(right_after(sentence_after))
            || has_seq(&sentence_after[..sentence_after.len().min(PUT_BEHIND_REACH)], PUT_BEHIND))
    {
        return Reading::Denied { conclusion: false };
    }
    if !nature.strength
        && (names_a_test(after, sentence_after)
            || smelled_elsewhere(
                &before[opening.saturating_sub(SMELL_REACH)..],
                mention,
                after,
                sentence_after,
            ))
    {
        return Reading::Aside;
    }
    let scope: Vec<&Token> = before.iter().chain(after.iter()).collect();
    let enquiry = before.iter().enumerate().any(|(i, t)| {
        ENQUIRIES.contains(&t.lower.as_str())
            && (before[i + 1..]
                .iter()
                .any(|n| matches!(n.lower.as_str(), "about" | "whether" | "if"))
                || asked_directly(&before[i + 1..]))
    });
    let deferred = has_seq(before, DEFERRALS) || has_seq(after, DEFERRALS);
    // "She would like help with her personal care" is a wish, which shows the need.
    // "if she wants her own place we'll do a housing application then": a plan that waits on
    // the condition the sentence opens with.
    let planned = sentence.first().is_some_and(|t| t.lower == "if")
        && before.iter().any(|t| t.lower == "will" || t.lower.ends_with("'ll"));
    let condition = planned
        || before.iter().enumerate().any(|(i, t)| {
            CONDITIONS.contains(&t.lower.as_str())
                && !(t.lower == "would"
                    && before.get(i + 1).is_some_and(|n| WISHES.contains(&n.lower.as_str())))
        })
        || has_seq(before, CONDITION_PHRASES)
        || has_seq(right_after(clause_after), CONDITIONS_AFTER);
    if condition || scope.iter().any(|t| t.lower == "whether") || enquiry || deferred {
        return Reading::Aside;
    }
    if nature.strength && not_yet(&before[..opening], before, after) {
        return Reading::Aside;
    }
    let past = has_seq(before, PAST)
        || (!nature.strength && stopped_before(&before[..opening]))
        || at_an_age(before, &["when", "as"])
        || at_an_age(clause_after, &["when", "as"])
        || has_seq(after, PAST_AFTER)
        || has_seq(clause_after, PAST_LATER)
        || over_since(sentence_after)
        || (nature.strength && has_seq(before, STRENGTH_PAST));
    if past && !nature.lasting {
        let tied = if nature.strength {
            has(clause, STRENGTH_TIES)
        } else {
            affirmed(sentence, |w| TIES.contains(&w))
        };
        if !tied {
            return Reading::Aside;
        }
    }
    Reading::Fact
}
