//! Scoring against labelled notes and queries, as `shared/eval/README.md` defines it: theme
//! micro precision, recall and F1 with the share of ruled-out themes tagged; search recall@10
//! and nDCG@10 with binary relevance. Used by `doorstep eval` (on an organisation's own labelled
//! notes too) and by the tests.

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

/// A labelled note: what the scoring needs of a `notes.jsonl` line.
#[derive(Debug, Clone, Deserialize)]
pub struct LabelledNote {
    pub id: String,
    #[serde(default)]
    pub themes: Vec<String>,
    #[serde(default)]
    pub ruled_out: Vec<String>,
}

/// A labelled query: a `queries.jsonl` line.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct LabelledQuery {
    pub q: String,
    pub relevant: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ThemeScores {
    pub notes: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub ruled_out: usize,
    pub ruled_out_tagged: usize,
    pub ruled_out_tagged_share: f64,
    pub errors: Vec<NoteErrors>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NoteErrors {
    pub id: String,
    pub missed: Vec<String>,
    pub extra: Vec<String>,
}

/// Scores predicted themes (by note id) against the labels.
pub fn score_themes(
    labelled: &[LabelledNote],
    predicted: &HashMap<String, BTreeSet<String>>,
) -> ThemeScores {
    let empty = BTreeSet::new();
    let (mut tp, mut fp, mut fn_, mut ruled, mut ruled_tagged) = (0, 0, 0, 0, 0);
    let mut errors = Vec::new();
    for note in labelled {
        let got = predicted.get(&note.id).unwrap_or(&empty);
        let want: BTreeSet<String> = note.themes.iter().cloned().collect();
        let missed: Vec<String> = want.difference(got).cloned().collect();
        let extra: Vec<String> = got.difference(&want).cloned().collect();
        tp += got.len() - extra.len();
        fp += extra.len();
        fn_ += missed.len();
        ruled += note.ruled_out.len();
        ruled_tagged += note.ruled_out.iter().filter(|r| got.contains(*r)).count();
        if !missed.is_empty() || !extra.is_empty() {
            errors.push(NoteErrors { id: note.id.clone(), missed, extra });
        }
    }
    let (precision, recall) = (ratio(tp, tp + fp), ratio(tp, tp + fn_));
    ThemeScores {
        notes: labelled.len(),
        precision,
        recall,
        f1: harmonic(precision, recall),
        ruled_out: ruled,
        ruled_out_tagged: ruled_tagged,
        ruled_out_tagged_share: ratio(ruled_tagged, ruled),
        errors,
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchScores {
    pub queries: usize,
    pub recall_at_10: f64,
    pub ndcg_at_10: f64,
    pub per_query: Vec<QueryScore>,
}

#[derive(Debug, Clone, Serialize)]
pub struct QueryScore {
    pub q: String,
    pub recall_at_10: f64,
    pub ndcg_at_10: f64,
    /// Relevant notes not in the top 10.
    pub missed: Vec<String>,
}

/// Scores each query's ranked note ids against its relevant ones.
pub fn score_search(queries: &[LabelledQuery], ranked: &[Vec<String>]) -> SearchScores {
    let per_query: Vec<QueryScore> = queries
        .iter()
        .zip(ranked)
        .map(|(query, got)| {
            let top: Vec<&String> = got.iter().take(10).collect();
            let relevant = |id: &String| query.relevant.contains(id);
            let found = top.iter().filter(|id| relevant(id)).count();
            let ideal = query.relevant.len().min(10);
            let dcg: f64 = top
                .iter()
                .enumerate()
                .filter(|(_, id)| relevant(id))
                .map(|(rank, _)| 1.0 / (rank as f64 + 2.0).log2())
                .sum();
            let idcg: f64 = (0..ideal).map(|rank| 1.0 / (rank as f64 + 2.0).log2()).sum();
            QueryScore {
                q: query.q.clone(),
                recall_at_10: ratio(found, ideal),
                ndcg_at_10: if idcg == 0.0 { 0.0 } else { dcg / idcg },
                missed: query.relevant.iter().filter(|id| !top.contains(id)).cloned().collect(),
            }
        })
        .collect();
    let mean = |f: fn(&QueryScore) -> f64| {
        if per_query.is_empty() {
            0.0
        } else {
            per_query.iter().map(f).sum::<f64>() / per_query.len() as f64
        }
    };
    SearchScores {
        queries: per_query.len(),
        recall_at_10: mean(|q| q.recall_at_10),
        ndcg_at_10: mean(|q| q.ndcg_at_10),
        per_query,
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

fn harmonic(p: f64, r: f64) -> f64 {
    if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn theme_scores_count_every_difference_once() {
        let labelled = vec![
            LabelledNote {
                id: "a".into(),
                themes: vec!["x".into(), "y".into()],
                ruled_out: vec!["z".into()],
            },
            LabelledNote { id: "b".into(), themes: vec![], ruled_out: vec!["x".into()] },
        ];
        let predicted: HashMap<String, BTreeSet<String>> =
            [("a".to_owned(), ["x".to_owned(), "z".to_owned()].into())].into();
        let s = score_themes(&labelled, &predicted);
        assert_eq!((s.precision, s.recall, s.ruled_out, s.ruled_out_tagged), (0.5, 0.5, 2, 1));
    }

    #[test]
    fn search_scores_follow_the_readme() {
        let queries = vec![
            LabelledQuery { q: "a".into(), relevant: vec!["1".into(), "2".into()] },
            LabelledQuery { q: "b".into(), relevant: vec!["9".into()] },
        ];
        let ranked = vec![vec!["1".into(), "3".into(), "2".into()], vec!["3".into()]];
        let s = score_search(&queries, &ranked);
        assert_eq!(s.per_query[0].recall_at_10, 1.0);
        let ndcg = (1.0 + 1.0 / 4f64.log2()) / (1.0 + 1.0 / 3f64.log2());
        assert!((s.per_query[0].ndcg_at_10 - ndcg).abs() < 1e-9);
        assert_eq!(
            (s.per_query[1].recall_at_10, s.per_query[1].missed.clone()),
            (0.0, vec!["9".to_owned()])
        );
    }
}
