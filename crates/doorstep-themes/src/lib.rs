//! Themes: the risks, needs and strengths a practitioner tags notes with and searches them by
//! ("domestic abuse", "loneliness", "strength: family support"). The taxonomy is data a practice
//! lead can read and extend (`models/themes.toml`), so the tagger and the search understand
//! a team's own words without a code change.

pub mod tagger;
pub mod taxonomy;

pub use tagger::{Evidence, MeaningMatch, Tag, Tagger, text};
pub use taxonomy::{Kind, Taxonomy, TaxonomyError, Theme, ThemeId};
