//! Today and the caseload.

use doorstep_app::AppError;
use doorstep_app::caseload::{self, Today};
use doorstep_app::views::PersonSummary;
use tauri::State;

use crate::Shared;

#[tauri::command]
pub async fn today(state: State<'_, Shared>) -> Result<Today, AppError> {
    state.run(caseload::today).await
}

#[tauri::command]
pub async fn people(state: State<'_, Shared>) -> Result<Vec<PersonSummary>, AppError> {
    state.run(caseload::people).await
}

#[tauri::command]
pub async fn add_person(
    state: State<'_, Shared>,
    name: String,
    aliases: Vec<String>,
    household: Option<String>,
) -> Result<PersonSummary, AppError> {
    state.run(move |s| caseload::add_person(s, &name, aliases, household)).await
}
