//! Person: their page, ecomap (view, confirm, diff between versions) and chronology by theme.

use doorstep_app::AppError;
use doorstep_app::caseload::{self, PersonDetail};
use doorstep_app::ecomap::{self, DiffView, EcomapView};
use doorstep_app::finding::{self, ChronologyView};
use tauri::State;

use crate::Shared;

#[tauri::command]
pub async fn person(state: State<'_, Shared>, id: String) -> Result<PersonDetail, AppError> {
    state.run(move |s| caseload::person(s, &id)).await
}

#[tauri::command]
pub async fn ecomap(state: State<'_, Shared>, person_id: String) -> Result<EcomapView, AppError> {
    state.run(move |s| ecomap::ecomap(s, &person_id)).await
}

#[tauri::command]
pub async fn confirm_ecomap(
    state: State<'_, Shared>,
    person_id: String,
    reject: Vec<String>,
) -> Result<EcomapView, AppError> {
    state.run(move |s| ecomap::confirm_ecomap(s, &person_id, &reject)).await
}

#[tauri::command]
pub async fn ecomap_diff(
    state: State<'_, Shared>,
    person_id: String,
    from: u32,
    to: u32,
) -> Result<DiffView, AppError> {
    state.run(move |s| ecomap::ecomap_diff(s, &person_id, from, to)).await
}

#[tauri::command]
pub async fn chronology(
    state: State<'_, Shared>,
    person_id: String,
    theme: Option<String>,
) -> Result<Vec<ChronologyView>, AppError> {
    state.run(move |s| finding::chronology(s, &person_id, theme.as_deref())).await
}
