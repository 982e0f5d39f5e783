//! Scoring ecomap extraction against labelled notes, as `shared/eval/README.md` defines it: a
//! predicted tie matches a labelled one when the category is equal and `who` or `role` share a
//! word (ignoring articles and possessives), each labelled tie matching at most one prediction;
//! precision, recall and F1 of matches, and the accuracy of quality and support on the matches.
//! Among the largest matchings the one pairing ties by name is chosen (see [`best_matching`]), so
//! quality and support are scored on the tie the prediction names, not on one sharing a role word.
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

/// Words of `who` that look like a name: capitalised in the note and not a role word the
/// labels also use for roles ("Mum", "Nan" are both, so they count when both sides say them).
fn name_words(who: &str) -> Vec<String> {
    who.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .map(|w| w.trim_end_matches("'s").trim_end_matches("’s").to_lowercase())
        .filter(|w| !w.is_empty() && !IGNORED.contains(&w.as_str()))
        .collect()
}

/// How well a prediction fits a labelled tie, 0 when it does not match at all. The README's
/// rule decides whether they match (same category, `who` or `role` sharing a word); the
/// strength only chooses among equally large matchings, so a prediction is credited to the
/// tie it names rather than to one it shares a role word with: the same `who` (3), a shared
/// name or `who` word (2), only a shared role word (1).
fn strength(gold: &LabelledTie, got: &SuggestedTie) -> u32 {
    if gold.category != got.category.as_str() {
        return 0;
    }
    let (gold_who, got_who) = (words(&gold.who), words(&got.who));
    let gold_words = [gold_who.clone(), words(&gold.role)].concat();
    let got_words = [got_who.clone(), words(&got.role)].concat();
    if !share_word(&gold_words, &got_words) {
        return 0;
    }
    let gold_names = name_words(&gold.who);
    let said = std::iter::once(&got.who).chain(&got.aliases);
    if said.clone().any(|a| words(a) == gold_who)
        || said.into_iter().any(|a| share_word(&gold_names, &name_words(a)))
    {
        3
    } else if share_word(&gold_who, &got_who) {
        2
    } else {
        1
    }
}

/// One-to-one matching of labelled and predicted ties: as many matches as possible (the
/// README's count), and among those the one with the greatest total [`strength`], so which
/// prediction a labelled tie is paired with (and so the quality and support scored) does not
/// depend on the order ties were listed. Hungarian method on a square cost matrix; a note
/// holds a few dozen ties at most.
fn best_matching(gold: &[LabelledTie], got: &[SuggestedTie]) -> Vec<Option<usize>> {
    let n = gold.len().max(got.len());
    if gold.is_empty() || got.is_empty() {
        return vec![None; gold.len()];
    }
    // Any match outweighs every difference in strength: (3 - 0) * n < BIG.
    let big = 4 * n as i64 + 1;
    let weight = |g: usize, p: usize| -> i64 {
        if g >= gold.len() || p >= got.len() {
            return 0;
        }
        match strength(&gold[g], &got[p]) {
            0 => 0,
            s => big + i64::from(s),
        }
    };
    let of_gold = assign(n, |g, p| -weight(g, p));
    (0..gold.len()).map(|g| of_gold[g].filter(|&p| p < got.len() && weight(g, p) > 0)).collect()
}

/// Minimum-cost perfect assignment of an `n` x `n` matrix (rows to columns), O(n³).
fn assign(n: usize, cost: impl Fn(usize, usize) -> i64) -> Vec<Option<usize>> {
    const INF: i64 = i64::MAX / 4;
    // 1-based potentials and matches, column 0 a sentinel.
    let (mut u, mut v) = (vec![0i64; n + 1], vec![0i64; n + 1]);
    let (mut row_of, mut way) = (vec![0usize; n + 1], vec![0usize; n + 1]);
    for row in 1..=n {
        row_of[0] = row;
        let mut col0 = 0;
        let mut min = vec![INF; n + 1];
        let mut used = vec![false; n + 1];
        loop {
            used[col0] = true;
            let r = row_of[col0];
            let (mut delta, mut col1) = (INF, 0);
            for c in 1..=n {
                if used[c] {
                    continue;
                }
                let cur = cost(r - 1, c - 1) - u[r] - v[c];
                if cur < min[c] {
                    min[c] = cur;
                    way[c] = col0;
                }
                if min[c] < delta {
                    delta = min[c];
                    col1 = c;
                }
            }
            for c in 0..=n {
                if used[c] {
                    u[row_of[c]] += delta;
                    v[c] -= delta;
                } else {
                    min[c] -= delta;
                }
            }
            col0 = col1;
            if row_of[col0] == 0 {
                break;
            }
        }
        loop {
            let prev = way[col0];
            row_of[col0] = row_of[prev];
            col0 = prev;
            if col0 == 0 {
                break;
            }
        }
    }
    let mut of_row = vec![None; n];
    for c in 1..=n {
        if row_of[c] > 0 {
            of_row[row_of[c] - 1] = Some(c - 1);
        }
    }
    of_row
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
    use doorstep_core::model::{SupportFlow, TieCategory, TieQuality};

    use super::*;
    use crate::extract::Passage;

    #[test]
    fn words_ignore_articles_and_possessives() {
        assert_eq!(words("Her daughter's friend, the GP"), ["daughter", "friend", "gp"]);
    }

    fn gold(who: &str, role: &str, category: &str) -> LabelledTie {
        LabelledTie {
            who: who.into(),
            role: role.into(),
            category: category.into(),
            quality: "moderate".into(),
            support: "none".into(),
        }
    }

    fn got(who: &str, role: &str, category: &str, aliases: &[&str]) -> SuggestedTie {
        SuggestedTie {
            who: who.into(),
            role: role.into(),
            category: TieCategory::from(category),
            quality: TieQuality::Moderate,
            support: SupportFlow::None,
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            domains: vec![],
            evidence: Passage { start: 0, end: 0, text: String::new() },
            help: None,
        }
    }

    #[test]
    fn a_prediction_goes_to_the_tie_it_names_not_one_sharing_a_role_word() {
        let labels = [
            gold("Wayne (mother's boyfriend)", "mother's boyfriend", "family"),
            gold("her mum", "mother", "family"),
        ];
        // Only Mum was found: she is credited to "her mum", whichever is listed first.
        let found = [got("Mum", "mother", "family", &[])];
        assert_eq!(best_matching(&labels, &found), [None, Some(0)]);
        let reversed = [labels[1].clone(), labels[0].clone()];
        assert_eq!(best_matching(&reversed, &found), [Some(0), None]);
    }

    #[test]
    fn names_and_aliases_pair_before_shared_roles() {
        let labels = [gold("Karen", "daughter", "family"), gold("Sue", "daughter", "family")];
        let found = [
            got("her daughter", "daughter", "family", &["Sue"]),
            got("Karen", "daughter", "family", &[]),
        ];
        assert_eq!(best_matching(&labels, &found), [Some(1), Some(0)]);
    }

    #[test]
    fn the_number_of_matches_comes_before_their_strength() {
        // Karen/daughter fits the first label best, but pairing it there would leave the
        // second label unmatched; the README counts matches, so both are matched.
        let labels =
            [gold("Karen", "daughter", "family"), gold("her eldest", "daughter", "family")];
        let found = [got("Karen", "daughter", "family", &[]), got("Karen", "child", "family", &[])];
        assert_eq!(best_matching(&labels, &found), [Some(1), Some(0)]);
    }

    #[test]
    fn category_must_agree_and_a_word_must_be_shared() {
        let labels = [gold("the GP", "doctor", "health"), gold("Dev", "brother", "family")];
        let found = [got("GP", "gp", "social_care", &[]), got("Raj", "cousin", "family", &[])];
        assert_eq!(best_matching(&labels, &found), [None, None]);
        assert_eq!(best_matching(&labels, &[]), [None, None]);
        assert!(best_matching(&[], &found).is_empty());
    }

    #[test]
    fn more_predictions_than_labels() {
        let labels = [gold("the food bank", "food bank", "community")];
        let found = [
            got("church", "church", "community", &[]),
            got("food bank", "food bank", "community", &[]),
            got("Ann", "friend", "friend", &[]),
        ];
        assert_eq!(best_matching(&labels, &found), [Some(1)]);
    }
}
