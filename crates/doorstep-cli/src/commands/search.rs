//! `doorstep search`, `doorstep chronology`, `doorstep index`, `doorstep themes confirm|reject`
//! and `doorstep eval search|themes`: each a few lines over doorstep-search.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use anyhow::{Context as _, bail};
use doorstep_core::keys::DataKey;
use doorstep_core::model::{TagReview, ThemeId as StoredThemeId};
use doorstep_core::store::{ImportOptions, Keying, Store};
use doorstep_search::eval::{LabelledNote, LabelledQuery, score_search, score_themes};
use doorstep_search::{
    Hit, IndexProgress, Mode, SearchKit, SearchOptions, chronology, group_by_person,
};
use serde::Serialize;

use super::Context;
use crate::cli::SearchArgs;
use crate::output::{preview, table};

/// The search kit with the built-in taxonomy and the embedding model from the models
/// directory, saying so when the model is missing (search then matches words and themes only).
pub fn load_kit(cx: &Context) -> anyhow::Result<SearchKit> {
    let dir = SearchKit::model_dir(&cx.models_dir);
    let kit = SearchKit::load(super::themes::load(None)?, &dir)
        .with_context(|| format!("the embedding model in {}", dir.display()))?;
    if kit.embedder.is_none() {
        eprintln!(
            "note: no embedding model in {}, so search matches words and themes but not meaning \
             (bash scripts/models.sh installs it)",
            dir.display()
        );
    }
    Ok(kit)
}

/// Tags and embeds every note the index lacks, with a progress bar.
pub fn index_with(
    cx: &Context,
    kit: &SearchKit,
    store: &mut Store,
    threshold: Option<f32>,
) -> anyhow::Result<IndexProgress> {
    let bar = cx.out.progress_percent("Indexing");
    let done = kit.index(store, threshold, |p| {
        if let Some(percent) = (p.done * 100).checked_div(p.total) {
            bar.set_position(percent);
        }
    })?;
    bar.finish_and_clear();
    Ok(done)
}

/// A hit as `doorstep search --json` prints it.
#[derive(Serialize)]
struct HitOut<'a> {
    note_id: String,
    external_id: Option<&'a str>,
    subject: &'a str,
    date: Option<String>,
    score: f32,
    snippet: &'a str,
    /// Character ranges within `snippet` that matched.
    highlights: &'a [(usize, usize)],
    /// Where the snippet starts in the note, in characters.
    offset: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    segment: Option<doorstep_search::SegmentRef>,
    themes: &'a [String],
}

fn hit_out(hit: &Hit) -> HitOut<'_> {
    HitOut {
        note_id: hit.note_id.to_string(),
        external_id: hit.external_id.as_deref(),
        subject: &hit.subject,
        date: hit.date.map(|d| d.to_string()),
        score: hit.score,
        snippet: &hit.snippet.text,
        highlights: &hit.snippet.highlights,
        offset: hit.snippet.start,
        segment: hit.snippet.segment,
        themes: &hit.themes,
    }
}

pub fn search(cx: &Context, args: &SearchArgs) -> anyhow::Result<()> {
    let kit = load_kit(cx)?;
    let mut unlocked = cx.unlock()?;
    index_with(cx, &kit, &mut unlocked.store, None)?;
    let engine = kit.engine(&unlocked.store)?;
    let mode = if args.words_only { Mode::FullText } else { Mode::Fused };
    let options = SearchOptions { limit: args.limit as usize, mode };
    let results = engine.search(&unlocked.store, &args.query.join(" "), options)?;
    if cx.out.json {
        let hits: Vec<HitOut<'_>> = results.hits.iter().map(hit_out).collect();
        if args.by_person {
            #[derive(Serialize)]
            struct Group<'a> {
                subject: String,
                hits: Vec<HitOut<'a>>,
            }
            let groups = group_by_person(results.hits.clone());
            let people: Vec<Group<'_>> = groups
                .iter()
                .map(|g| Group {
                    subject: g.subject.clone(),
                    hits: g.hits.iter().map(hit_out).collect(),
                })
                .collect();
            return cx.out.json(&serde_json::json!({ "people": people, "themes": results.themes }));
        }
        return cx.out.json(&serde_json::json!({ "hits": hits, "themes": results.themes }));
    }
    if results.hits.is_empty() {
        return cx.out.text("No notes found.");
    }
    let mut text = String::new();
    if !results.themes.is_empty() {
        let names: Vec<String> = results.themes.iter().map(ToString::to_string).collect();
        text += &format!("Themes: {}\n\n", names.join(", "));
    }
    let show = |hit: &Hit| {
        let when =
            hit.snippet.segment.map(|s| format!(" at {}", clock(s.start_ms))).unwrap_or_default();
        format!(
            "{}  {}  {}{}\n    {}\n",
            hit.date.map(|d| d.to_string()).unwrap_or_else(|| "undated".into()),
            hit.subject,
            hit.external_id.clone().unwrap_or_else(|| hit.note_id.to_string()),
            when,
            marked(&hit.snippet.text, &hit.snippet.highlights)
        )
    };
    if args.by_person {
        for group in group_by_person(results.hits) {
            text += &format!("{}\n", group.subject);
            for hit in &group.hits {
                text += &format!("  {}", show(hit));
            }
        }
    } else {
        for hit in &results.hits {
            text += &show(hit);
        }
    }
    cx.out.text(&text)
}

/// The snippet with its matched words in [brackets].
fn marked(text: &str, highlights: &[(usize, usize)]) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if highlights.iter().any(|&(s, _)| s == i) {
            out.push('[');
        }
        if highlights.iter().any(|&(_, e)| e == i) {
            out.push(']');
        }
        out.push(c);
    }
    if highlights.iter().any(|&(_, e)| e == text.chars().count()) {
        out.push(']');
    }
    out
}

fn clock(ms: u64) -> String {
    format!("{}:{:02}", ms / 60_000, (ms / 1000) % 60)
}

pub fn chronology_of(
    cx: &Context,
    subject: Option<&str>,
    family: Option<&str>,
    theme: Option<&str>,
) -> anyhow::Result<()> {
    let kit = load_kit(cx)?;
    let mut unlocked = cx.unlock()?;
    index_with(cx, &kit, &mut unlocked.store, None)?;
    let store = &unlocked.store;
    let theme = theme
        .map(|t| {
            kit.taxonomy.by_id(t).map(|found| found.id.clone()).with_context(|| {
                format!("there is no theme {t:?}: `doorstep themes list` shows every theme id")
            })
        })
        .transpose()?;
    let people = match (subject, family) {
        (Some(name), _) => vec![store.find_person(name)?.id],
        (None, Some(name)) => {
            let household = store
                .households()?
                .into_iter()
                .find(|h| h.name.eq_ignore_ascii_case(name.trim()))
                .with_context(|| format!("no household is called {name:?}"))?;
            store.household_members(household.id)?.into_iter().map(|p| p.id).collect()
        }
        (None, None) => bail!("say whose chronology: --subject PERSON or --family HOUSEHOLD"),
    };
    let entries = chronology(store, &kit.taxonomy, &people, theme.as_ref())?;
    if cx.out.json {
        return cx.out.json(&serde_json::json!({ "entries": entries }));
    }
    if entries.is_empty() {
        return cx.out.text("No evidence found.");
    }
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|e| {
            vec![
                e.date.map(|d| d.to_string()).unwrap_or_else(|| "undated".into()),
                e.subject.clone(),
                e.theme.clone(),
                preview(&e.sentence.replacen(&e.text, &format!("[{}]", e.text), 1), 90),
                if e.confirmed { "confirmed".into() } else { "proposed".into() },
            ]
        })
        .collect();
    cx.out.text(&table(&["DATE", "SUBJECT", "THEME", "EVIDENCE", "REVIEW"], &rows))
}

pub fn index(cx: &Context) -> anyhow::Result<()> {
    let kit = load_kit(cx)?;
    let mut unlocked = cx.unlock()?;
    let done = index_with(cx, &kit, &mut unlocked.store, None)?;
    if cx.out.json {
        return cx.out.json(&done);
    }
    cx.out.text(&format!("Indexed {} notes.", done.done))
}

pub fn review(cx: &Context, note: &str, theme: &str, review: &TagReview) -> anyhow::Result<()> {
    let taxonomy = super::themes::load(None)?;
    let found = taxonomy.by_id(theme).with_context(|| {
        format!("there is no theme {theme:?}: `doorstep themes list` shows every theme id")
    })?;
    let mut unlocked = cx.unlock()?;
    let note = unlocked.store.find_note(note)?;
    let tag = unlocked.store.review_tag(note.id, &StoredThemeId(found.id.to_string()), review)?;
    if cx.out.json {
        return cx.out.json(&tag);
    }
    cx.out.text(&format!("{} is {} for note {}.", found.label, tag.review, note.id))
}

/// A store in a temporary directory, encrypted with a throwaway key, holding `notes`, indexed.
pub(super) fn scratch_store(
    cx: &Context,
    kit: &SearchKit,
    notes: &Path,
    threshold: Option<f32>,
) -> anyhow::Result<(tempfile::TempDir, Store)> {
    let dir = tempfile::tempdir().context("cannot make a temporary directory")?;
    let keying = Keying::Encrypted(DataKey::generate()?.database_key());
    let mut store = Store::create(&dir.path().join("eval.db"), &keying)?;
    let file =
        std::fs::File::open(notes).with_context(|| format!("cannot open {}", notes.display()))?;
    let options = ImportOptions { author: "eval".into(), ..ImportOptions::default() };
    let report = store.import_notes(std::io::BufReader::new(file), &options, |_| {})?;
    if let Some(first) = report.malformed.first() {
        bail!("{}: line {}: {}", notes.display(), first.line, first.problem);
    }
    index_with(cx, kit, &mut store, threshold)?;
    Ok((dir, store))
}

/// The labelled lines of a JSON Lines file.
pub(super) fn read_labelled<T: serde::de::DeserializeOwned>(path: &Path) -> anyhow::Result<Vec<T>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| {
            serde_json::from_str(l).with_context(|| format!("{} line {}", path.display(), n + 1))
        })
        .collect()
}

pub fn eval_themes(cx: &Context, notes: &Path, threshold: Option<f32>) -> anyhow::Result<()> {
    let labelled: Vec<LabelledNote> = read_labelled(notes)?;
    let kit = load_kit(cx)?;
    let (_dir, store) = scratch_store(cx, &kit, notes, threshold)?;
    let mut predicted: HashMap<String, BTreeSet<String>> = HashMap::new();
    for note in store.all_notes()? {
        let themes = note
            .themes
            .iter()
            .filter(|t| t.review != TagReview::Rejected)
            .map(|t| t.theme.0.clone());
        predicted.insert(note.external_id.unwrap_or_default(), themes.collect());
    }
    cx.out.json(&score_themes(&labelled, &predicted))
}

pub fn eval_search(cx: &Context, notes: &Path, queries: &Path) -> anyhow::Result<()> {
    let queries: Vec<LabelledQuery> = read_labelled(queries)?;
    let kit = load_kit(cx)?;
    let (_dir, store) = scratch_store(cx, &kit, notes, None)?;
    let engine = kit.engine(&store)?;
    let run = |mode: Mode| -> anyhow::Result<Vec<Vec<String>>> {
        queries
            .iter()
            .map(|q| {
                let results = engine
                    .search(&store, &q.q, SearchOptions { limit: 10, mode })
                    .with_context(|| format!("query {:?}", q.q))?;
                Ok(results.hits.into_iter().filter_map(|h| h.external_id).collect())
            })
            .collect()
    };
    let fused = score_search(&queries, &run(Mode::Fused)?);
    let words = score_search(&queries, &run(Mode::FullText)?);
    cx.out.json(&serde_json::json!({
        "queries": fused.queries,
        "recall_at_10": fused.recall_at_10,
        "ndcg_at_10": fused.ndcg_at_10,
        "meaning": kit.embedder.is_some(),
        "full_text_only": { "recall_at_10": words.recall_at_10, "ndcg_at_10": words.ndcg_at_10 },
        "per_query": fused.per_query,
    }))
}
