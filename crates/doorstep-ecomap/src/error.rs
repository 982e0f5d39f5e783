//! What can go wrong reading notes into a map.

/// An ecomap error, naming what was wrong.
#[derive(Debug, thiserror::Error)]
pub enum EcomapError {
    #[error("the ecomap lexicon {origin} is not valid: {reason}")]
    Lexicon { origin: String, reason: String },
    #[error("the note is {words} words long; at most {limit} words are read into an ecomap")]
    TooLong { words: usize, limit: usize },
}
