//! Review: a note with its transcript, themes and ecomap suggestions; corrections, own words,
//! theme judgements, approval, and a segment's audio to hear again.

use doorstep_app::AppError;
use doorstep_app::review::{self, Decision, SpanArg};
use doorstep_app::views::NoteDetail;
use tauri::State;

use crate::Shared;

#[tauri::command]
pub async fn add_note(
    state: State<'_, Shared>,
    subject: String,
    text: String,
    date: Option<String>,
) -> Result<NoteDetail, AppError> {
    state.run(move |s| review::add_note(s, &subject, &text, date.as_deref())).await
}

#[tauri::command]
pub async fn note(state: State<'_, Shared>, id: String) -> Result<NoteDetail, AppError> {
    state.run(move |s| review::note(s, &id)).await
}

#[tauri::command]
pub async fn edit_note(
    state: State<'_, Shared>,
    id: String,
    text: String,
) -> Result<NoteDetail, AppError> {
    state.run(move |s| review::edit_note(s, &id, &text)).await
}

#[tauri::command]
pub async fn set_own_words(
    state: State<'_, Shared>,
    id: String,
    spans: Vec<SpanArg>,
) -> Result<NoteDetail, AppError> {
    state.run(move |s| review::set_own_words(s, &id, &spans)).await
}

#[tauri::command]
pub async fn review_theme(
    state: State<'_, Shared>,
    note_id: String,
    theme: String,
    decision: Decision,
) -> Result<NoteDetail, AppError> {
    state.run(move |s| review::review_theme(s, &note_id, &theme, decision)).await
}

#[tauri::command]
pub async fn approve_note(
    state: State<'_, Shared>,
    id: String,
    ties: Vec<String>,
) -> Result<NoteDetail, AppError> {
    state.run(move |s| review::approve_note(s, &id, &ties)).await
}

#[tauri::command]
pub async fn segment_audio(
    state: State<'_, Shared>,
    note_id: String,
    index: u32,
) -> Result<String, AppError> {
    state.run(move |s| review::segment_audio(s, &note_id, index)).await
}
