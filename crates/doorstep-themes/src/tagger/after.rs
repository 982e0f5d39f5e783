//! Denials that come after the mention they deny. English often names a concern first and
//! judges it at the end: "any DV was ruled out", "allegations of sexual abuse were unfounded",
//! "alcohol is not a concern", "neglect not evident". Notes also answer a heading or a question
//! with one word: "Alcohol: none.", "Any DV? No." The words of `scope` only look backwards from
//! a mention; these look forwards, over a few words, for a verdict.

use super::text::Token;

/// Verdicts that end an enquiry: the concern was looked at and is not there, for the whole
/// note ("concerns about neglect were not substantiated").
const CLOSED: &[&[&str]] = &[
    &["ruled", "out"],
    &["unfounded"],
    &["unsubstantiated"],
    &["not", "substantiated"],
    &["not", "upheld"],
    &["not", "corroborated"],
    &["no", "basis"],
    &["came", "to", "nothing"],
    &["come", "to", "nothing"],
    &["nothing", "in", "it"],
    &["not", "borne", "out"],
    &["not", "born", "out"],
    &["came", "back", "clear"],
    &["came", "back", "negative"],
    &["ruled", "it", "out"],
    &["ruled", "that", "out"],
];

/// How far after the mention (in words) a closing verdict may start: "allegations of neglect
/// were investigated and closed as unsubstantiated".
const CLOSED_REACH: usize = 10;

/// Words that negate a predicate after the mention: "was not evident", "isn't an issue".
const NEGATORS: &[&str] =
    &["not", "never", "isn't", "wasn't", "aren't", "weren't", "hasn't", "haven't", "no"];

/// Small words between the negator and its predicate: "is not thought to be an issue".
const BRIDGE: &[&str] = &[
    "a",
    "an",
    "the",
    "any",
    "been",
    "be",
    "currently",
    "thought",
    "considered",
    "felt",
    "believed",
    "to",
    "longer",
    "seen",
    "being",
    "as",
    "at",
    "this",
    "time",
    "in",
];

/// Predicates that, negated, say the concern is not there: "not evident", "not an issue". Words
/// like "reported" or "found" are left out: "the DV was not reported to police" says it
/// happened.
const PREDICATES: &[&str] = &[
    "evident",
    "present",
    "identified",
    "observed",
    "indicated",
    "suspected",
    "apparent",
    "detected",
    "noted",
    "concern",
    "concerns",
    "issue",
    "issues",
    "problem",
    "worry",
    "factor",
    "feature",
    "disclosed",
    "doubt",
    "question",
    "required",
    "needed",
    "necessary",
    "applicable",
    "warranted",
    "something",
];

/// How far after the mention (in words) the verdict may start: "drug use was not evident".
const VERDICT_REACH: usize = 4;

/// How many bridging words may stand between the negator and its predicate.
const BRIDGE_REACH: usize = 4;

/// A verdict against the mention among the first words after it (in its scope, or for a
/// closing verdict in the rest of its clause), and whether it closes the question for the whole
/// note.
pub(crate) fn verdict(after: &[Token], clause_after: &[Token]) -> Option<bool> {
    let longer = if clause_after.len() > after.len() { clause_after } else { after };
    let closing = &longer[..longer.len().min(CLOSED_REACH)];
    let closed = |at: usize| {
        CLOSED.iter().any(|seq| {
            closing
                .get(at..at + seq.len())
                .is_some_and(|w| w.iter().zip(seq.iter()).all(|(t, s)| t.lower == *s))
        })
    };
    if (0..closing.len()).any(closed) {
        return Some(true);
    }
    let reach = &after[..after.len().min(VERDICT_REACH + BRIDGE_REACH + 1)];
    for at in 0..reach.len().min(VERDICT_REACH) {
        // "Drug use denied", "DV was denied by both parents", but not "denied access to".
        if reach[at].lower == "denied" && reach.get(at + 1).is_none_or(|t| t.lower != "access") {
            return Some(false);
        }
        if NEGATORS.contains(&reach[at].lower.as_str()) {
            let rest = reach[at + 1..].iter().take(BRIDGE_REACH + 1);
            let mut rest = rest.skip_while(|t| BRIDGE.contains(&t.lower.as_str()));
            // "Section 20 is not being considered": nothing is planned.
            if reach[at + 1..].iter().all(|t| BRIDGE.contains(&t.lower.as_str()))
                && reach.last().is_some_and(|t| t.lower == "considered")
                && reach.len() == after.len()
            {
                return Some(false);
            }
            // "The abuse was not disclosed to anyone" says it happened.
            if let Some(word) = rest.next()
                && PREDICATES.contains(&word.lower.as_str())
                && !(word.lower == "disclosed"
                    && rest.next().is_some_and(|t| matches!(t.lower.as_str(), "to" | "until")))
            {
                return Some(false);
            }
        }
    }
    None
}

/// What a sentence says later of everything before it, to put it in the past: "he missed a lot of
/// school when he lived with Shauna, but that is behind him".
pub(crate) const PUT_BEHIND: &[&[&str]] = &[
    &["that", "is", "behind"],
    &["that's", "behind"],
    &["that", "was", "then"],
    &["that's", "cleared"],
    &["that's", "all", "cleared"],
    &["that", "has", "cleared"],
    &["which", "has", "cleared"],
    &["now", "cleared"],
    &["all", "behind", "him"],
    &["all", "behind", "her"],
    &["all", "behind", "them"],
];

/// How far into the rest of the sentence `PUT_BEHIND` may start.
pub(crate) const PUT_BEHIND_REACH: usize = 12;

/// One-word answers that deny a heading or a question: "Alcohol: none.", "Any DV? No.", "Asylum:
/// n/a." (whose first word is "n").
const ANSWERS: &[&str] =
    &["none", "nil", "no", "denies", "denied", "not", "never", "nothing", "negative", "n"];

/// Auxiliaries that deny as the last word of a short answer: "drugs, he doesn't".
const DENYING_AUXILIARIES: &[&str] =
    &["doesn't", "don't", "didn't", "isn't", "wasn't", "hasn't", "won't", "hadn't", "aren't"];

/// The longest sentence, in words, that answers a heading ended by a full stop: "Alcohol. None
/// reported." answers it, "Staff help with washing. No falls since May." starts a topic of its own.
const STOPPED_ANSWER: usize = 3;

/// How many words may stand before a heading or a question's mention, and after the mention
/// in a question: "Anyone want anything sexual / pictures?", "Thoughts of ending it?".
const HEADING_BEFORE: usize = 2;
const QUESTION_BEFORE: usize = 3;
const QUESTION_AFTER: usize = 2;

/// Whether the mention is a heading (ending its sentence) or a short question that the next
/// sentence (`next`) answers with a denial: at its start after a heading ("Drugs: none"), or
/// within its first words after a question ("Any DV? Never").
pub(crate) fn answered_no(
    before_in_sentence: usize,
    after_in_sentence: usize,
    colon: bool,
    question: bool,
    next: &[Token],
) -> bool {
    let answer = next.first().is_some_and(|t| ANSWERS.contains(&t.lower.as_str()))
        && (colon || next.len() <= STOPPED_ANSWER);
    if question {
        before_in_sentence <= QUESTION_BEFORE
            && after_in_sentence <= QUESTION_AFTER
            && reply_denies(next)
    } else {
        before_in_sentence <= HEADING_BEFORE && after_in_sentence == 0 && answer
    }
}

/// How many words of a reply to a question may hold its denial: "There's no such thing".
const REPLY_REACH: usize = 5;

/// Whether the reply to a short question denies it: "Lonely? There's no such thing on St
/// Mary's", "Drugs? Never touched them"; not "Drinking? Yes, every night".
fn reply_denies(reply: &[Token]) -> bool {
    reply.first().is_none_or(|t| t.lower != "yes")
        && reply.iter().take(REPLY_REACH).any(|t| {
            ANSWERS.contains(&t.lower.as_str()) || DENYING_AUXILIARIES.contains(&t.lower.as_str())
        })
}

/// The longest answer, in words, that can deny a topic named before it: "he says not".
const SHORT_ANSWER: usize = 4;

/// Whether a short statement right after a topic denies it: it ends with a denial ("County
/// lines, he says no", "drugs, he doesn't") or is one ("Forced marriage, not an issue").
pub(crate) fn short_answer_no(answer: &[Token]) -> bool {
    answer.len() <= SHORT_ANSWER
        && (answer.last().is_some_and(|t| {
            ANSWERS.contains(&t.lower.as_str()) || DENYING_AUXILIARIES.contains(&t.lower.as_str())
        }) || verdict(answer, answer) == Some(false))
}

/// Verdicts that end a short report on a check: "PHQ-9 completed, no concerns".
const CLEARED: &[&[&str]] = &[
    &["no", "concerns"],
    &["no", "concern"],
    &["nil", "concerns"],
    &["no", "issues"],
    &["no", "concerns", "noted"],
    &["no", "concerns", "raised"],
    &["no", "concerns", "identified"],
];

/// How many words may follow the mention in its sentence for a verdict at the end to be its.
const CLEARED_REACH: usize = 6;

/// Whether the rest of the mention's sentence is short and ends with a verdict that clears it:
/// "PHQ-9 done, no concerns", "hair strand test for court clear", "bloods last month, all
/// normal"; not "she made it clear".
pub(crate) fn cleared_at_end(tail: &[Token]) -> bool {
    let clear = |t: &Token| matches!(t.lower.as_str(), "clear" | "negative");
    let normal = |t: &Token| matches!(t.lower.as_str(), "normal" | "unremarkable");
    // "says that's normal" and "the new normal" are someone's view, not a finding.
    let viewed = |t: &Token| {
        matches!(t.lower.as_str(), "that's" | "it's" | "seems" | "feels" | "new" | "as" | "than")
    };
    let plain = match tail {
        [.., before, last] if normal(last) => !viewed(before),
        [last] if normal(last) => true,
        [.., before, last] => {
            clear(last)
                && !matches!(
                    before.lower.as_str(),
                    "it" | "is" | "was" | "are" | "were" | "been" | "very" | "quite"
                )
        }
        [last] => clear(last),
        [] => false,
    };
    tail.len() <= CLEARED_REACH
        && (plain
            || CLEARED.iter().any(|seq| {
                tail.len() >= seq.len()
                    && tail[tail.len() - seq.len()..]
                        .iter()
                        .zip(seq.iter())
                        .all(|(t, s)| t.lower == *s)
            }))
}

/// Verbs that put a judgement on the mention before them: "attendance is fine".
const COPULAS: &[&str] =
    &["is", "are", "was", "were", "seems", "seemed", "appears", "appeared", "remains", "looked"];

/// Judgements that say a need or a risk is not there: "her attendance is fine", "memory
/// appears good".
const ALL_WELL: &[&str] = &[
    "fine",
    "good",
    "ok",
    "okay",
    "excellent",
    "normal",
    "unremarkable",
    "satisfactory",
    "secure",
];

/// Whether the words right after a need's or a risk's mention judge it well: a copula (unless
/// the mention ends with one, "attendance is"), at most one small word ("absolutely", "really"),
/// then a good word.
pub(crate) fn all_well(after: &[Token]) -> bool {
    let start = usize::from(after.first().is_some_and(|t| COPULAS.contains(&t.lower.as_str())));
    after.iter().skip(start).take(2).any(|t| ALL_WELL.contains(&t.lower.as_str()))
}

/// Words that may stand between a topic's verb and its good word: "money's absolutely fine".
const DEGREES: &[&str] = &["really", "very", "pretty", "absolutely", "quite", "all", "generally"];

/// Whether a topic is judged well straight after it: "money's fine", "mood is really good",
/// "memory appears normal"; not "money's tight, fine otherwise".
pub(crate) fn topic_well(after: &[Token]) -> bool {
    let mut words = after.iter().map(|t| t.lower.as_str()).peekable();
    words.next_if(|w| COPULAS.contains(w));
    words.next_if(|w| DEGREES.contains(w));
    words.next().is_some_and(|w| ALL_WELL.contains(&w))
}
