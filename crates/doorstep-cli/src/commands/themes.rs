//! `doorstep themes ...`: the taxonomy notes are tagged and searched by.

use std::collections::BTreeSet;
use std::io::Read as _;
use std::path::Path;

use anyhow::Context as _;
use doorstep_themes::{Tag, Tagger, Taxonomy, Theme};
use serde::{Deserialize, Serialize};

use super::Context;
use crate::cli::{EvalCommand, ThemesCommand};
use crate::output::table;

pub fn run(cx: &Context, command: ThemesCommand) -> anyhow::Result<()> {
    match command {
        ThemesCommand::List { extra } => list(cx, &load(extra.as_deref())?),
        ThemesCommand::Tag { extra } => tag(cx, &load(extra.as_deref())?),
    }
}

pub fn eval(cx: &Context, command: EvalCommand) -> anyhow::Result<()> {
    match command {
        EvalCommand::Themes { notes } => eval_themes(cx, &load(None)?, &notes),
    }
}

#[derive(Serialize)]
struct Tagged<'a> {
    themes: &'a [Tag],
}

fn tag(cx: &Context, taxonomy: &Taxonomy) -> anyhow::Result<()> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .context("cannot read standard input as UTF-8 text")?;
    let tags = Tagger::new(taxonomy).tag(&text);
    if cx.out.json {
        return cx.out.json(&Tagged { themes: &tags });
    }
    let rows: Vec<Vec<String>> = tags
        .iter()
        .map(|t| {
            let evidence: Vec<&str> = t.evidence.iter().map(|e| e.text.as_str()).collect();
            vec![t.id.to_string(), format!("{:.2}", t.confidence), evidence.join(" | ")]
        })
        .collect();
    cx.out.text(&table(&["THEME", "CONFIDENCE", "EVIDENCE"], &rows))
}

#[derive(Deserialize)]
struct LabelledNote {
    id: String,
    text: String,
    #[serde(default)]
    themes: Vec<String>,
    #[serde(default)]
    ruled_out: Vec<String>,
}

#[derive(Serialize)]
struct ThemeScores {
    notes: usize,
    precision: f64,
    recall: f64,
    f1: f64,
    ruled_out: usize,
    ruled_out_tagged: usize,
    ruled_out_tagged_share: f64,
    errors: Vec<NoteErrors>,
}

#[derive(Serialize)]
struct NoteErrors {
    id: String,
    missed: Vec<String>,
    extra: Vec<String>,
}

fn eval_themes(cx: &Context, taxonomy: &Taxonomy, path: &Path) -> anyhow::Result<()> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let tagger = Tagger::new(taxonomy);
    let (mut tp, mut fp, mut fn_, mut ruled, mut ruled_tagged) = (0, 0, 0, 0, 0);
    let mut errors = Vec::new();
    let mut notes = 0;
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let note: LabelledNote = serde_json::from_str(line)
            .with_context(|| format!("{} line {}: not a labelled note", path.display(), n + 1))?;
        notes += 1;
        let got: BTreeSet<String> =
            tagger.tag(&note.text).into_iter().map(|t| t.id.to_string()).collect();
        let want: BTreeSet<String> = note.themes.into_iter().collect();
        let missed: Vec<String> = want.difference(&got).cloned().collect();
        let extra: Vec<String> = got.difference(&want).cloned().collect();
        tp += got.len() - extra.len();
        fp += extra.len();
        fn_ += missed.len();
        ruled += note.ruled_out.len();
        ruled_tagged += note.ruled_out.iter().filter(|r| got.contains(*r)).count();
        if !missed.is_empty() || !extra.is_empty() {
            errors.push(NoteErrors { id: note.id, missed, extra });
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let (precision, recall) = (ratio(tp, tp + fp), ratio(tp, tp + fn_));
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    let scores = ThemeScores {
        notes,
        precision,
        recall,
        f1,
        ruled_out: ruled,
        ruled_out_tagged: ruled_tagged,
        ruled_out_tagged_share: ratio(ruled_tagged, ruled),
        errors,
    };
    cx.out.json(&scores)
}

/// The built-in taxonomy, with a practice's own file added when one is given.
pub fn load(extra: Option<&Path>) -> anyhow::Result<Taxonomy> {
    let mut taxonomy = Taxonomy::builtin().context("the built-in theme taxonomy")?;
    if let Some(path) = extra {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the taxonomy file {}", path.display()))?;
        taxonomy.extend_with(&text).with_context(|| format!("{}", path.display()))?;
    }
    Ok(taxonomy)
}

#[derive(Serialize)]
struct Listed<'a> {
    themes: &'a [Theme],
}

fn list(cx: &Context, taxonomy: &Taxonomy) -> anyhow::Result<()> {
    if cx.out.json {
        return cx.out.json(&Listed { themes: taxonomy.themes() });
    }
    let rows: Vec<Vec<String>> = taxonomy
        .themes()
        .iter()
        .map(|t| {
            vec![
                t.id.to_string(),
                t.label.clone(),
                t.parent.as_ref().map(ToString::to_string).unwrap_or_default(),
                format!("{:?}", t.kind).to_lowercase(),
                t.acronyms.join(" "),
                (t.synonyms.len() + t.cues.len()).to_string(),
            ]
        })
        .collect();
    cx.out.text(&table(&["ID", "LABEL", "PARENT", "KIND", "ACRONYMS", "WORDS"], &rows))
}
