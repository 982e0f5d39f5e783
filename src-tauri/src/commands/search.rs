//! Search and the theme list behind its chips.

use doorstep_app::AppError;
use doorstep_app::finding::{self, SearchView, ThemeView};
use tauri::State;

use crate::Shared;

#[tauri::command]
pub async fn themes() -> Result<Vec<ThemeView>, AppError> {
    tauri::async_runtime::spawn_blocking(finding::themes)
        .await
        .map_err(|e| AppError::new(doorstep_app::ErrorKind::Internal, e.to_string()))?
}

#[tauri::command]
pub async fn search(
    state: State<'_, Shared>,
    query: String,
    limit: usize,
) -> Result<SearchView, AppError> {
    state.run(move |s| finding::search(s, &query, limit)).await
}
