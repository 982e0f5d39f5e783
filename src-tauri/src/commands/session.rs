//! Unlock: the store's state, first-run set-up, unlock and lock.

use doorstep_app::{AppError, AppStateView};
use tauri::State;

use crate::Shared;

#[tauri::command]
pub async fn app_state(state: State<'_, Shared>) -> Result<AppStateView, AppError> {
    state.run(|s| s.state()).await
}

#[tauri::command]
pub async fn create_store(
    state: State<'_, Shared>,
    practitioner: String,
    passphrase: String,
) -> Result<AppStateView, AppError> {
    state.run(move |s| s.create(&practitioner, passphrase)).await
}

#[tauri::command]
pub async fn unlock(
    state: State<'_, Shared>,
    passphrase: String,
) -> Result<AppStateView, AppError> {
    state.run(move |s| s.unlock(passphrase)).await
}

#[tauri::command]
pub async fn lock(state: State<'_, Shared>) -> Result<AppStateView, AppError> {
    state.run(|s| Ok(s.lock())).await
}
