//! The words the extractor knows: roles and the category each belongs to, and the phrases that
//! show a tie's quality and the flow of support. Data a practice lead can read and extend
//! (`models/ecomap.toml`).

use serde::Deserialize;

use crate::error::EcomapError;

const BUILT_IN: &str = include_str!("../../../models/ecomap.toml");

#[derive(Debug, Clone, Deserialize)]
pub struct Lexicon {}

impl Lexicon {
    /// The lexicon compiled into Doorstep.
    pub fn built_in() -> Result<Self, EcomapError> {
        Self::from_toml(BUILT_IN, "models/ecomap.toml")
    }

    pub fn from_toml(text: &str, origin: &str) -> Result<Self, EcomapError> {
        toml::from_str(text)
            .map_err(|e| EcomapError::Lexicon { origin: origin.to_owned(), reason: e.to_string() })
    }
}
