//! The themes a query names in practitioners' words: "DV", "domestic violence", "drinking",
//! "money worries", or `theme:alcohol`. Names are the taxonomy's labels, synonyms and acronyms,
//! never its cues: a query naming a cue ("strangulation") wants those words, not every note of
//! the theme, and is served by the full-text and meaning lists.

use std::collections::HashMap;

use doorstep_themes::{Taxonomy, ThemeId};

use crate::error::SearchError;
use crate::query::{Query, words_of};

/// Longest theme name, in words, looked for in a query.
const LONGEST_NAME: usize = 6;

#[derive(Debug)]
pub struct ThemeNames {
    /// A name's words, joined by spaces, to the themes it names.
    names: HashMap<String, Vec<ThemeId>>,
    /// Acronyms with their capitals ("DV"), matched as written, or lower case when the acronym
    /// is the whole query.
    acronyms: HashMap<String, Vec<ThemeId>>,
    ids: HashMap<String, ThemeId>,
}

impl ThemeNames {
    pub fn new(taxonomy: &Taxonomy) -> Self {
        let mut names: HashMap<String, Vec<ThemeId>> = HashMap::new();
        let mut acronyms: HashMap<String, Vec<ThemeId>> = HashMap::new();
        let mut ids = HashMap::new();
        for theme in taxonomy.themes() {
            ids.insert(theme.id.as_str().to_owned(), theme.id.clone());
            let label = theme.label.strip_prefix("Strength: ").unwrap_or(&theme.label);
            for name in std::iter::once(label).chain(theme.synonyms.iter().map(String::as_str)) {
                let key = words_of(name).join(" ");
                if !key.is_empty() {
                    let entry = names.entry(key).or_default();
                    if !entry.contains(&theme.id) {
                        entry.push(theme.id.clone());
                    }
                }
            }
            for acronym in &theme.acronyms {
                acronyms.entry(acronym.clone()).or_default().push(theme.id.clone());
            }
        }
        Self { names, acronyms, ids }
    }

    /// The themes `query` names, each once, in the order named.
    pub fn themes_in(&self, query: &Query, raw: &str) -> Result<Vec<ThemeId>, SearchError> {
        let mut found: Vec<ThemeId> = Vec::new();
        let mut add = |ids: &[ThemeId]| {
            for id in ids {
                if !found.contains(id) {
                    found.push(id.clone());
                }
            }
        };
        for written in &query.themes {
            let id = self
                .ids
                .get(&written.to_lowercase())
                .ok_or_else(|| SearchError::UnknownTheme(written.clone()))?;
            add(std::slice::from_ref(id));
        }
        let whole = query.text.trim();
        for token in raw.split(|c: char| !c.is_alphanumeric()) {
            if let Some(ids) = self.acronyms.get(token) {
                add(ids);
            }
        }
        if let Some(ids) =
            self.acronyms.iter().find(|(a, _)| a.eq_ignore_ascii_case(whole)).map(|(_, ids)| ids)
        {
            add(ids);
        }
        let words = &query.words;
        let mut i = 0;
        while i < words.len() {
            let mut step = 1;
            for len in (1..=LONGEST_NAME.min(words.len() - i)).rev() {
                if let Some(ids) = self.names.get(&words[i..i + len].join(" ")) {
                    add(ids);
                    step = len;
                    break;
                }
            }
            i += step;
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn themes(q: &str) -> Vec<String> {
        let taxonomy = Taxonomy::builtin().unwrap_or_else(|e| panic!("{e}"));
        let names = ThemeNames::new(&taxonomy);
        let query = Query::parse(q).unwrap_or_else(|e| panic!("{e}"));
        names
            .themes_in(&query, q)
            .unwrap_or_else(|e| panic!("{e}"))
            .iter()
            .map(|t| t.to_string())
            .collect()
    }

    #[test]
    fn practitioners_words_name_themes() {
        assert_eq!(themes("domestic abuse"), ["domestic_abuse"]);
        assert_eq!(themes("DV"), ["domestic_abuse"]);
        assert_eq!(themes("dv"), ["domestic_abuse"], "an acronym alone may be typed in lower case");
        assert!(themes("da vinci code").is_empty(), "a lower-case acronym inside words is a word");
        assert!(themes("drinking").contains(&"alcohol".to_owned()));
        assert_eq!(themes("theme:Alcohol"), ["alcohol"]);
        assert!(themes("the boiler is broken").is_empty());
    }

    #[test]
    fn an_unknown_theme_id_is_reported() {
        let taxonomy = Taxonomy::builtin().unwrap_or_else(|e| panic!("{e}"));
        let names = ThemeNames::new(&taxonomy);
        let query = Query::parse("theme:dragons").unwrap_or_else(|e| panic!("{e}"));
        let err = names.themes_in(&query, "theme:dragons").unwrap_err();
        assert!(err.to_string().contains("doorstep themes list"), "{err}");
    }
}
