//! The vocabulary prompt: the words of this case and of the sector that Whisper would otherwise
//! mishear ("CAMHS" as "cans", "EHCP" as "ache"), given to it as prior text.
//!
//! Whisper reads at most half its text context (224 tokens) of prompt and silently keeps only
//! the end of a longer one, so the prompt is built within a token budget, most specific first:
//! the people in the case, then the services around them, then the sector's acronyms.
//!
//! The prompt's style is copied as well as its words: a long list of capitals makes a small model
//! write the note in capitals, or skip most of it. So the terms read as a sentence, they get at
//! most [`MAX_TERMS_TOKENS`] of the budget, and [`super::cleanup::prompt_misled`] catches what
//! gets through.

pub use super::sector::SECTOR_TERMS;

/// Whisper's prompt limit is 224 tokens; a margin stays for the tokens it adds itself.
pub const MAX_PROMPT_TOKENS: usize = 200;

/// The share of the budget the sector's terms may take, whatever is left by the case.
pub const MAX_TERMS_TOKENS: usize = 90;

/// What the prompt is made of, before it is fitted to the budget.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Vocabulary {
    /// People in the case: the person, their household, the people on their ecomap.
    pub names: Vec<String>,
    /// Local services: surgeries, schools, teams, charities.
    pub services: Vec<String>,
    /// Sector terms; usually [`SECTOR_TERMS`].
    pub terms: Vec<String>,
}

impl Vocabulary {
    /// The sector's terms and nothing about the case.
    pub fn sector() -> Self {
        Self { terms: SECTOR_TERMS.iter().map(|t| (*t).to_owned()).collect(), ..Self::default() }
    }

    pub fn with_names(mut self, names: impl IntoIterator<Item = String>) -> Self {
        self.names.extend(names);
        self
    }

    pub fn with_services(mut self, services: impl IntoIterator<Item = String>) -> Self {
        self.services.extend(services);
        self
    }

    /// The prompt text, as long as `count_tokens` says fits in `max_tokens`. Entries that don't
    /// fit are left out whole; later groups give way to earlier ones.
    pub fn prompt<E>(
        &self,
        max_tokens: usize,
        mut count_tokens: impl FnMut(&str) -> Result<usize, E>,
    ) -> Result<String, E> {
        let mut seen = std::collections::HashSet::new();
        let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
        for (label, items) in
            [("People", &self.names), ("Services", &self.services), ("Terms", &self.terms)]
        {
            let mut kept = Vec::new();
            for item in items {
                let item = item.trim();
                if !item.is_empty() && seen.insert(item.to_lowercase()) {
                    kept.push(item);
                }
            }
            groups.push((label, kept));
        }
        let render = |groups: &[(&str, Vec<&str>)]| {
            groups
                .iter()
                .filter(|(_, items)| !items.is_empty())
                .map(|(label, items)| match *label {
                    "Terms" => {
                        format!("Notes after a home visit, mentioning the {}.", items.join(", "))
                    }
                    _ => format!("{label}: {}.", items.join(", ")),
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        let mut fitted: Vec<(&str, Vec<&str>)> =
            groups.iter().map(|(label, _)| (*label, Vec::new())).collect();
        let mut before_terms = 0;
        for (g, (label, items)) in groups.iter().enumerate() {
            let limit = match *label {
                "Terms" => max_tokens.min(before_terms + MAX_TERMS_TOKENS),
                _ => max_tokens,
            };
            for item in items {
                fitted[g].1.push(item);
                if count_tokens(&render(&fitted))? > limit {
                    fitted[g].1.pop();
                }
            }
            if *label != "Terms" {
                before_terms = count_tokens(&render(&fitted))?;
            }
        }
        Ok(render(&fitted))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Result<usize, std::convert::Infallible> {
        Ok(text.split_whitespace().count())
    }

    #[test]
    fn the_case_comes_first_and_the_budget_holds() {
        let vocab = Vocabulary::sector()
            .with_names(["Margaret Holt".into(), "Peter".into(), " margaret holt ".into()])
            .with_services(["Elm Grove Surgery".into()]);
        let full = vocab.prompt(1000, words).unwrap();
        assert!(full.starts_with(
            "People: Margaret Holt, Peter. Services: Elm Grove Surgery. Notes after a home visit, \
             mentioning the GP, CAMHS,"
        ));
        let terms = full.split("mentioning").nth(1).unwrap();
        assert!(words(terms).unwrap() <= MAX_TERMS_TOKENS, "the terms stay within their share");
        assert_eq!(full.matches("Margaret Holt").count(), 1);
        let short = vocab.prompt(16, words).unwrap();
        assert!(words(&short).unwrap() <= 16, "{short}");
        assert!(short.contains("Peter") && short.contains("Surgery") && short.contains("GP"));
        assert!(!short.contains("DoLS"));
    }

    #[test]
    fn nothing_to_say_gives_an_empty_prompt() {
        assert_eq!(Vocabulary::default().prompt(200, words).unwrap(), "");
    }
}
