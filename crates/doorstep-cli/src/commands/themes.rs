//! `doorstep themes ...`: the taxonomy notes are tagged and searched by.

use std::io::Read as _;
use std::path::Path;

use anyhow::Context as _;
use doorstep_core::model::TagReview;
use doorstep_ecomap::{Extractor, Lexicon};
use doorstep_themes::{Tag, Tagger, Taxonomy, Theme};
use serde::Serialize;

use super::Context;
use crate::cli::ThemesCommand;
use crate::output::table;

pub fn run(cx: &Context, command: ThemesCommand) -> anyhow::Result<()> {
    match command {
        ThemesCommand::List { extra } => list(cx, &load(extra.as_deref())?),
        ThemesCommand::Tag { extra } => tag(cx, &load(extra.as_deref())?),
        ThemesCommand::Confirm { note, theme } => {
            super::search::review(cx, &note, &theme, &TagReview::Confirmed)
        }
        ThemesCommand::Reject { note, theme } => {
            super::search::review(cx, &note, &theme, &TagReview::Rejected)
        }
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
    // The strengths the note's ties show, as indexing offers them (see doorstep-search's kit).
    let lexicon = Lexicon::built_in().context("the built-in ecomap lexicon")?;
    let offered = Extractor::new(&lexicon).helping(&text);
    let tags = Tagger::new(taxonomy).tag_with_meaning(&text, &offered);
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
