//! What a practitioner needs to know before closing the app or driving off: how many records
//! are still only on this device (text and audio apart), when the last sync succeeded, and
//! whether it is safe to close (nothing waits in the outbox). Never the token.

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
    /// Envelopes sealed and waiting to be pushed, pieces of audio included.
    pub queued: u64,
    /// Of those, pieces of recordings (they go after every text envelope).
    pub queued_audio: u64,
    /// Records written here that are not even sealed yet (the next sync queues them).
    pub unqueued: u64,
    /// Pulled envelopes set aside because they could not be opened or applied.
    pub set_aside: u64,
    /// Other devices' recordings partly received: their notes are here, their audio is coming.
    pub incoming_audio: Vec<IncomingRecording>,
    pub last_success: Option<DateTime<Utc>>,
    /// Nothing is waiting to leave this device.
    pub safe_to_close: bool,
}

/// A recording on its way to this device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IncomingRecording {
    pub recording: Uuid,
    pub received: u32,
    pub pieces: u32,
}

pub fn status(store: &mut Store) -> Result<SyncStatus, SyncError> {
    let state = store.sync_state()?;
    let queued = store.outbox_len()?;
    let incoming_audio = store
        .incoming_audio()?
        .into_iter()
        .map(|i| IncomingRecording {
            recording: *i.recording.as_uuid(),
            received: i.received,
            pieces: i.count,
        })
        .collect();
    let unqueued = store.unshared_count()?;
    Ok(SyncStatus {
        device: *state.device.as_uuid(),
        server: state.server.as_ref().map(|s| s.url.clone()),
        space: state.server.as_ref().map(|s| s.space),
        queued,
        queued_audio: store.outbox_audio_len()?,
        unqueued,
        incoming_audio,
        set_aside: store.quarantined_count()?,
        last_success: state.last_success,
        safe_to_close: queued == 0 && unqueued == 0,
    })
}
