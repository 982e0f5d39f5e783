//! Sync from the app: what waits to leave the device, when the last sync succeeded, whether it
//! is safe to close, and a sync round run on a small runtime of its own off the UI's threads.

use std::sync::Arc;

use doorstep_core::store::Store;
use doorstep_sync::client::{self, OnProgress, Progress, Retry, SyncOptions};
use serde::Serialize;

use crate::error::{AppError, ErrorKind};
use crate::session::Session;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct SyncSummary {
    pub configured: bool,
    pub server: Option<String>,
    pub queued: u64,
    /// Of the queued envelopes, pieces of recordings: they leave after every text record.
    pub queued_audio: u64,
    pub unqueued: u64,
    /// Other devices' recordings partly received (their notes are here already).
    pub incoming_recordings: u64,
    /// Records received that could not be opened or taken in (tampered, or for a newer
    /// Doorstep); kept aside and tried again at every sync.
    pub set_aside: u64,
    pub last_success: Option<String>,
    /// Why the last sync this session failed, if it did.
    pub last_error: Option<String>,
    pub safe_to_close: bool,
}

pub fn sync_summary(
    store: &mut Store,
    last_error: Option<String>,
) -> Result<SyncSummary, AppError> {
    let status = client::status(store)?;
    Ok(SyncSummary {
        configured: status.server.is_some(),
        server: status.server,
        queued: status.queued,
        queued_audio: status.queued_audio,
        unqueued: status.unqueued,
        incoming_recordings: u64::try_from(status.incoming_audio.len()).unwrap_or(u64::MAX),
        set_aside: status.set_aside,
        last_success: status.last_success.map(|t| t.to_rfc3339()),
        last_error,
        safe_to_close: status.safe_to_close,
    })
}

pub fn status(session: &mut Session) -> Result<SyncSummary, AppError> {
    let last_error = session.last_sync_error();
    sync_summary(session.store()?, last_error)
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", tag = "event", content = "data")]
pub enum SyncEvent {
    Pushed { count: usize, remaining: u64 },
    Pulled { count: usize },
}

/// One sync round: register on the first (with `server`), push the outbox, pull what is new,
/// telling `on_event` after every push and every pulled page.
pub fn sync_now(
    session: &mut Session,
    server: Option<String>,
    on_event: impl Fn(SyncEvent) + Send + Sync + 'static,
) -> Result<SyncSummary, AppError> {
    let server = server.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let unlocked = session.unlocked()?;
    let progress = OnProgress(Arc::new(move |progress| {
        on_event(match progress {
            Progress::Pushed { count, remaining } => SyncEvent::Pushed { count, remaining },
            Progress::Pulled { count } => SyncEvent::Pulled { count },
        });
    }));
    let options = SyncOptions {
        server,
        device_name: None,
        retry: Retry::default(),
        progress: Some(progress),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| AppError::new(ErrorKind::Internal, format!("Cannot start sync: {e}.")))?;
    let round = runtime.block_on(client::sync(unlocked, &options));
    match round {
        Ok(_) => {
            session.set_last_sync_error(None);
            status(session)
        }
        Err(e) => {
            let error = AppError::from(e);
            session.set_last_sync_error(Some(error.message.clone()));
            Err(error)
        }
    }
}
