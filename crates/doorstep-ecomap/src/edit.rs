//! The practitioner's corrections to a proposed map before it is confirmed: a node rejected
//! (left out, and remembered so it is not proposed again) or one property of a node set
//! ("Karen:quality=tenuous"). Nodes are named as the map names them, or by another name for them.

use std::fmt;
use std::str::FromStr;

use doorstep_core::model::{Ecomap, EcomapTie, SupportFlow, TieCategory, TieQuality};
use doorstep_core::store::EcomapRejection;

use crate::names::normalised;

/// Longest role accepted from the practitioner.
const MAX_ROLE_CHARS: usize = 100;
const MAX_NOTE_CHARS: usize = 2_000;

/// A correction that cannot be made, saying why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("{text:?} is not WHO:FIELD=VALUE (for example \"Karen:quality=tenuous\")")]
    Form { text: String },
    #[error("{field:?} is not something a tie has: use quality, support, role, category or note")]
    Field { field: String },
    #[error("{value:?} is not a {field}: use one of {}", .allowed.join(", "))]
    Value { field: &'static str, value: String, allowed: Vec<String> },
    #[error("no one called {who:?} is on the map ({})", known_names(.known))]
    UnknownWho { who: String, known: Vec<String> },
    #[error("{who:?} could be any of {}: give the name as the map shows it", .matches.join(", "))]
    AmbiguousWho { who: String, matches: Vec<String> },
}

fn known_names(known: &[String]) -> String {
    if known.is_empty() {
        "it has no ties yet".to_owned()
    } else {
        format!("it has {}", known.join(", "))
    }
}

/// A new value for one property of a tie.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TieEdit {
    Quality(TieQuality),
    Support(SupportFlow),
    Role(String),
    Category(TieCategory),
    /// The practitioner's own words about the tie ("Karen:note=finds weekends hard").
    Note(String),
}

/// "WHO:FIELD=VALUE": set one property of the node called WHO.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetTie {
    pub who: String,
    pub edit: TieEdit,
}

fn known_value<T>(field: &'static str, value: &str, known: &[&str]) -> Result<T, EditError>
where
    T: for<'a> From<&'a str>,
{
    let value = value.trim();
    match known.iter().find(|k| k.eq_ignore_ascii_case(value)) {
        Some(known) => Ok(T::from(*known)),
        None => Err(EditError::Value {
            field,
            value: value.to_owned(),
            allowed: known.iter().map(|k| (*k).to_owned()).collect(),
        }),
    }
}

impl FromStr for SetTie {
    type Err = EditError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let form = || EditError::Form { text: text.to_owned() };
        let (target, value) = text.split_once('=').ok_or_else(form)?;
        let (who, field) = target.rsplit_once(':').ok_or_else(form)?;
        let who = who.trim();
        if who.is_empty() {
            return Err(form());
        }
        let edit = match field.trim().to_lowercase().as_str() {
            "quality" => TieEdit::Quality(known_value("quality", value, TieQuality::KNOWN)?),
            "support" => TieEdit::Support(known_value("support", value, SupportFlow::KNOWN)?),
            "category" => TieEdit::Category(known_value("category", value, TieCategory::KNOWN)?),
            "role" => {
                let role = value.trim();
                if role.is_empty() || role.chars().count() > MAX_ROLE_CHARS {
                    return Err(EditError::Value {
                        field: "role",
                        value: role.to_owned(),
                        allowed: vec![format!(
                            "a word or two, at most {MAX_ROLE_CHARS} characters"
                        )],
                    });
                }
                TieEdit::Role(role.to_owned())
            }
            "note" => {
                let note = value.trim();
                if note.chars().count() > MAX_NOTE_CHARS {
                    return Err(EditError::Value {
                        field: "note",
                        value: format!("{} characters", note.chars().count()),
                        allowed: vec![format!("at most {MAX_NOTE_CHARS} characters")],
                    });
                }
                TieEdit::Note(note.to_owned())
            }
            other => return Err(EditError::Field { field: other.to_owned() }),
        };
        Ok(Self { who: who.to_owned(), edit })
    }
}

impl fmt::Display for SetTie {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (field, value) = match &self.edit {
            TieEdit::Quality(q) => ("quality", q.as_str()),
            TieEdit::Support(s) => ("support", s.as_str()),
            TieEdit::Role(r) => ("role", r.as_str()),
            TieEdit::Category(c) => ("category", c.as_str()),
            TieEdit::Note(n) => ("note", n.as_str()),
        };
        write!(f, "{}:{field}={value}", self.who)
    }
}

/// The index of the tie `who` names: by its name or another name for it, or else by the words
/// of one of them ("Karen" for "her daughter Karen") when only one tie has those words.
pub fn find(map: &Ecomap, who: &str) -> Result<usize, EditError> {
    let wanted = normalised(who);
    let names = |tie: &EcomapTie| -> Vec<String> {
        std::iter::once(&tie.who).chain(&tie.aliases).map(|n| normalised(n)).collect()
    };
    let exact: Vec<usize> = (0..map.ties.len())
        .filter(|&at| !wanted.is_empty() && names(&map.ties[at]).contains(&wanted))
        .collect();
    let candidates = if exact.is_empty() {
        let words: Vec<&str> = wanted.split(' ').collect();
        (0..map.ties.len())
            .filter(|&at| {
                !wanted.is_empty()
                    && names(&map.ties[at]).iter().any(|name| {
                        let name: Vec<&str> = name.split(' ').collect();
                        name.windows(words.len()).any(|w| w == words.as_slice())
                    })
            })
            .collect()
    } else {
        exact
    };
    match candidates.as_slice() {
        [at] => Ok(*at),
        [] => Err(EditError::UnknownWho {
            who: who.to_owned(),
            known: map.ties.iter().map(|t| t.who.clone()).collect(),
        }),
        many => Err(EditError::AmbiguousWho {
            who: who.to_owned(),
            matches: many.iter().map(|&at| map.ties[at].who.clone()).collect(),
        }),
    }
}

/// Takes the node `who` names off the map; returns it.
pub fn reject(map: &mut Ecomap, who: &str) -> Result<EcomapTie, EditError> {
    let at = find(map, who)?;
    Ok(map.ties.remove(at))
}

/// What to remember of a rejected node: each of its names, in its category.
pub fn rejections_of(tie: &EcomapTie) -> Vec<EcomapRejection> {
    std::iter::once(&tie.who)
        .chain(&tie.aliases)
        .filter(|name| !name.trim().is_empty())
        .map(|name| EcomapRejection { who: name.clone(), category: tie.category.clone() })
        .collect()
}

/// Sets one property of the node `set.who` names.
pub fn apply(map: &mut Ecomap, set: &SetTie) -> Result<(), EditError> {
    let at = find(map, &set.who)?;
    let tie = &mut map.ties[at];
    match &set.edit {
        TieEdit::Quality(quality) => tie.quality = quality.clone(),
        TieEdit::Support(support) => tie.support = support.clone(),
        TieEdit::Role(role) => tie.role = role.clone(),
        TieEdit::Category(category) => tie.category = category.clone(),
        TieEdit::Note(note) => tie.note = note.clone(),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use doorstep_core::ids::{PersonId, TieId};

    use super::*;

    fn tie(who: &str, aliases: &[&str]) -> EcomapTie {
        EcomapTie {
            id: TieId::new(),
            who: who.into(),
            aliases: aliases.iter().map(|a| (*a).to_owned()).collect(),
            role: "daughter".into(),
            category: TieCategory::Family,
            quality: TieQuality::Strong,
            support: SupportFlow::ToSubject,
            note: String::new(),
            domains: Vec::new(),
            evidence: None,
        }
    }

    fn map() -> Ecomap {
        let mut map = Ecomap::empty(PersonId::new());
        map.ties = vec![
            tie("her daughter Karen", &["our Karen"]),
            tie("her son Lee", &[]),
            tie("Lee Smith", &[]),
        ];
        map
    }

    #[test]
    fn set_reads_who_field_and_a_known_value() {
        let set: SetTie = "Karen:quality=Tenuous".parse().unwrap();
        assert_eq!(
            set,
            SetTie { who: "Karen".into(), edit: TieEdit::Quality(TieQuality::Tenuous) }
        );
        assert_eq!(set.to_string(), "Karen:quality=tenuous");
        let set: SetTie = "St Mark's: food bank:category=community".parse().unwrap();
        assert_eq!(set.who, "St Mark's: food bank");
        let set: SetTie = "Karen:role= carer = and daughter ".parse().unwrap();
        assert_eq!(set.edit, TieEdit::Role("carer = and daughter".into()));
        let set: SetTie = "جدتي 👵:support=both".parse().unwrap();
        assert_eq!(set.edit, TieEdit::Support(SupportFlow::Both));
        let set: SetTie = "Karen:note= finds weekends hard ".parse().unwrap();
        assert_eq!(set.edit, TieEdit::Note("finds weekends hard".into()));
        let long = format!("Karen:note={}", "x".repeat(2_001));
        assert!(matches!(long.parse::<SetTie>(), Err(EditError::Value { field: "note", .. })));
    }

    #[test]
    fn a_bad_set_says_what_was_wrong() {
        let err = "Karen:quality=fabulous".parse::<SetTie>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "\"fabulous\" is not a quality: use one of strong, moderate, tenuous, stressful, broken"
        );
        let err = "Karen:mood=happy".parse::<SetTie>().unwrap_err();
        assert!(err.to_string().contains("\"mood\" is not something a tie has"), "{err}");
        for text in ["Karen", "Karen=strong", ":quality=strong", ""] {
            assert!(matches!(text.parse::<SetTie>(), Err(EditError::Form { .. })), "{text}");
        }
        assert!(matches!("Karen:role=  ".parse::<SetTie>(), Err(EditError::Value { .. })));
    }

    #[test]
    fn nodes_are_found_by_name_alias_or_their_words() {
        let map = map();
        assert_eq!(find(&map, "her daughter Karen").unwrap(), 0);
        assert_eq!(find(&map, "OUR KAREN").unwrap(), 0);
        assert_eq!(find(&map, "Karen").unwrap(), 0);
        assert_eq!(find(&map, "son lee").unwrap(), 1);
        let err = find(&map, "Lee").unwrap_err();
        assert!(matches!(err, EditError::AmbiguousWho { .. }), "{err}");
        let err = find(&map, "Edna").unwrap_err();
        assert_eq!(
            err.to_string(),
            "no one called \"Edna\" is on the map (it has her daughter Karen, her son Lee, Lee Smith)"
        );
        let empty = Ecomap::empty(PersonId::new());
        assert!(find(&empty, "Edna").unwrap_err().to_string().contains("it has no ties yet"));
        assert!(find(&map, "  ").is_err());
    }

    #[test]
    fn rejecting_and_setting_change_only_the_node_named() {
        let mut map = map();
        let karen = reject(&mut map, "Karen").unwrap();
        assert_eq!(map.ties.len(), 2);
        let remembered: Vec<String> = rejections_of(&karen).into_iter().map(|r| r.who).collect();
        assert_eq!(remembered, ["her daughter Karen", "our Karen"]);
        apply(&mut map, &"son lee:quality=stressful".parse().unwrap()).unwrap();
        apply(&mut map, &"son lee:category=friend".parse().unwrap()).unwrap();
        assert_eq!(map.ties[0].quality, TieQuality::Stressful);
        assert_eq!(map.ties[0].category, TieCategory::Friend);
        assert_eq!(map.ties[1].quality, TieQuality::Strong);
        assert!(apply(&mut map, &"Karen:quality=strong".parse().unwrap()).is_err());
    }
}
