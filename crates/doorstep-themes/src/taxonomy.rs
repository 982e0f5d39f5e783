//! The theme taxonomy: every theme's id, label, parent, kind, and the words that name it
//! (synonyms, acronyms) or show it without naming it (cues), and example sentences of notes
//! that show it (for the meaning tagger). Built in from `models/themes.toml`; a practice lead's
//! own file adds themes, words or examples to it.

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// The taxonomy compiled into Doorstep.
const BUILTIN: &str = include_str!("../../../models/themes.toml");
/// More words for the built-in themes, kept in files of their own (`models/cues/`) and added
/// the way a practice's file is.
const BUILTIN_CUES: &[&str] = &[
    include_str!("../../../models/cues/risks.toml"),
    include_str!("../../../models/cues/needs.toml"),
    include_str!("../../../models/cues/strengths.toml"),
];

/// A theme's stable id, as in the evaluation corpus and stored tags: `domestic_abuse`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ThemeId(String);

impl ThemeId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ThemeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a theme says about the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Risk,
    Need,
    Strength,
}

/// One theme, as the taxonomy file writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    pub id: ThemeId,
    pub label: String,
    /// The broader theme this one implies (`alcohol` implies `substance_misuse`).
    #[serde(default, deserialize_with = "empty_is_none")]
    pub parent: Option<ThemeId>,
    pub kind: Kind,
    /// What the theme covers, in a sentence.
    #[serde(default)]
    pub scope: String,
    /// Sector acronyms, matched with their capitals: "DV", "EHCP".
    #[serde(default)]
    pub acronyms: Vec<String>,
    /// What people call the theme itself: "domestic violence", "drinking".
    #[serde(default)]
    pub synonyms: Vec<String>,
    /// Phrases that show the theme without naming it: "hands round her neck". A trailing `*`
    /// matches any ending.
    #[serde(default)]
    pub cues: Vec<String>,
    /// What a note calls the part of life the theme is about, which shows nothing alone but is
    /// judged: "money" in "money's fine, DLA and carer's allowance are in" clears the benefits
    /// named in the same clause.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<String>,
    /// Sentences as a practitioner writes them in a note, each showing the theme as present
    /// ("He put his hands round her throat when she tried to leave"): the meaning tagger
    /// compares a note's sentences with them.
    #[serde(default)]
    pub examples: Vec<String>,
    /// Word groups that show the theme when one word of every group is in the same clause:
    /// a relative and a kind of help ("her daughter does the shopping") is family support.
    /// The groups are matched in order, each item within a few words of the previous one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub together: Vec<Vec<String>>,
    /// Further rules of the same form as `together`, each a list of groups.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub more_together: Vec<Vec<Vec<String>>>,
    /// Words that, before a mention in its part of the sentence, make it someone else's and
    /// not this theme: "her husband works nights" is not her work.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unless: Vec<String>,
    /// Phrases around one of the theme's words that mean something else: "scared to death" is
    /// not a death, a "rowing club" not a row. A mention inside one is not the theme.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub except: Vec<String>,
    /// A mention in the past still shows the theme ("her husband died years ago" is loss now);
    /// for other themes a concern the note puts in the past, with nothing tying it to now
    /// ("used to drink"), is not a tag.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub lasting: bool,
}

fn empty_is_none<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<ThemeId>, D::Error> {
    let id = String::deserialize(d)?;
    Ok((!id.trim().is_empty()).then(|| ThemeId(id.trim().to_owned())))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    theme: Vec<Theme>,
}

#[derive(Debug, thiserror::Error)]
pub enum TaxonomyError {
    #[error("the taxonomy file is not valid TOML: {0}")]
    Syntax(#[from] toml::de::Error),
    #[error("theme id {0:?} must be lower-case letters, digits and underscores")]
    BadId(String),
    #[error("theme {0} is defined twice")]
    Duplicate(ThemeId),
    #[error("theme {0} has no label")]
    NoLabel(ThemeId),
    #[error("theme {theme} has parent {parent}, which is not a theme")]
    UnknownParent { theme: ThemeId, parent: ThemeId },
    #[error("theme {0} is its own ancestor")]
    Cycle(ThemeId),
    #[error("theme {theme}: {kind} {word:?} is empty or has surrounding spaces")]
    BadWord { theme: ThemeId, kind: &'static str, word: String },
    #[error(
        "theme {theme} is a {kind:?} but its parent {parent} is a {parent_kind:?}: strengths and concerns do not mix"
    )]
    KindMismatch { theme: ThemeId, kind: Kind, parent: ThemeId, parent_kind: Kind },
}

/// Every theme, in the file's order, with lookups by id and by name.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    themes: Vec<Theme>,
    by_id: HashMap<ThemeId, usize>,
}

impl Taxonomy {
    /// The taxonomy shipped with Doorstep.
    pub fn builtin() -> Result<Self, TaxonomyError> {
        let mut taxonomy = Self::from_toml(BUILTIN)?;
        for cues in BUILTIN_CUES {
            taxonomy.extend_with(cues)?;
        }
        Ok(taxonomy)
    }

    pub fn from_toml(text: &str) -> Result<Self, TaxonomyError> {
        let file: File = toml::from_str(text)?;
        Self::new(file.theme)
    }

    fn new(themes: Vec<Theme>) -> Result<Self, TaxonomyError> {
        let mut by_id = HashMap::new();
        for (i, theme) in themes.iter().enumerate() {
            let id = theme.id.as_str();
            if id.is_empty()
                || !id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            {
                return Err(TaxonomyError::BadId(id.to_owned()));
            }
            if by_id.insert(theme.id.clone(), i).is_some() {
                return Err(TaxonomyError::Duplicate(theme.id.clone()));
            }
            if theme.label.trim().is_empty() {
                return Err(TaxonomyError::NoLabel(theme.id.clone()));
            }
            for (kind, words) in [
                ("acronym", &theme.acronyms),
                ("synonym", &theme.synonyms),
                ("cue", &theme.cues),
                ("topic", &theme.topics),
                ("unless word", &theme.unless),
                ("except phrase", &theme.except),
                ("example", &theme.examples),
            ] {
                if let Some(word) = words.iter().find(|w| w.is_empty() || w.trim() != w.as_str()) {
                    let (theme, word) = (theme.id.clone(), word.clone());
                    return Err(TaxonomyError::BadWord { theme, kind, word });
                }
            }
            let rules = std::iter::once(&theme.together).chain(&theme.more_together);
            for group in rules.flatten() {
                let bad = group.iter().find(|w| w.is_empty() || w.trim() != w.as_str());
                if group.is_empty() || bad.is_some() {
                    let (theme, word) = (theme.id.clone(), bad.cloned().unwrap_or_default());
                    return Err(TaxonomyError::BadWord { theme, kind: "together word", word });
                }
            }
        }
        let taxonomy = Self { themes, by_id };
        taxonomy.check_parents()?;
        Ok(taxonomy)
    }

    fn check_parents(&self) -> Result<(), TaxonomyError> {
        for theme in &self.themes {
            let mut seen = 0;
            let mut at = theme;
            while let Some(parent) = &at.parent {
                let Some(next) = self.get(parent) else {
                    let (theme, parent) = (at.id.clone(), parent.clone());
                    return Err(TaxonomyError::UnknownParent { theme, parent });
                };
                seen += 1;
                if next.id == theme.id || seen > self.themes.len() {
                    return Err(TaxonomyError::Cycle(theme.id.clone()));
                }
                at = next;
            }
            if let Some(parent) = theme.parent.as_ref().and_then(|p| self.get(p))
                && (parent.kind == Kind::Strength) != (theme.kind == Kind::Strength)
            {
                return Err(TaxonomyError::KindMismatch {
                    theme: theme.id.clone(),
                    kind: theme.kind,
                    parent: parent.id.clone(),
                    parent_kind: parent.kind,
                });
            }
        }
        Ok(())
    }

    /// Adds a practice's own file: new themes are appended; a theme already known gets the
    /// file's acronyms, synonyms, cues, topics, `unless` words, `except` phrases, rules and examples added to its own (its
    /// label, parent and kind stay).
    pub fn extend_with(&mut self, text: &str) -> Result<(), TaxonomyError> {
        let file: File = toml::from_str(text)?;
        let mut themes = self.themes.clone();
        for theme in file.theme {
            match self.by_id.get(&theme.id) {
                Some(&i) => {
                    let known = &mut themes[i];
                    for (mine, theirs) in [
                        (&mut known.acronyms, theme.acronyms),
                        (&mut known.synonyms, theme.synonyms),
                        (&mut known.cues, theme.cues),
                        (&mut known.topics, theme.topics),
                        (&mut known.unless, theme.unless),
                        (&mut known.except, theme.except),
                        (&mut known.examples, theme.examples),
                    ] {
                        for word in theirs {
                            if !mine.contains(&word) {
                                mine.push(word);
                            }
                        }
                    }
                    known.lasting |= theme.lasting;
                    // A practice's `together` is a rule of its own, not more groups of ours.
                    let rules = std::iter::once(theme.together)
                        .filter(|r| !r.is_empty())
                        .chain(theme.more_together);
                    for rule in rules {
                        if known.together != rule && !known.more_together.contains(&rule) {
                            known.more_together.push(rule);
                        }
                    }
                }
                None => themes.push(theme),
            }
        }
        *self = Self::new(themes)?;
        Ok(())
    }

    pub fn themes(&self) -> &[Theme] {
        &self.themes
    }

    pub fn get(&self, id: &ThemeId) -> Option<&Theme> {
        self.by_id.get(id).map(|&i| &self.themes[i])
    }

    /// The theme with this id, given as text.
    pub fn by_id(&self, id: &str) -> Option<&Theme> {
        self.get(&ThemeId(id.to_owned()))
    }

    /// The theme and every theme above it, nearest first.
    pub fn with_ancestors<'a>(&'a self, id: &ThemeId) -> Vec<&'a Theme> {
        let mut chain = Vec::new();
        let mut next = self.get(id);
        while let Some(theme) = next {
            chain.push(theme);
            next = theme.parent.as_ref().and_then(|p| self.get(p));
        }
        chain
    }

    /// Themes directly under `id`.
    pub fn children<'a>(&'a self, id: &'a ThemeId) -> impl Iterator<Item = &'a Theme> + 'a {
        self.themes.iter().filter(move |t| t.parent.as_ref() == Some(id))
    }

    /// The themes a practitioner means by `words`: an id, a label, an acronym (with its
    /// capitals, or in lower case when the acronym is the whole query) or a synonym, compared
    /// without regard to case, spacing or hyphens.
    pub fn named(&self, words: &str) -> Vec<&Theme> {
        let wanted = normalise(words);
        if wanted.is_empty() {
            return Vec::new();
        }
        self.themes
            .iter()
            .filter(|t| {
                normalise(t.id.as_str()) == wanted
                    || normalise(&t.label) == wanted
                    || t.acronyms.iter().any(|a| normalise(a) == wanted)
                    || t.synonyms.iter().any(|s| normalise(s) == wanted)
            })
            .collect()
    }
}

/// Lower case, with hyphens, underscores and runs of spaces as single spaces.
fn normalise(text: &str) -> String {
    text.to_lowercase()
        .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"
[[theme]]
id = "substance_misuse"
label = "Substance misuse"
kind = "risk"
synonyms = ["substance use"]

[[theme]]
id = "alcohol"
label = "Alcohol misuse"
parent = "substance_misuse"
kind = "risk"
acronyms = ["AUD"]
synonyms = ["drinking", "problem drinking"]
cues = ["smelled of alcohol", "empty cans"]
examples = ["She starts on the wine as soon as the children are in bed."]
"#;

    fn small() -> Taxonomy {
        Taxonomy::from_toml(SMALL).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn names_in_practitioners_words_find_the_theme() {
        let t = small();
        let ids = |q: &str| t.named(q).iter().map(|t| t.id.to_string()).collect::<Vec<_>>();
        assert_eq!(ids("Drinking"), ["alcohol"]);
        assert_eq!(ids("problem-drinking"), ["alcohol"]);
        assert_eq!(ids("aud"), ["alcohol"]);
        assert_eq!(ids("substance_misuse"), ["substance_misuse"]);
        assert_eq!(ids("alcohol misuse"), ["alcohol"]);
        assert!(ids("   ").is_empty());
        let chain: Vec<_> =
            t.with_ancestors(&ThemeId("alcohol".into())).iter().map(|t| t.id.to_string()).collect();
        assert_eq!(chain, ["alcohol", "substance_misuse"]);
    }

    #[test]
    fn a_practice_adds_words_and_themes() {
        let mut t = small();
        t.extend_with(
            r#"
[[theme]]
id = "alcohol"
label = "ignored"
kind = "risk"
cues = ["cider", "empty cans"]
examples = [
    "He needs a can before his hands stop shaking.",
    "She starts on the wine as soon as the children are in bed.",
]

[[theme]]
id = "gambling"
label = "Gambling"
kind = "risk"
parent = "substance_misuse"
"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let alcohol = t.by_id("alcohol").map(|a| (a.label.clone(), a.cues.clone()));
        assert_eq!(
            alcohol,
            Some((
                "Alcohol misuse".into(),
                vec!["smelled of alcohol".into(), "empty cans".into(), "cider".into()]
            ))
        );
        let examples = t.by_id("alcohol").map(|a| a.examples.clone()).unwrap_or_default();
        assert_eq!(
            examples,
            [
                "She starts on the wine as soon as the children are in bed.",
                "He needs a can before his hands stop shaking.",
            ]
        );
        assert!(t.by_id("gambling").is_some_and(|g| g.examples.is_empty()));
    }

    #[test]
    fn bad_files_are_refused_naming_the_problem() {
        let bad = |text: &str| match Taxonomy::from_toml(text) {
            Ok(_) => panic!("accepted: {text}"),
            Err(e) => e.to_string(),
        };
        let one = |fields: &str| format!("[[theme]]\n{fields}\n");
        assert!(
            bad(&one(r#"id = "Alcohol Misuse"
label = "x"
kind = "risk""#))
            .contains("lower-case")
        );
        assert!(
            bad(&format!(
                "{SMALL}{}",
                one(r#"id = "alcohol"
label = "x"
kind = "risk""#)
            ))
            .contains("alcohol is defined twice")
        );
        assert!(
            bad(&one(r#"id = "a"
label = "x"
kind = "risk"
parent = "b""#))
            .contains("parent b, which is not a theme")
        );
        assert!(
            bad(&one(r#"id = "a"
label = "x"
kind = "worry""#))
            .contains("not valid TOML")
        );
        assert!(
            bad(&one(r#"id = "a"
label = "x"
kind = "risk"
cues = [" padded"]"#))
            .contains("cue \" padded\"")
        );
        assert!(
            bad(&one(r#"id = "a"
label = "x"
kind = "risk"
examples = ["He hit her. "]"#))
            .contains("example \"He hit her. \"")
        );
        assert!(
            bad(&one(r#"id = "a"
label = "x"
kind = "risk"
examples = [""]"#))
            .contains("example \"\"")
        );
        assert!(
            bad(&one(r#"id = "a"
label = "x"
kind = "risk"
colour = "red""#))
            .contains("not valid TOML")
        );
        let cycle = "[[theme]]\nid = \"a\"\nlabel = \"A\"\nkind = \"risk\"\nparent = \"b\"\n\
                     [[theme]]\nid = \"b\"\nlabel = \"B\"\nkind = \"risk\"\nparent = \"a\"\n";
        assert!(bad(cycle).contains("its own ancestor"));
    }
}
