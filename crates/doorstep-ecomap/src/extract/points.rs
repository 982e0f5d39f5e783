//! The person at the centre of the map, beyond their ties: their own strengths (what the theme
//! tagger finds of personal strengths, engagement, work and learning, with its denials and
//! plans already left out) and what matters to them in their own or the note's words.

use doorstep_core::model::WellbeingDomain;
use doorstep_themes::Tagger;

use super::{Note, SuggestedPoint};
use crate::lexicon::Lexicon;

/// The longest a point's text runs before it is cut at a word.
const MAX_CHARS: usize = 160;

fn shorten(text: &str) -> String {
    if text.chars().count() <= MAX_CHARS {
        return text.to_owned();
    }
    let cut: String = text.chars().take(MAX_CHARS).collect();
    let at = cut.rfind(' ').unwrap_or(cut.len());
    format!("{}…", &cut[..at])
}

fn token_at(note: &Note, char_at: usize) -> Option<usize> {
    note.tokens.iter().position(|t| t.end > char_at)
}

/// The person's own strengths, one point per sentence.
pub(super) fn strengths(
    lexicon: &Lexicon,
    tagger: &Tagger<'_>,
    text: &str,
    note: &Note,
) -> Vec<SuggestedPoint> {
    let mut out: Vec<SuggestedPoint> = Vec::new();
    for tag in tagger.tag(text) {
        let Some((_, domains)) = lexicon.strengths.iter().find(|(id, _)| id == tag.id.as_str())
        else {
            continue;
        };
        for evidence in &tag.evidence {
            let Some(at) = token_at(note, evidence.start) else { continue };
            let passage = note.sentence_passage(at);
            if out.iter().any(|p| p.evidence.start == passage.start) {
                continue;
            }
            out.push(SuggestedPoint {
                text: shorten(&passage.text),
                domains: domains.clone(),
                evidence: passage,
            });
        }
    }
    out
}

/// What matters to the person: sentences about them that say what they want, love or will not
/// give up.
pub(super) fn matters(lexicon: &Lexicon, note: &Note, names: &[String]) -> Vec<SuggestedPoint> {
    let mut out: Vec<SuggestedPoint> = Vec::new();
    let mut at = 0;
    while at < note.tokens.len() {
        let passage = note.sentence_passage(at);
        let sentence = note.places[at].sentence;
        let end = (at..note.tokens.len())
            .find(|&i| note.places[i].sentence != sentence)
            .unwrap_or(note.tokens.len());
        let words: Vec<&str> = note.tokens[at..end].iter().map(|t| t.lower.as_str()).collect();
        let about_them = words.iter().take(3).any(|w| {
            matches!(*w, "she" | "he" | "she's" | "he's" | "i" | "i'm")
                || names.iter().any(|n| n == w || format!("{n}'s") == *w)
        });
        if about_them && lexicon.matters.iter().any(|p| p.occurs_in(&words)) {
            let mut domains: Vec<WellbeingDomain> = lexicon
                .matters_domains
                .iter()
                .filter(|(_, phrases)| phrases.iter().any(|p| p.occurs_in(&words)))
                .map(|(d, _)| d.clone())
                .collect();
            if domains.is_empty() {
                domains.push(WellbeingDomain::Control);
            }
            out.push(SuggestedPoint { text: shorten(&passage.text), domains, evidence: passage });
        }
        at = end;
    }
    out
}
