//! Settings and the Whisper models.

use std::path::PathBuf;

use doorstep_app::AppError;
use doorstep_app::settings::{self, DownloadEvent, ModelInfo, Settings};
use tauri::State;
use tauri::ipc::Channel;

use crate::Shared;

#[tauri::command]
pub async fn settings(state: State<'_, Shared>) -> Result<Settings, AppError> {
    state.run(settings::settings).await
}

#[tauri::command]
pub async fn save_settings(
    state: State<'_, Shared>,
    settings: Settings,
) -> Result<Settings, AppError> {
    state.run(move |s| settings::save_settings(s, &settings)).await
}

#[tauri::command]
pub async fn models(state: State<'_, Shared>) -> Result<Vec<ModelInfo>, AppError> {
    state.run(settings::models).await
}

#[tauri::command]
pub async fn download_model(
    state: State<'_, Shared>,
    name: String,
    on_event: Channel<DownloadEvent>,
) -> Result<Vec<ModelInfo>, AppError> {
    state
        .run(move |s| {
            settings::download_model(s, &name, |event| {
                let _ = on_event.send(event);
            })
        })
        .await
}

#[tauri::command]
pub async fn import_model(
    state: State<'_, Shared>,
    path: PathBuf,
) -> Result<Vec<ModelInfo>, AppError> {
    state.run(move |s| settings::import_model(s, &path)).await
}
