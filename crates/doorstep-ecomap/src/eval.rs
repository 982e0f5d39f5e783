//! Scoring ecomap extraction against labelled notes, as `shared/eval/README.md` defines it: a
//! predicted tie matches a labelled one when the category is equal and `who` or `role` share a
//! word (ignoring articles and possessives), each labelled tie matching at most one prediction;
//! precision, recall and F1 of matches, and the accuracy of quality and support on the matches.
//! Used by `doorstep eval ecomap` (on an organisation's own labelled notes too) and the tests.

use std::collections::{BTreeMap, HashMap};

use doorstep_core::ids::PersonId;
use doorstep_core::model::Ecomap;
use serde::{Deserialize, Serialize};

use crate::error::EcomapError;
use crate::extract::{Extractor, SuggestedTie};
use crate::merge;

/// What the scoring needs of a `notes.jsonl` line.
#[derive(Debug, Clone, Deserialize)]
pub struct LabelledNote {
    pub id: String,
    pub subject: String,
    #[serde(default)]
    pub date: Option<String>,
    pub text: String,
    #[serde(default)]
    pub ties: Vec<LabelledTie>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct LabelledTie {
    pub who: String,
    pub role: String,
    pub category: String,
    pub quality: String,
    pub support: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct EcomapScores {
    pub notes: usize,
    pub labelled: usize,
    pub predicted: usize,
    pub matched: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub quality_accuracy: f64,
    pub support_accuracy: f64,
    pub errors: Vec<NoteTieErrors>,
}

/// Where one note's prediction went wrong.
#[derive(Debug, Clone, Serialize)]
pub struct NoteTieErrors {
    pub id: String,
    /// Labelled ties nothing matched: "who (category)".
    pub missed: Vec<String>,
    /// Predicted ties matching nothing.
    pub extra: Vec<String>,
    /// Matched ties with a different quality or support: "who: quality strong -> moderate".
    pub wrong: Vec<String>,
}

const IGNORED: &[&str] =
    &["the", "a", "an", "her", "his", "their", "my", "our", "your", "its", "s"];

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .map(|w| {
            w.trim_end_matches("'s").trim_end_matches("’s").trim_matches(['\'', '’']).to_lowercase()
        })
        .filter(|w| !w.is_empty() && !IGNORED.contains(&w.as_str()))
        .collect()
}

fn share_word(a: &[String], b: &[String]) -> bool {
    a.iter().any(|w| b.contains(w))
}

fn matches(gold: &LabelledTie, got: &SuggestedTie) -> bool {
    if gold.category != got.category.as_str() {
        return false;
    }
    let gold_words = [words(&gold.who), words(&gold.role)].concat();
    let got_words = [words(&got.who), words(&got.role)].concat();
    share_word(&gold_words, &got_words)
}

/// The largest matching between labelled and predicted ties (augmenting paths).
fn best_matching(gold: &[LabelledTie], got: &[SuggestedTie]) -> Vec<Option<usize>> {
    let edges: Vec<Vec<usize>> =
        gold.iter().map(|g| (0..got.len()).filter(|&p| matches(g, &got[p])).collect()).collect();
    let mut owner: Vec<Option<usize>> = vec![None; got.len()];
    fn augment(
        g: usize,
        edges: &[Vec<usize>],
        owner: &mut [Option<usize>],
        seen: &mut [bool],
    ) -> bool {
        for &p in &edges[g] {
            if seen[p] {
                continue;
            }
            seen[p] = true;
            if owner[p].is_none_or(|other| augment(other, edges, owner, seen)) {
                owner[p] = Some(g);
                return true;
            }
        }
        false
    }
    for g in 0..gold.len() {
        let mut seen = vec![false; got.len()];
        augment(g, &edges, &mut owner, &mut seen);
    }
    let mut of_gold = vec![None; gold.len()];
    for (p, g) in owner.iter().enumerate() {
        if let Some(g) = g {
            of_gold[*g] = Some(p);
        }
    }
    of_gold
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Scores predicted ties (by note id) against the labels.
pub fn score(
    labelled: &[LabelledNote],
    predicted: &HashMap<String, Vec<SuggestedTie>>,
) -> EcomapScores {
    let (mut gold_n, mut got_n, mut matched, mut quality_ok, mut support_ok) = (0, 0, 0, 0, 0);
    let mut errors = Vec::new();
    for note in labelled {
        let got = predicted.get(&note.id).map_or(&[][..], Vec::as_slice);
        let pairs = best_matching(&note.ties, got);
        gold_n += note.ties.len();
        got_n += got.len();
        let mut e =
            NoteTieErrors { id: note.id.clone(), missed: vec![], extra: vec![], wrong: vec![] };
        for (g, p) in pairs.iter().enumerate() {
            let gold = &note.ties[g];
            let Some(p) = p else {
                e.missed.push(format!("{} ({})", gold.who, gold.category));
                continue;
            };
            matched += 1;
            let got = &got[*p];
            if got.quality.as_str() == gold.quality {
                quality_ok += 1;
            } else {
                e.wrong.push(format!(
                    "{}: quality {} -> {} ({})",
                    gold.who, gold.quality, got.quality, got.evidence.text
                ));
            }
            if got.support.as_str() == gold.support {
                support_ok += 1;
            } else {
                e.wrong.push(format!(
                    "{}: support {} -> {} ({})",
                    gold.who, gold.support, got.support, got.evidence.text
                ));
            }
        }
        for (p, tie) in got.iter().enumerate() {
            if !pairs.contains(&Some(p)) {
                e.extra.push(format!("{} ({}, {})", tie.who, tie.role, tie.category));
            }
        }
        if !(e.missed.is_empty() && e.extra.is_empty() && e.wrong.is_empty()) {
            errors.push(e);
        }
    }
    let precision = ratio(matched, got_n);
    let recall = ratio(matched, gold_n);
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    EcomapScores {
        notes: labelled.len(),
        labelled: gold_n,
        predicted: got_n,
        matched,
        precision,
        recall,
        f1,
        quality_accuracy: ratio(quality_ok, matched),
        support_accuracy: ratio(support_ok, matched),
        errors,
    }
}

/// Reads every note as Doorstep does in use: each person's notes in date order, each read
/// knowing the map the earlier ones built, so a bare name is recognised.
pub fn predict(
    extractor: &Extractor<'_>,
    labelled: &[LabelledNote],
) -> Result<HashMap<String, Vec<SuggestedTie>>, EcomapError> {
    let mut by_subject: BTreeMap<&str, Vec<&LabelledNote>> = BTreeMap::new();
    for note in labelled {
        by_subject.entry(note.subject.as_str()).or_default().push(note);
    }
    let mut out = HashMap::new();
    for (subject, mut notes) in by_subject {
        notes.sort_by(|a, b| a.date.cmp(&b.date));
        let mut map = Ecomap::empty(PersonId::new());
        for note in notes {
            let suggestion = extractor.suggest_with(&note.text, Some(subject), Some(&map))?;
            merge::fold(&mut map, None, &suggestion, &[]);
            out.insert(note.id.clone(), suggestion.ties);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_ignore_articles_and_possessives() {
        assert_eq!(words("Her daughter's friend, the GP"), ["daughter", "friend", "gp"]);
    }
}
