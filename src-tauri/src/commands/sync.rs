//! Sync: what waits to leave the device, and a sync round with its progress.

use doorstep_app::AppError;
use doorstep_app::syncing::{self, SyncEvent, SyncSummary};
use tauri::State;
use tauri::ipc::Channel;

use crate::Shared;

#[tauri::command]
pub async fn sync_status(state: State<'_, Shared>) -> Result<SyncSummary, AppError> {
    state.run(syncing::status).await
}

#[tauri::command]
pub async fn sync_now(
    state: State<'_, Shared>,
    server: Option<String>,
    on_event: Channel<SyncEvent>,
) -> Result<SyncSummary, AppError> {
    state
        .run(move |s| {
            syncing::sync_now(s, server, move |event| {
                let _ = on_event.send(event);
            })
        })
        .await
}
