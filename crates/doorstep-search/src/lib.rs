//! Finding notes again: "domestic abuse", "drinking", "who helps with shopping", a person's
//! falls since March. The [`Indexer`] tags each note with the theme taxonomy and embeds it; the
//! [`SearchEngine`] fuses full-text, meaning and theme matches; [`chronology`] lists a theme's
//! evidence across a person's notes in date order; [`eval`] scores all of it on labelled data.

pub mod chronology;
mod engine;
mod error;
pub mod eval;
mod fts;
mod indexer;
mod kit;
pub mod meaning;
mod names;
pub mod query;
mod sentences;
mod snippet;
mod toward;
mod vectors;

pub use chronology::{ChronologyEntry, chronology};
pub use engine::{
    Hit, Mode, PersonHits, SearchEngine, SearchOptions, SearchResults, group_by_person,
};
pub use error::SearchError;
pub use indexer::{IndexProgress, Indexer, audio_times};
pub use kit::{EMBED_MODEL, EMBEDDED_BY, SearchKit};
pub use snippet::{SegmentRef, Snippet};
pub use vectors::VectorIndex;
