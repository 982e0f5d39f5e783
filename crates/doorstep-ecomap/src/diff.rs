//! What changed between two maps of one person, for the history and for a proposal waiting to be
//! confirmed: ties that are new, changed or gone, and strengths and what matters added or
//! removed. Printed the way a practitioner reads it ("new: food bank, strong, support to Mrs
//! Jones; changed: ex-partner tenuous -> stressful; gone: day centre") and serialisable as JSON.
//!
//! Ties are matched by id, which merging keeps for a node across notes and versions; ties
//! without a common id match when their category is the same and one's name (or another name
//! for it) is the other's.

use std::collections::HashSet;
use std::fmt;

use doorstep_core::ids::TieId;
use doorstep_core::model::{Ecomap, EcomapTie, MapPoint, SupportFlow, TieCategory, TieQuality};
use serde::Serialize;

use crate::names::normalised;

/// A tie as a diff names it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TieSketch {
    pub id: TieId,
    pub who: String,
    pub role: String,
    pub category: TieCategory,
    pub quality: TieQuality,
    pub support: SupportFlow,
}

impl TieSketch {
    fn of(tie: &EcomapTie) -> Self {
        Self {
            id: tie.id,
            who: tie.who.clone(),
            role: tie.role.clone(),
            category: tie.category.clone(),
            quality: tie.quality.clone(),
            support: tie.support.clone(),
        }
    }
}

/// A property of a tie a diff reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TieField {
    Quality,
    Support,
    Role,
    Category,
}

/// One property of a tie, before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    pub field: TieField,
    pub from: String,
    pub to: String,
}

/// A tie present in both maps whose properties differ.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TieChange {
    /// The tie's id in the later map.
    pub id: TieId,
    /// Its name in the later map.
    pub who: String,
    pub changes: Vec<FieldChange>,
}

/// The difference between an earlier and a later map.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct EcomapDiff {
    pub new: Vec<TieSketch>,
    pub changed: Vec<TieChange>,
    pub gone: Vec<TieSketch>,
    pub strengths_added: Vec<String>,
    pub strengths_removed: Vec<String>,
    pub matters_added: Vec<String>,
    pub matters_removed: Vec<String>,
}

/// What changed from `before` to `after`.
pub fn diff(before: &Ecomap, after: &Ecomap) -> EcomapDiff {
    let pairs = match_ties(&before.ties, &after.ties);
    let mut out = EcomapDiff::default();
    let mut matched_before = HashSet::new();
    for (at, tie) in after.ties.iter().enumerate() {
        match pairs.iter().find(|&&(_, a)| a == at) {
            Some(&(b, _)) => {
                matched_before.insert(b);
                let changes = changes(&before.ties[b], tie);
                if !changes.is_empty() {
                    out.changed.push(TieChange { id: tie.id, who: tie.who.clone(), changes });
                }
            }
            None => out.new.push(TieSketch::of(tie)),
        }
    }
    out.gone = before
        .ties
        .iter()
        .enumerate()
        .filter(|(b, _)| !matched_before.contains(b))
        .map(|(_, tie)| TieSketch::of(tie))
        .collect();
    (out.strengths_added, out.strengths_removed) = points(&before.strengths, &after.strengths);
    (out.matters_added, out.matters_removed) = points(&before.matters, &after.matters);
    out
}

/// Pairs (index in `before`, index in `after`) of the same node: by id first, then by category
/// and name among the ties left over.
fn match_ties(before: &[EcomapTie], after: &[EcomapTie]) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    let mut used_before = vec![false; before.len()];
    let mut used_after = vec![false; after.len()];
    for (a, tie) in after.iter().enumerate() {
        if let Some(b) = before.iter().position(|old| old.id == tie.id)
            && !used_before[b]
        {
            pairs.push((b, a));
            used_before[b] = true;
            used_after[a] = true;
        }
    }
    for (a, tie) in after.iter().enumerate() {
        if used_after[a] {
            continue;
        }
        let names = names_of(tie);
        let found = before.iter().enumerate().position(|(b, old)| {
            !used_before[b]
                && old.category == tie.category
                && names_of(old).iter().any(|n| names.contains(n))
        });
        if let Some(b) = found {
            pairs.push((b, a));
            used_before[b] = true;
            used_after[a] = true;
        }
    }
    pairs
}

fn names_of(tie: &EcomapTie) -> Vec<String> {
    std::iter::once(&tie.who)
        .chain(&tie.aliases)
        .map(|n| normalised(n))
        .filter(|n| !n.is_empty())
        .collect()
}

fn changes(before: &EcomapTie, after: &EcomapTie) -> Vec<FieldChange> {
    let mut out = Vec::new();
    let mut compare = |field, from: &str, to: &str| {
        if from.trim().to_lowercase() != to.trim().to_lowercase() {
            out.push(FieldChange { field, from: from.to_owned(), to: to.to_owned() });
        }
    };
    compare(TieField::Quality, before.quality.as_str(), after.quality.as_str());
    compare(TieField::Support, before.support.as_str(), after.support.as_str());
    compare(TieField::Role, &before.role, &after.role);
    compare(TieField::Category, before.category.as_str(), after.category.as_str());
    out
}

/// Points added and removed, compared by their normalised words.
fn points(before: &[MapPoint], after: &[MapPoint]) -> (Vec<String>, Vec<String>) {
    let key = |p: &MapPoint| normalised(&p.text);
    let before_keys: HashSet<String> = before.iter().map(key).collect();
    let after_keys: HashSet<String> = after.iter().map(key).collect();
    let added = after.iter().filter(|p| !before_keys.contains(&key(p))).map(|p| p.text.clone());
    let removed = before.iter().filter(|p| !after_keys.contains(&key(p))).map(|p| p.text.clone());
    (added.collect(), removed.collect())
}

impl EcomapDiff {
    pub fn is_empty(&self) -> bool {
        self.new.is_empty()
            && self.changed.is_empty()
            && self.gone.is_empty()
            && self.strengths_added.is_empty()
            && self.strengths_removed.is_empty()
            && self.matters_added.is_empty()
            && self.matters_removed.is_empty()
    }

    /// One clause per change, naming the person at the centre as `subject`
    /// ("new: food bank, strong, support to Mrs Jones").
    pub fn lines(&self, subject: &str) -> Vec<String> {
        let mut out = Vec::new();
        for tie in &self.new {
            let mut clause = format!("new: {}, {}", tie.who, tie.quality);
            if tie.support != SupportFlow::None {
                clause += &format!(", {}", support_words(&tie.support, subject));
            }
            out.push(clause);
        }
        for tie in &self.changed {
            let changes: Vec<String> =
                tie.changes.iter().map(|c| change_words(c, subject)).collect();
            out.push(format!("changed: {} {}", tie.who, changes.join(", ")));
        }
        out.extend(self.gone.iter().map(|tie| format!("gone: {}", tie.who)));
        out.extend(self.strengths_added.iter().map(|s| format!("new strength: {s}")));
        out.extend(self.strengths_removed.iter().map(|s| format!("strength gone: {s}")));
        out.extend(self.matters_added.iter().map(|s| format!("now matters: {s}")));
        out.extend(
            self.matters_removed.iter().map(|s| format!("no longer noted as mattering: {s}")),
        );
        out
    }

    /// The diff as one line of text naming the person at the centre.
    pub fn described<'a>(&'a self, subject: &'a str) -> Described<'a> {
        Described { diff: self, subject }
    }
}

/// A diff printed with the name of the person at the centre.
#[derive(Debug, Clone, Copy)]
pub struct Described<'a> {
    diff: &'a EcomapDiff,
    subject: &'a str,
}

impl fmt::Display for Described<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines = self.diff.lines(self.subject);
        if lines.is_empty() {
            return f.write_str("no changes");
        }
        f.write_str(&lines.join("; "))
    }
}

impl fmt::Display for EcomapDiff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.described("the person").fmt(f)
    }
}

fn support_words(support: &SupportFlow, subject: &str) -> String {
    match support {
        SupportFlow::ToSubject => format!("support to {subject}"),
        SupportFlow::FromSubject => format!("support from {subject}"),
        SupportFlow::Both => "support both ways".to_owned(),
        SupportFlow::None => "no support".to_owned(),
        SupportFlow::Other(other) => format!("support {other}"),
    }
}

fn change_words(change: &FieldChange, subject: &str) -> String {
    match change.field {
        TieField::Quality => format!("{} -> {}", change.from, change.to),
        TieField::Support => format!(
            "{} -> {}",
            support_words(&SupportFlow::from(change.from.as_str()), subject),
            support_words(&SupportFlow::from(change.to.as_str()), subject)
        ),
        TieField::Role => format!("role {} -> {}", change.from, change.to),
        TieField::Category => {
            format!("category {} -> {}", change.from.replace('_', " "), change.to.replace('_', " "))
        }
    }
}

#[cfg(test)]
mod tests {
    use doorstep_core::ids::PersonId;

    use super::*;

    fn tie(
        who: &str,
        category: TieCategory,
        quality: TieQuality,
        support: SupportFlow,
    ) -> EcomapTie {
        EcomapTie {
            id: TieId::new(),
            who: who.into(),
            aliases: Vec::new(),
            role: String::new(),
            category,
            quality,
            support,
            note: String::new(),
            domains: Vec::new(),
            evidence: None,
        }
    }

    fn point(text: &str) -> MapPoint {
        MapPoint { text: text.into(), domains: Vec::new(), evidence: None }
    }

    fn map(ties: Vec<EcomapTie>) -> Ecomap {
        Ecomap { ties, ..Ecomap::empty(PersonId::new()) }
    }

    #[test]
    fn new_changed_and_gone_ties_read_as_the_practitioner_says_them() {
        let partner =
            tie("ex-partner", TieCategory::Family, TieQuality::Tenuous, SupportFlow::None);
        let centre = tie(
            "day centre",
            TieCategory::SocialCare,
            TieQuality::Moderate,
            SupportFlow::ToSubject,
        );
        let karen = tie("Karen", TieCategory::Family, TieQuality::Strong, SupportFlow::ToSubject);
        let before = map(vec![partner.clone(), centre, karen]);
        let mut after = before.clone();
        after.ties.retain(|t| t.who != "day centre");
        after.ties[0].quality = TieQuality::Stressful;
        after.ties.push(tie(
            "food bank",
            TieCategory::Community,
            TieQuality::Strong,
            SupportFlow::ToSubject,
        ));

        let d = diff(&before, &after);
        assert_eq!(
            d.described("Mrs Jones").to_string(),
            "new: food bank, strong, support to Mrs Jones; changed: ex-partner tenuous -> \
             stressful; gone: day centre"
        );
        assert_eq!(d.changed[0].id, partner.id);
        assert_eq!(
            d.changed[0].changes,
            [FieldChange {
                field: TieField::Quality,
                from: "tenuous".into(),
                to: "stressful".into()
            }]
        );
        assert!(diff(&before, &before).is_empty());
        assert_eq!(diff(&before, &before).to_string(), "no changes");
    }

    #[test]
    fn every_reported_field_is_compared() {
        let mut friend =
            tie("Edna", TieCategory::Neighbour, TieQuality::Moderate, SupportFlow::ToSubject);
        friend.role = "neighbour".into();
        let before = map(vec![friend]);
        let mut after = before.clone();
        let edna = &mut after.ties[0];
        edna.support = SupportFlow::Both;
        edna.role = "friend".into();
        edna.category = TieCategory::Friend;
        edna.note = "a new practitioner's note is not a change of the tie".into();
        let d = diff(&before, &after);
        let fields: Vec<TieField> = d.changed[0].changes.iter().map(|c| c.field).collect();
        assert_eq!(fields, [TieField::Support, TieField::Role, TieField::Category]);
        assert_eq!(
            d.described("Joan").to_string(),
            "changed: Edna support to Joan -> support both ways, role neighbour -> friend, \
             category neighbour -> friend"
        );
    }

    #[test]
    fn ties_without_a_common_id_match_by_category_and_name() {
        let mut nan = tie("Nan", TieCategory::Family, TieQuality::Strong, SupportFlow::ToSubject);
        nan.aliases = vec!["Grandma Pat".into()];
        let before = map(vec![
            nan,
            tie("Gary", TieCategory::Friend, TieQuality::Moderate, SupportFlow::None),
        ]);
        // Read again from scratch: new ids, names said differently.
        let after = map(vec![
            tie("grandma pat", TieCategory::Family, TieQuality::Tenuous, SupportFlow::ToSubject),
            tie("Gary", TieCategory::Work, TieQuality::Moderate, SupportFlow::None),
        ]);
        let d = diff(&before, &after);
        assert_eq!(d.changed.len(), 1, "{d}");
        assert_eq!(d.changed[0].who, "grandma pat");
        // Same name in another category is another node.
        assert_eq!(d.new.iter().map(|t| t.who.as_str()).collect::<Vec<_>>(), ["Gary"]);
        assert_eq!(d.gone.iter().map(|t| t.who.as_str()).collect::<Vec<_>>(), ["Gary"]);
    }

    #[test]
    fn strengths_and_what_matters_are_compared_by_their_words() {
        let mut before = map(Vec::new());
        before.strengths = vec![point("Keeps her garden."), point("Cooks for herself")];
        before.matters = vec![point("her cat")];
        let mut after = before.clone();
        after.strengths = vec![point("keeps her garden"), point("walks to the shop")];
        after.matters.push(point("seeing her grandchildren"));
        let d = diff(&before, &after);
        assert_eq!(d.strengths_added, ["walks to the shop"]);
        assert_eq!(d.strengths_removed, ["Cooks for herself"]);
        assert_eq!(d.matters_added, ["seeing her grandchildren"]);
        assert!(d.matters_removed.is_empty());
        assert_eq!(
            d.lines("Joan"),
            [
                "new strength: walks to the shop",
                "strength gone: Cooks for herself",
                "now matters: seeing her grandchildren"
            ]
        );
    }

    #[test]
    fn a_diff_serialises_with_plain_values() {
        let before = map(Vec::new());
        let after = map(vec![tie(
            "food bank",
            TieCategory::Community,
            TieQuality::Strong,
            SupportFlow::ToSubject,
        )]);
        let json = serde_json::to_value(diff(&before, &after)).unwrap();
        assert_eq!(json["new"][0]["who"], "food bank");
        assert_eq!(json["new"][0]["category"], "community");
        assert_eq!(json["new"][0]["support"], "to_subject");
        assert_eq!(json["changed"], serde_json::json!([]));
        let changed = TieChange {
            id: TieId::new(),
            who: "x".into(),
            changes: vec![FieldChange {
                field: TieField::Quality,
                from: "a".into(),
                to: "b".into(),
            }],
        };
        assert_eq!(serde_json::to_value(changed).unwrap()["changes"][0]["field"], "quality");
    }

    #[test]
    fn a_tie_with_no_support_and_names_in_any_script_read_plainly() {
        let before = map(Vec::new());
        let after =
            map(vec![tie("جدتي 👵", TieCategory::Family, TieQuality::Broken, SupportFlow::None)]);
        assert_eq!(diff(&before, &after).described("سارة").to_string(), "new: جدتي 👵, broken");
    }
}
