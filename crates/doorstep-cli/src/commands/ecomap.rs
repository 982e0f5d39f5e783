//! `doorstep ecomap ...`: a person's strengths ecomap, proposed from the notes their map has not
//! read, confirmed (with corrections) as a new version, and compared across versions. Each
//! command is a few lines over doorstep-ecomap and the store.

use std::io::Read as _;

use anyhow::{Context as _, bail};
use doorstep_app::ecomap::PersonMap;
use doorstep_core::ids::NoteId;
use doorstep_core::model::{Ecomap, EcomapTie, EcomapVersion, MapPoint, Person};
use doorstep_core::store::{EcomapVersionSummary, Store};
use doorstep_ecomap::diff::{EcomapDiff, diff};
use doorstep_ecomap::edit::{self, SetTie};
use doorstep_ecomap::proposal::UnreadableNote;
use doorstep_ecomap::{Extractor, Lexicon, Suggestion};
use serde::Serialize;

use super::Context;
use crate::cli::EcomapCommand;
use crate::output::{preview, table};

pub fn run(cx: &Context, command: EcomapCommand) -> anyhow::Result<()> {
    match command {
        EcomapCommand::Suggest { subject } => suggest(cx, subject.as_deref()),
        EcomapCommand::Show { person, svg, png } => {
            show(cx, &person, svg.as_deref(), png.as_deref())
        }
        EcomapCommand::Confirm { person, reject, set } => confirm(cx, &person, &reject, &set),
        EcomapCommand::History { person } => history(cx, &person),
        EcomapCommand::Diff { person, from, to } => compare(cx, &person, from, to),
    }
}

fn suggest(cx: &Context, subject: Option<&str>) -> anyhow::Result<()> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .context("cannot read standard input as UTF-8 text")?;
    let lexicon = Lexicon::built_in()?;
    let taxonomy = doorstep_themes::Taxonomy::builtin()?;
    let suggestion = Extractor::with_strengths(&lexicon, &taxonomy).suggest(&text, subject)?;
    if cx.out.json {
        return cx.out.json(&suggestion);
    }
    cx.out.text(&suggestion_text(&suggestion))
}

fn suggestion_text(suggestion: &Suggestion) -> String {
    if suggestion.ties.is_empty()
        && suggestion.strengths.is_empty()
        && suggestion.matters.is_empty()
    {
        return "No ties, strengths or things that matter found.".to_owned();
    }
    let rows: Vec<Vec<String>> = suggestion
        .ties
        .iter()
        .map(|t| {
            vec![
                t.who.clone(),
                t.role.clone(),
                t.category.to_string(),
                t.quality.to_string(),
                t.support.to_string(),
                preview(&t.evidence.text, 60),
            ]
        })
        .collect();
    let mut out = table(&["WHO", "ROLE", "CATEGORY", "QUALITY", "SUPPORT", "EVIDENCE"], &rows);
    for (heading, points) in
        [("Strengths", &suggestion.strengths), ("What matters", &suggestion.matters)]
    {
        if !points.is_empty() {
            let texts: Vec<&str> = points.iter().map(|p| p.text.as_str()).collect();
            out += &format!("{heading}: {}\n", texts.join("; "));
        }
    }
    out
}

/// A person's map with the built-in lexicon and taxonomy, warning of notes it could not read.
fn load_map(store: &Store, query: &str) -> anyhow::Result<PersonMap> {
    let lexicon = Lexicon::built_in()?;
    let taxonomy = doorstep_themes::Taxonomy::builtin()?;
    let state = PersonMap::load(store, query, &lexicon, &taxonomy)?;
    for unreadable in &state.proposal.unreadable {
        eprintln!("warning: {unreadable}");
    }
    Ok(state)
}

#[derive(Serialize)]
struct PersonRef<'a> {
    id: String,
    name: &'a str,
}

impl<'a> PersonRef<'a> {
    fn of(person: &'a Person) -> Self {
        Self { id: person.id.to_string(), name: &person.name }
    }
}

#[derive(Serialize)]
struct UnreadableView {
    note: NoteId,
    external_id: Option<String>,
    reason: String,
}

fn unreadable_views(unreadable: &[UnreadableNote]) -> Vec<UnreadableView> {
    unreadable
        .iter()
        .map(|u| UnreadableView {
            note: u.note,
            external_id: u.external_id.clone(),
            reason: u.reason.clone(),
        })
        .collect()
}

#[derive(Serialize)]
struct ProposalView<'a> {
    map: &'a Ecomap,
    notes_read: &'a [NoteId],
}

#[derive(Serialize)]
struct ShowView<'a> {
    person: PersonRef<'a>,
    confirmed: Option<&'a EcomapVersion>,
    /// `None` when no note is waiting to be read.
    proposal: Option<ProposalView<'a>>,
    /// From the confirmed map to the proposal.
    diff: Option<EcomapDiff>,
    unreadable: Vec<UnreadableView>,
}

fn show(
    cx: &Context,
    query: &str,
    svg: Option<&std::path::Path>,
    png: Option<&std::path::Path>,
) -> anyhow::Result<()> {
    let unlocked = cx.unlock()?;
    let state = load_map(&unlocked.store, query)?;
    let pending = state.pending();
    let changes = pending.then(|| diff(&state.confirmed_map(), &state.proposal.map));
    let shown = if pending { state.proposal.map.clone() } else { state.confirmed_map() };
    draw(&shown, &state.person.name, svg, png)?;
    if cx.out.json {
        return cx.out.json(&ShowView {
            person: PersonRef::of(&state.person),
            confirmed: state.confirmed.as_ref(),
            proposal: pending.then(|| ProposalView {
                map: &state.proposal.map,
                notes_read: &state.proposal.read,
            }),
            diff: changes,
            unreadable: unreadable_views(&state.proposal.unreadable),
        });
    }
    let name = &state.person.name;
    let mut out = format!("{name}'s ecomap\n");
    match &state.confirmed {
        Some(v) => {
            out += &format!(
                "Confirmed: version {} on {} ({} ties)\n",
                v.version,
                v.confirmed_at.format("%Y-%m-%d %H:%M"),
                v.map.ties.len()
            );
        }
        None => out += "Confirmed: none yet\n",
    }
    if let Some(changes) = &changes {
        let notes = state.proposal.read.len();
        out += &format!(
            "\nProposed from {notes} note{} not read yet:\n",
            if notes == 1 { "" } else { "s" }
        );
        for line in changes.lines(name) {
            out += &format!("  {line}\n");
        }
        if changes.is_empty() {
            out += "  no changes\n";
        }
    } else if state.proposal.unreadable.is_empty() {
        out += "Nothing new to propose: every note has been read into the map.\n";
    } else {
        out += "Nothing new to propose: the notes not read yet could not be read (see above).\n";
    }
    out += "\n";
    out += &map_text(&shown);
    if pending {
        out += &format!("\nTo keep it: doorstep ecomap confirm {}\n", quoted(name));
    }
    cx.out.text(&out)
}

/// Writes the drawing of `map` where asked.
fn draw(
    map: &Ecomap,
    name: &str,
    svg: Option<&std::path::Path>,
    png: Option<&std::path::Path>,
) -> anyhow::Result<()> {
    if let Some(path) = svg {
        let drawing = doorstep_ecomap::render::svg(map, name);
        std::fs::write(path, drawing)
            .with_context(|| format!("cannot write the drawing to {}", path.display()))?;
    }
    if let Some(path) = png {
        let drawing = doorstep_ecomap::render::png(map, name, PNG_SCALE)?;
        std::fs::write(path, drawing)
            .with_context(|| format!("cannot write the drawing to {}", path.display()))?;
    }
    Ok(())
}

/// PNGs are drawn at twice the SVG's size, sharp on a phone and in print.
const PNG_SCALE: f32 = 2.0;

fn map_text(map: &Ecomap) -> String {
    if map.ties.is_empty() && map.strengths.is_empty() && map.matters.is_empty() {
        return "The map is empty.\n".to_owned();
    }
    let rows: Vec<Vec<String>> = map.ties.iter().map(tie_row).collect();
    let mut out = table(&["WHO", "ROLE", "CATEGORY", "QUALITY", "SUPPORT", "EVIDENCE"], &rows);
    out += &points_text("Strengths", &map.strengths);
    out += &points_text("What matters", &map.matters);
    out
}

fn tie_row(t: &EcomapTie) -> Vec<String> {
    vec![
        t.who.clone(),
        t.role.clone(),
        t.category.to_string(),
        t.quality.to_string(),
        t.support.to_string(),
        t.evidence.as_ref().map(|e| preview(&e.text, 50)).unwrap_or_default(),
    ]
}

fn points_text(heading: &str, points: &[MapPoint]) -> String {
    if points.is_empty() {
        return String::new();
    }
    let texts: Vec<&str> = points.iter().map(|p| p.text.as_str()).collect();
    format!("{heading}: {}\n", texts.join("; "))
}

/// `name` as a shell argument.
fn quoted(name: &str) -> String {
    if name.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_') {
        name.to_owned()
    } else {
        format!("\"{}\"", name.replace('"', "\\\""))
    }
}

#[derive(Serialize)]
struct ConfirmView<'a> {
    person: PersonRef<'a>,
    #[serde(flatten)]
    saved: &'a EcomapVersion,
    notes_read: &'a [NoteId],
    /// From the previous version.
    diff: EcomapDiff,
    unreadable: Vec<UnreadableView>,
}

fn confirm(cx: &Context, query: &str, reject: &[String], set: &[SetTie]) -> anyhow::Result<()> {
    let mut unlocked = cx.unlock()?;
    let state = load_map(&unlocked.store, query)?;
    let name = &state.person.name;
    if !state.pending() && reject.is_empty() && set.is_empty() {
        match &state.confirmed {
            Some(v) => bail!(
                "nothing to confirm for {name}: no notes since version {}; use --set or --reject \
                 to correct it",
                v.version
            ),
            None => bail!("nothing to confirm for {name}: there are no notes about them yet"),
        }
    }
    let mut map = state.proposal.map.clone();
    let mut rejections = Vec::new();
    for who in reject {
        let tie = edit::reject(&mut map, who).with_context(|| format!("--reject {who}"))?;
        rejections.extend(edit::rejections_of(&tie));
    }
    for change in set {
        edit::apply(&mut map, change).with_context(|| format!("--set {change}"))?;
    }
    let (saved, changes) = state.save(&mut unlocked.store, &map, &rejections)?;
    if cx.out.json {
        return cx.out.json(&ConfirmView {
            person: PersonRef::of(&state.person),
            saved: &saved,
            notes_read: &state.proposal.read,
            diff: changes,
            unreadable: unreadable_views(&state.proposal.unreadable),
        });
    }
    let mut out = format!(
        "Saved version {} of {name}'s ecomap ({} ties).\n",
        saved.version,
        saved.map.ties.len()
    );
    for line in changes.lines(name) {
        out += &format!("  {line}\n");
    }
    cx.out.text(&out)
}

#[derive(Serialize)]
struct HistoryView<'a> {
    person: PersonRef<'a>,
    versions: &'a [EcomapVersionSummary],
}

fn history(cx: &Context, query: &str) -> anyhow::Result<()> {
    let unlocked = cx.unlock()?;
    let person = unlocked.store.find_person(query)?;
    let versions = unlocked.store.ecomap_versions(person.id)?;
    if cx.out.json {
        return cx.out.json(&HistoryView { person: PersonRef::of(&person), versions: &versions });
    }
    if versions.is_empty() {
        return cx.out.text(&format!("No ecomap of {} has been confirmed yet.", person.name));
    }
    let rows: Vec<Vec<String>> = versions
        .iter()
        .map(|v| {
            vec![
                v.version.to_string(),
                v.confirmed_at.format("%Y-%m-%d %H:%M").to_string(),
                v.ties.to_string(),
            ]
        })
        .collect();
    cx.out.text(&table(&["VERSION", "CONFIRMED", "TIES"], &rows))
}

#[derive(Serialize)]
struct DiffView<'a> {
    person: PersonRef<'a>,
    from: u32,
    to: u32,
    diff: &'a EcomapDiff,
}

fn compare(cx: &Context, query: &str, from: u32, to: u32) -> anyhow::Result<()> {
    let unlocked = cx.unlock()?;
    let person = unlocked.store.find_person(query)?;
    let before = unlocked.store.ecomap_version(person.id, from)?;
    let after = unlocked.store.ecomap_version(person.id, to)?;
    let changes = diff(&before.map, &after.map);
    if cx.out.json {
        return cx.out.json(&DiffView { person: PersonRef::of(&person), from, to, diff: &changes });
    }
    let mut out = format!("{}'s ecomap, version {from} to {to}:\n", person.name);
    let lines = changes.lines(&person.name);
    if lines.is_empty() {
        out += "  no changes\n";
    }
    for line in lines {
        out += &format!("  {line}\n");
    }
    cx.out.text(&out)
}
