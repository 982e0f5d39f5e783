//! The words the extractor knows: roles and the category each belongs to, and the phrases that
//! show a tie's quality and the flow of support. Data a practice lead can read and extend
//! (`models/ecomap.toml`); this module checks it and turns it into lookup tables.

use std::collections::HashMap;

use doorstep_core::model::{SupportFlow, TieCategory, TieQuality, WellbeingDomain};
use doorstep_themes::ThemeId;
use doorstep_themes::text::tokens;
use serde::Deserialize;

use crate::error::EcomapError;

/// A word without its possessive "'s", as role words are matched: "the men's shed" is read as
/// "the men shed", so the role word "men's shed" is kept the same way.
pub(crate) fn base(lower: &str) -> &str {
    lower.strip_suffix("'s").unwrap_or(lower)
}

const BUILT_IN: &str = include_str!("../../../models/ecomap.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RoleFile {
    role: String,
    category: String,
    words: Vec<String>,
    #[serde(default)]
    names: Vec<String>,
    #[serde(default)]
    people: bool,
    #[serde(default)]
    domains: Vec<String>,
    #[serde(default)]
    support: Option<String>,
    #[serde(default)]
    quality: Option<String>,
    #[serde(default)]
    named: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LexiconFile {
    domains: HashMap<String, Vec<String>>,
    #[serde(default)]
    default_quality: HashMap<String, String>,
    quality: HashMap<String, Vec<String>>,
    support: HashMap<String, Vec<String>>,
    #[serde(default)]
    help: Option<HelpFile>,
    #[serde(default)]
    parting: Option<PartingFile>,
    #[serde(default)]
    attend: Option<AttendFile>,
    #[serde(default)]
    referral: Option<ReferralFile>,
    #[serde(default)]
    strengths: HashMap<String, Vec<String>>,
    #[serde(default)]
    helping: HashMap<String, ThemeId>,
    #[serde(default)]
    taking_part: HashMap<String, ThemeId>,
    #[serde(default)]
    matters: Option<MattersFile>,
    role: Vec<RoleFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MattersFile {
    phrases: Vec<String>,
    #[serde(default)]
    domains: HashMap<String, Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PartingFile {
    phrases: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct HelpFile {
    phrases: Vec<String>,
    #[serde(default)]
    before_helped: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReferralFile {
    before: Vec<String>,
    #[serde(default)]
    after: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AttendFile {
    role: String,
    after: Vec<String>,
}

/// A relationship or service the notes name.
#[derive(Debug, Clone)]
pub struct Role {
    pub role: String,
    pub category: TieCategory,
    /// One person who may be named ("her daughter Karen"), not a service.
    pub people: bool,
    pub domains: Vec<WellbeingDomain>,
    /// The flow of support when the note says nothing of it.
    pub support: Option<SupportFlow>,
    /// The quality when the note says nothing of it, if not its category's.
    pub quality: Option<TieQuality>,
    /// A tie only where the note names them ("her children Sam and Mia"): said bare, the
    /// word is the household's ("the children were seen"), not one node of the map.
    pub named: bool,
}

/// A phrase as lower-case words; the last may end in `*` to match any ending.
#[derive(Debug, Clone)]
pub struct Phrase {
    pub words: Vec<String>,
    pub open_end: bool,
}

impl Phrase {
    fn parse(text: &str) -> Self {
        let open_end = text.ends_with('*');
        let words = tokens(text.trim_end_matches('*')).into_iter().map(|t| t.lower).collect();
        Self { words, open_end }
    }

    /// Whether the phrase starts at `at` in `words` (lower case).
    pub fn matches_at(&self, words: &[&str], at: usize) -> bool {
        let n = self.words.len();
        if n == 0 || at + n > words.len() {
            return false;
        }
        self.words.iter().enumerate().all(|(k, w)| {
            let word = words[at + k];
            if self.open_end && k + 1 == n { word.starts_with(w.as_str()) } else { word == w }
        })
    }

    /// Whether the phrase occurs anywhere in `words`.
    pub fn occurs_in(&self, words: &[&str]) -> bool {
        (0..words.len()).any(|at| self.matches_at(words, at))
    }
}

/// The phrases of an optional table's list, none when the table is left out.
fn phrases(list: Option<&Vec<String>>) -> Vec<Phrase> {
    list.map_or_else(Vec::new, |l| l.iter().map(|p| Phrase::parse(p)).collect())
}

/// The checked lexicon.
#[derive(Debug, Clone)]
pub struct Lexicon {
    pub roles: Vec<Role>,
    /// Role phrases, by their first lower-case word: (words, role index), longest first.
    pub role_words: HashMap<String, Vec<(Vec<String>, usize)>>,
    /// Proper names of organisations, as written: (words, role index).
    pub role_names: Vec<(Vec<String>, usize)>,
    pub quality: Vec<(TieQuality, Vec<Phrase>)>,
    /// The quality of a tie nothing qualifies, by category.
    pub default_quality: HashMap<String, TieQuality>,
    pub support: Vec<(SupportFlow, Vec<Phrase>)>,
    /// Phrases of one doing something for another ("looks after", "does the shopping"): who
    /// does it, the node or the person, says which way support flows.
    pub help: Vec<Phrase>,
    /// Phrases of a couple parting ("split up"): a broken tie when the person is one of them.
    pub parting: Vec<Phrase>,
    /// Phrases of helping that say so only with the one helped straight after them ("gets
    /// Kuba dressed").
    pub help_before: Vec<Phrase>,
    /// Phrases after which a capitalised name is a place the person goes, and its role.
    pub attend: Option<(Vec<Phrase>, usize)>,
    /// Phrases that point a referral at the mention straight after them ("referred him to").
    pub referral_before: Vec<Phrase>,
    /// Words straight after a mention that make it one referred to ("CAMHS referral").
    pub referral_after: Vec<Phrase>,
    /// Strength themes that are the person's own, with the domains each serves.
    pub strengths: Vec<(String, Vec<WellbeingDomain>)>,
    /// The strength theme a tie of a category shows when the note says they help the person.
    pub helping: HashMap<TieCategory, ThemeId>,
    /// The strength theme a tie of a category shows when the person takes part in it.
    pub taking_part: HashMap<TieCategory, ThemeId>,
    /// Phrases that say what matters to the person.
    pub matters: Vec<Phrase>,
    /// Words that tie what matters to a wellbeing domain.
    pub matters_domains: Vec<(WellbeingDomain, Vec<Phrase>)>,
}

impl Lexicon {
    /// The lexicon compiled into Doorstep.
    pub fn built_in() -> Result<Self, EcomapError> {
        Self::from_toml(BUILT_IN, "models/ecomap.toml")
    }

    pub fn from_toml(text: &str, origin: &str) -> Result<Self, EcomapError> {
        let invalid = |reason: String| EcomapError::Lexicon { origin: origin.to_owned(), reason };
        let file: LexiconFile = toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
        let known = |kind: &str, value: &str, list: &[&str]| {
            if list.contains(&value) {
                Ok(())
            } else {
                Err(invalid(format!(
                    "unknown {kind} {value:?} (expected one of {})",
                    list.join(", ")
                )))
            }
        };
        let mut category_domains = HashMap::new();
        for (category, domains) in &file.domains {
            known("category", category, TieCategory::KNOWN)?;
            for d in domains {
                known("wellbeing domain", d, WellbeingDomain::KNOWN)?;
            }
            category_domains.insert(category.clone(), domains.clone());
        }
        let mut lexicon = Self {
            roles: Vec::new(),
            role_words: HashMap::new(),
            role_names: Vec::new(),
            quality: Vec::new(),
            default_quality: HashMap::new(),
            support: Vec::new(),
            help: phrases(file.help.as_ref().map(|h| &h.phrases)),
            parting: phrases(file.parting.as_ref().map(|p| &p.phrases)),
            help_before: phrases(file.help.as_ref().map(|h| &h.before_helped)),
            attend: None,
            referral_before: phrases(file.referral.as_ref().map(|r| &r.before)),
            referral_after: phrases(file.referral.as_ref().map(|r| &r.after)),
            strengths: Vec::new(),
            helping: HashMap::new(),
            taking_part: HashMap::new(),
            matters: Vec::new(),
            matters_domains: Vec::new(),
        };
        let mut theme_ids: Vec<&String> = file.strengths.keys().collect();
        theme_ids.sort();
        for theme in theme_ids {
            let mut domains = Vec::new();
            for d in &file.strengths[theme] {
                known("wellbeing domain", d, WellbeingDomain::KNOWN)?;
                domains.push(WellbeingDomain::from(d.as_str()));
            }
            lexicon.strengths.push((theme.clone(), domains));
        }
        if let Some(matters) = &file.matters {
            lexicon.matters = matters.phrases.iter().map(|p| Phrase::parse(p)).collect();
            let mut names: Vec<&String> = matters.domains.keys().collect();
            names.sort();
            for name in names {
                known("wellbeing domain", name, WellbeingDomain::KNOWN)?;
                let words = matters.domains[name].iter().map(|p| Phrase::parse(p)).collect();
                lexicon.matters_domains.push((WellbeingDomain::from(name.as_str()), words));
            }
        }
        for (table, file_table) in
            [(&mut lexicon.helping, &file.helping), (&mut lexicon.taking_part, &file.taking_part)]
        {
            for (category, theme) in file_table {
                known("category", category, TieCategory::KNOWN)?;
                table.insert(TieCategory::from(category.as_str()), theme.clone());
            }
        }
        for (category, quality) in &file.default_quality {
            known("category", category, TieCategory::KNOWN)?;
            known("quality", quality, TieQuality::KNOWN)?;
            lexicon.default_quality.insert(category.clone(), TieQuality::from(quality.as_str()));
        }
        for (index, role) in file.role.iter().enumerate() {
            known("category", &role.category, TieCategory::KNOWN)?;
            if role.words.is_empty() {
                return Err(invalid(format!("role {:?} has no words", role.role)));
            }
            let domains = if role.domains.is_empty() {
                category_domains.get(&role.category).cloned().unwrap_or_default()
            } else {
                role.domains.clone()
            };
            for d in &domains {
                known("wellbeing domain", d, WellbeingDomain::KNOWN)?;
            }
            if let Some(support) = &role.support {
                known("support", support, SupportFlow::KNOWN)?;
            }
            if let Some(quality) = &role.quality {
                known("quality", quality, TieQuality::KNOWN)?;
            }
            lexicon.roles.push(Role {
                support: role.support.as_deref().map(SupportFlow::from),
                quality: role.quality.as_deref().map(TieQuality::from),
                role: role.role.clone(),
                category: TieCategory::from(role.category.as_str()),
                people: role.people,
                named: role.named,
                domains: domains.iter().map(|d| WellbeingDomain::from(d.as_str())).collect(),
            });
            for word in &role.words {
                let words: Vec<String> =
                    tokens(word).into_iter().map(|t| base(&t.lower).to_owned()).collect();
                let Some(first) = words.first().cloned() else {
                    return Err(invalid(format!("role {:?} has an empty word", role.role)));
                };
                lexicon.role_words.entry(first).or_default().push((words, index));
            }
            for name in &role.names {
                let words: Vec<String> = tokens(name).into_iter().map(|t| t.text).collect();
                if !words.is_empty() {
                    lexicon.role_names.push((words, index));
                }
            }
        }
        if let Some(attend) = &file.attend {
            let Some(role) = lexicon.roles.iter().position(|r| r.role == attend.role) else {
                return Err(invalid(format!("[attend] names the unknown role {:?}", attend.role)));
            };
            lexicon.attend = Some((attend.after.iter().map(|p| Phrase::parse(p)).collect(), role));
        }
        for phrases in lexicon.role_words.values_mut() {
            phrases.sort_by_key(|(words, _)| std::cmp::Reverse(words.len()));
        }
        lexicon.role_names.sort_by_key(|(words, _)| std::cmp::Reverse(words.len()));
        lexicon.help.sort_by_key(|p| std::cmp::Reverse(p.words.len()));
        for (name, phrases) in &file.quality {
            known("quality", name, TieQuality::KNOWN)?;
            lexicon.quality.push((
                TieQuality::from(name.as_str()),
                phrases.iter().map(|p| Phrase::parse(p)).collect(),
            ));
        }
        for (name, phrases) in &file.support {
            known("support", name, SupportFlow::KNOWN)?;
            lexicon.support.push((
                SupportFlow::from(name.as_str()),
                phrases.iter().map(|p| Phrase::parse(p)).collect(),
            ));
        }
        Ok(lexicon)
    }

    /// The phrases showing `quality`.
    pub fn quality_phrases(&self, quality: &TieQuality) -> &[Phrase] {
        self.quality.iter().find(|(q, _)| q == quality).map_or(&[], |(_, p)| p.as_slice())
    }

    /// The quality of a tie in `role` that nothing qualifies: the role's own, else its
    /// category's.
    pub fn default_quality(&self, role: &Role) -> TieQuality {
        role.quality.clone().unwrap_or_else(|| {
            self.default_quality
                .get(role.category.as_str())
                .cloned()
                .unwrap_or(TieQuality::Moderate)
        })
    }

    /// The phrases showing `support`.
    pub fn support_phrases(&self, support: &SupportFlow) -> &[Phrase] {
        self.support.iter().find(|(s, _)| s == support).map_or(&[], |(_, p)| p.as_slice())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_lexicon_loads() {
        let lexicon = Lexicon::built_in().unwrap();
        assert!(lexicon.roles.len() > 50);
        assert!(lexicon.role_words.contains_key("daughter"));
    }

    #[test]
    fn an_unknown_category_is_named() {
        let text = "[domains]\n[quality]\n[support]\n[[role]]\nrole = \"x\"\ncategory = \"aliens\"\nwords = [\"x\"]\n";
        let err = Lexicon::from_toml(text, "mine.toml").unwrap_err().to_string();
        assert!(err.contains("aliens") && err.contains("mine.toml"), "{err}");
    }

    #[test]
    fn open_ended_phrases_match_any_ending() {
        let phrase = Phrase::parse("argu*");
        assert!(phrase.occurs_in(&["they", "argued"]));
        assert!(!Phrase::parse("row").occurs_in(&["rowing"]));
    }
}
