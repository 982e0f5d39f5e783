//! Self-corrections in dictated notes. Someone speaking a note corrects themselves as they go:
//! "I think he's got a restraining order? no, sorry, that's someone else", "she goes to the
//! mosque, scratch that, the gurdwara". What they take back was never said of this person, so
//! its mentions are not tags, while what follows the correction stands.

use super::text::{Place, Token};

/// Words that take back what was just said. Each starts the correction.
const RETRACTIONS: &[&[&str]] = &[
    &["no", "sorry"],
    &["sorry", "no"],
    &["no", "wait"],
    &["wait", "no"],
    &["scratch", "that"],
    &["strike", "that"],
    &["my", "mistake"],
    &["that's", "someone", "else"],
    &["that", "was", "someone", "else"],
    &["that's", "a", "different", "family"],
    &["getting", "mixed", "up"],
    &["getting", "muddled", "up"],
];

/// Hesitations a correction may start with: "um, no, sorry".
const HESITATIONS: &[&str] = &["um", "er", "erm", "uh", "oh", "ah", "oops", "actually"];

/// Which tokens were taken back: the statement just before each correction. A correction that
/// starts its sentence takes back the whole sentence before it; one inside a sentence takes
/// back the words since the last pause (a comma or a linking word).
pub(crate) fn retracted(tokens: &[Token], places: &[Place]) -> Vec<bool> {
    let mut out = vec![false; tokens.len()];
    for at in 1..tokens.len() {
        let starts = RETRACTIONS.iter().any(|seq| {
            let words = tokens.get(at..at + seq.len());
            words.is_some_and(|w| w.iter().zip(*seq).all(|(t, s)| t.lower == *s))
        });
        if !starts {
            continue;
        }
        let start = sentence_start(places, at);
        let opens = tokens[start..at].iter().all(|t| HESITATIONS.contains(&t.lower.as_str()));
        let from = match (opens, start.checked_sub(1)) {
            (true, Some(last)) => sentence_start(places, last),
            (true, None) => continue,
            (false, _) => places[at - 1].scope.start,
        };
        out[from..at].iter_mut().for_each(|r| *r = true);
    }
    out
}

/// The first token of the sentence that token `i` is in.
fn sentence_start(places: &[Place], i: usize) -> usize {
    let sentence = places[i].sentence;
    places[..=i].iter().rposition(|p| p.sentence != sentence).map_or(0, |p| p + 1)
}
