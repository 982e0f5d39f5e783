//! What a practitioner needs to know before closing the app or driving off: how many records
//! are still only on this device, when the last sync succeeded, and whether it is safe to close
//! (nothing waits in the outbox). Never the token.

use chrono::{DateTime, Utc};
use doorstep_core::store::Store;
use serde::Serialize;
use uuid::Uuid;

use super::error::SyncError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncStatus {
    pub device: Uuid,
    /// The server this device syncs with; `None` before its first sync.
    pub server: Option<String>,
    pub space: Option<Uuid>,
    /// Envelopes sealed and waiting to be pushed.
    pub queued: u64,
    /// Records written here that are not even sealed yet (the next sync queues them).
    pub unqueued: u64,
    /// Pulled envelopes set aside because they could not be opened or applied.
    pub set_aside: u64,
    pub last_success: Option<DateTime<Utc>>,
    /// Nothing is waiting to leave this device.
    pub safe_to_close: bool,
}

pub fn status(store: &mut Store) -> Result<SyncStatus, SyncError> {
    let state = store.sync_state()?;
    let queued = store.outbox_len()?;
    let unqueued = store.unshared_count()?;
    Ok(SyncStatus {
        device: *state.device.as_uuid(),
        server: state.server.as_ref().map(|s| s.url.clone()),
        space: state.server.as_ref().map(|s| s.space),
        queued,
        unqueued,
        set_aside: store.quarantined_count()?,
        last_success: state.last_success,
        safe_to_close: queued == 0 && unqueued == 0,
    })
}
