//! The strengths ecomap: who is in a person's network and how each tie is, read from what the
//! practitioner said, merged into the person's map for them to confirm, compared across
//! confirmed versions and drawn in Hartman's notation.
//!
//! Nothing here touches the store: the caller reads the current map and the notes, and saves
//! what the practitioner confirms.

pub mod diff;
pub mod edit;
mod error;
pub mod eval;
pub mod extract;
mod helping;
pub mod lexicon;
pub mod merge;
mod names;
pub mod proposal;
pub mod render;

pub use error::EcomapError;
pub use extract::{Extractor, SuggestedPoint, SuggestedTie, Suggestion};
pub use helping::helping_mentions;
pub use lexicon::Lexicon;
