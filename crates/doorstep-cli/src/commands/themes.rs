//! `doorstep themes ...`: the taxonomy notes are tagged and searched by.

use std::path::Path;

use anyhow::Context as _;
use doorstep_themes::{Taxonomy, Theme};
use serde::Serialize;

use super::Context;
use crate::cli::ThemesCommand;
use crate::output::table;

pub fn run(cx: &Context, command: ThemesCommand) -> anyhow::Result<()> {
    match command {
        ThemesCommand::List { extra } => list(cx, &load(extra.as_deref())?),
    }
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
