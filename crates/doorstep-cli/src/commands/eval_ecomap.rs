//! `doorstep eval ecomap`: how well ties are read from an organisation's own labelled notes.

use std::path::Path;

use doorstep_ecomap::eval::{LabelledNote, predict, score};
use doorstep_ecomap::{Extractor, Lexicon};

use super::Context;
use super::search::read_labelled;

pub fn run(cx: &Context, notes: &Path) -> anyhow::Result<()> {
    let labelled: Vec<LabelledNote> = read_labelled(notes)?;
    let lexicon = Lexicon::built_in()?;
    let taxonomy = doorstep_themes::Taxonomy::builtin()?;
    let predicted = predict(&Extractor::with_strengths(&lexicon, &taxonomy), &labelled)?;
    cx.out.json(&score(&labelled, &predicted))
}
