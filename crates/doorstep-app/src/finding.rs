//! Finding notes again from the app: search (words, meaning and themes fused), a person's
//! chronology for a theme, and the theme list for the chips.

use std::time::Instant;

use doorstep_search::{Mode, SearchOptions, chronology as chronology_of};
use doorstep_themes::Kind;
use serde::Serialize;

use crate::error::AppError;
use crate::session::Session;

/// The most hits one search returns.
const MAX_LIMIT: usize = 200;

/// Where a hit is in a voice note's audio.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "HitSegment"))]
#[serde(rename_all = "camelCase")]
pub struct SegmentView {
    pub index: u32,
    pub start_ms: u64,
    pub end_ms: u64,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct HitView {
    pub note_id: String,
    pub external_id: Option<String>,
    pub subject: String,
    pub subject_id: String,
    pub date: Option<String>,
    pub score: f32,
    pub snippet: String,
    /// Character ranges of `snippet` to highlight.
    pub highlights: Vec<(usize, usize)>,
    pub themes: Vec<String>,
    pub segment: Option<SegmentView>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct SearchView {
    pub hits: Vec<HitView>,
    pub took_ms: u64,
}

pub fn search(session: &mut Session, query: &str, limit: usize) -> Result<SearchView, AppError> {
    let started = Instant::now();
    let bench = session.workbench()?;
    let engine = bench.kit.engine(bench.store)?;
    let options = SearchOptions { limit: limit.clamp(1, MAX_LIMIT), mode: Mode::Fused };
    let results = engine.search(bench.store, query, options)?;
    let hits = results
        .hits
        .into_iter()
        .map(|h| HitView {
            note_id: h.note_id.to_string(),
            external_id: h.external_id,
            subject: h.subject,
            subject_id: h.subject_id.to_string(),
            date: h.date.map(|d| d.to_string()),
            score: h.score,
            segment: h.snippet.segment.map(|s| SegmentView {
                index: s.index,
                start_ms: s.start_ms,
                end_ms: s.end_ms,
            }),
            snippet: h.snippet.text,
            highlights: h.snippet.highlights,
            themes: h.themes,
        })
        .collect();
    Ok(SearchView {
        hits,
        took_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
    })
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ChronologyView {
    pub note_id: String,
    pub date: Option<String>,
    pub theme: String,
    pub label: String,
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// Where the evidence is in the note's audio, for a voice note.
    pub start_ms: Option<u64>,
    pub confirmed: bool,
}

/// Every evidence span for `theme` (or every theme) across the person's notes, oldest first.
pub fn chronology(
    session: &mut Session,
    person: &str,
    theme: Option<&str>,
) -> Result<Vec<ChronologyView>, AppError> {
    let bench = session.workbench()?;
    let person = bench.store.find_person(person)?;
    let theme = match theme.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => Some(
            bench
                .kit
                .taxonomy
                .by_id(t)
                .map(|found| found.id.clone())
                .ok_or_else(|| AppError::invalid(format!("There is no theme {t:?}.")))?,
        ),
        None => None,
    };
    let entries = chronology_of(bench.store, &bench.kit.taxonomy, &[person.id], theme.as_ref())?;
    Ok(entries
        .into_iter()
        .map(|e| ChronologyView {
            note_id: e.note_id.to_string(),
            date: e.date.map(|d| d.to_string()),
            theme: e.theme,
            label: e.label,
            text: e.text,
            start: e.start,
            end: e.end,
            start_ms: e.start_ms,
            confirmed: e.confirmed,
        })
        .collect())
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ThemeView {
    pub id: String,
    pub label: String,
    #[cfg_attr(feature = "ts", ts(as = "crate::typescript::ThemeKind"))]
    pub kind: Kind,
    pub parent: Option<String>,
}

pub fn themes() -> Result<Vec<ThemeView>, AppError> {
    let taxonomy = doorstep_themes::Taxonomy::builtin()?;
    Ok(taxonomy
        .themes()
        .iter()
        .map(|t| ThemeView {
            id: t.id.to_string(),
            label: t.label.clone(),
            kind: t.kind,
            parent: t.parent.as_ref().map(ToString::to_string),
        })
        .collect())
}
