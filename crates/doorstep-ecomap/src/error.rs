//! What can go wrong reading notes into a map, or drawing one.

/// An ecomap error, naming what was wrong.
#[derive(Debug, thiserror::Error)]
pub enum EcomapError {
    #[error("the ecomap lexicon {origin} is not valid: {reason}")]
    Lexicon { origin: String, reason: String },
    #[error("the note is {words} words long; at most {limit} words are read into an ecomap")]
    TooLong { words: usize, limit: usize },
    /// Drawing a PNG needs at least one font for the names; none was found where we looked.
    #[error("no font to draw the ecomap's text with was found in {searched}")]
    NoFont { searched: String },
    #[error("the ecomap could not be drawn: {reason}")]
    Render { reason: String },
}
