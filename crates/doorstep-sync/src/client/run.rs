//! One sync round: register if needed, queue, push, pull, and try again what earlier pulls
//! set aside.

use chrono::{DateTime, Utc};
use doorstep_core::Unlocked;
use doorstep_core::keys::SyncKey;
use doorstep_core::store::{Assembled, Store, SyncServer, SyncToken};
use doorstep_wire::{Hlc, MAX_BODY_BYTES, RegisterRequest};
use serde::Serialize;
use uuid::Uuid;

use super::apply::{Received, SetAside, receive, retry_quarantined};
use super::error::SyncError;
use super::http::{PUSH_OVERHEAD, Server, push_body};
use super::queue::{Files, queue_recordings, queue_unshared};
use super::retry::Retry;
use super::status::{SyncStatus, status};

/// Envelopes read from the outbox per push, before the body-size limit trims the batch.
const PUSH_BATCH: usize = 200;

#[derive(Debug, Clone, Default)]
pub struct SyncOptions {
    /// The server to register with on the first sync; later syncs use the one stored, and
    /// refuse a different one.
    pub server: Option<String>,
    /// This device's name on the server, when it registers.
    pub device_name: Option<String>,
    pub retry: Retry,
    /// Told after each push and each pulled page, for a progress bar.
    pub progress: Option<OnProgress>,
}

/// How far a round has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// The server acknowledged `count` more envelopes; `remaining` wait in the outbox.
    Pushed { count: usize, remaining: u64 },
    /// `count` more envelopes of other devices were taken in.
    Pulled { count: usize },
}

/// A callback for [`Progress`].
#[derive(Clone)]
pub struct OnProgress(pub std::sync::Arc<dyn Fn(Progress) + Send + Sync>);

impl std::fmt::Debug for OnProgress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OnProgress")
    }
}

impl SyncOptions {
    fn tell(&self, progress: Progress) {
        if let Some(OnProgress(callback)) = &self.progress {
            callback(progress);
        }
    }
}

/// What a round did.
#[derive(Debug, Clone, Serialize)]
pub struct SyncReport {
    /// This round registered the device and opened its space.
    pub registered: bool,
    /// Records sealed into the outbox this round (pieces of audio counted apart).
    pub queued: usize,
    /// Pieces of recordings sealed into the outbox this round.
    pub audio_queued: usize,
    /// Recordings made here whose audio could not be read to send, and why (tried again at
    /// every sync; their notes travel regardless).
    pub audio_unreadable: Vec<AudioProblem>,
    /// Envelopes the server stored now.
    pub pushed: usize,
    /// Envelopes it already held (a retried push).
    pub duplicates: usize,
    /// Envelopes of other devices pulled.
    pub pulled: usize,
    /// Pulled records that changed this store (the rest were already here).
    pub applied: usize,
    /// Envelopes pulled this round that could not be opened or applied, set aside (they no
    /// longer hold up later ones, and are tried again on every sync).
    pub set_aside: Vec<SetAside>,
    /// Envelopes set aside earlier that could be applied this round.
    pub released: usize,
    /// Other devices' recordings received whole this round, sealed here and linked to their
    /// notes.
    pub recordings_received: usize,
    /// Other devices' recordings whose pieces did not add up to what was sent, dropped.
    pub audio_damaged: Vec<AudioProblem>,
    pub status: SyncStatus,
}

/// A recording that could not be sent or received, and why (never its content).
#[derive(Debug, Clone, Serialize)]
pub struct AudioProblem {
    pub recording: Uuid,
    pub reason: String,
}

/// Registers (first time), queues, pushes the whole outbox (text before audio), pulls every page
/// after the cursor, and seals the recordings whose pieces have all come.
pub async fn sync(unlocked: &mut Unlocked, options: &SyncOptions) -> Result<SyncReport, SyncError> {
    let key = unlocked.sync_key();
    let file_key = unlocked.file_key();
    let files_dir = unlocked.files_dir().to_owned();
    let files = Files { dir: &files_dir, key: &file_key };
    let store = &mut unlocked.store;
    let key = &key;
    let state = store.sync_state()?;
    let device = state.device;
    let (mut server, token, registered) = match state.server {
        Some(known) => {
            if let Some(requested) = &options.server
                && requested.trim().trim_end_matches('/') != known.url
            {
                return Err(SyncError::OtherServer {
                    registered: known.url,
                    requested: requested.clone(),
                });
            }
            (Server::new(&known.url, options.retry)?, known.token, false)
        }
        None => {
            let url = options.server.as_deref().ok_or(SyncError::NoServer)?;
            let mut server = Server::new(url, options.retry)?;
            let space = Uuid::now_v7();
            let name = options.device_name.clone().unwrap_or_else(|| format!("device {device}"));
            let issued = server
                .register(&RegisterRequest { space, device: *device.as_uuid(), device_name: name })
                .await?;
            let token = SyncToken::new(issued.token);
            let url = server.url().to_owned();
            store.set_sync_server(device, &SyncServer { url, space, token }, None)?;
            let token = store.sync_state()?.server.ok_or(SyncError::NotRegistered)?.token;
            (server, token, true)
        }
    };
    let mut clock = Hlc {
        wall_ms: state.clock.wall_ms,
        counter: state.clock.counter,
        device: *device.as_uuid(),
    };
    let queued = queue_unshared(store, key, device, &mut clock)?;
    let audio = queue_recordings(store, key, &files, device, &mut clock)?;
    let (pushed, duplicates) = push_all(store, &mut server, &token, options).await?;
    let pulled = pull_all(store, key, &mut server, &token, &mut clock, options).await?;
    let released = store.in_one_transaction(|store| retry_quarantined(store, key, &mut clock))?;
    save_clock(store, &clock)?;
    let assembled = store.assemble_received_audio(files.dir, files.key)?;
    // An approval pulled from another device deletes audio here as this device's retention says.
    store.apply_retention(files.dir)?;
    let now: DateTime<Utc> = Utc::now();
    store.record_sync_success(now)?;
    Ok(SyncReport {
        registered,
        queued,
        audio_queued: audio.pieces,
        audio_unreadable: audio
            .unreadable
            .into_iter()
            .map(|(id, reason)| AudioProblem { recording: *id.as_uuid(), reason })
            .collect(),
        pushed,
        duplicates,
        pulled: pulled.pulled,
        applied: pulled.applied,
        set_aside: pulled.set_aside,
        released,
        recordings_received: assembled.iter().filter(|a| matches!(a, Assembled::Kept(_))).count(),
        audio_damaged: assembled
            .iter()
            .filter_map(|a| match a {
                Assembled::Damaged(id) => Some(AudioProblem {
                    recording: *id.as_uuid(),
                    reason: "its pieces do not add up to the recording that was sent".into(),
                }),
                Assembled::Kept(_) => None,
            })
            .collect(),
        status: status(store)?,
    })
}

fn save_clock(store: &mut Store, clock: &Hlc) -> Result<(), SyncError> {
    let clock = doorstep_core::store::SyncClock { wall_ms: clock.wall_ms, counter: clock.counter };
    Ok(store.set_sync_clock(clock)?)
}

/// What the pulls of a round brought.
#[derive(Debug, Default)]
struct Pulled {
    pulled: usize,
    applied: usize,
    set_aside: Vec<SetAside>,
}

/// Pushes the outbox in batches under the body limit; an envelope leaves the outbox only when
/// the server reports it stored or already held.
async fn push_all(
    store: &mut Store,
    server: &mut Server,
    token: &SyncToken,
    options: &SyncOptions,
) -> Result<(usize, usize), SyncError> {
    let (mut pushed, mut duplicates) = (0, 0);
    loop {
        let entries = store.next_push(PUSH_BATCH)?;
        if entries.is_empty() {
            return Ok((pushed, duplicates));
        }
        // At least one envelope per batch, however large: the server says if it is too large.
        // A piece of audio comes alone, so a dropped connection loses one piece's progress.
        let mut size = PUSH_OVERHEAD;
        let batch: Vec<&str> = entries
            .iter()
            .enumerate()
            .take_while(|(i, e)| {
                size += e.envelope.len() + 1;
                *i == 0 || size <= MAX_BODY_BYTES
            })
            .map(|(_, e)| e.envelope.as_str())
            .collect();
        let sent = batch.len();
        let response = server.push(token, push_body(&batch)).await?;
        let acknowledged: Vec<Uuid> =
            response.stored.iter().chain(&response.duplicates).copied().collect();
        store.mark_pushed(&acknowledged)?;
        options
            .tell(Progress::Pushed { count: acknowledged.len(), remaining: store.outbox_len()? });
        pushed += response.stored.len();
        duplicates += response.duplicates.len();
        if acknowledged.len() < sent {
            return Err(SyncError::Unacknowledged { sent, acknowledged: acknowledged.len() });
        }
    }
}

/// Pulls every page after the stored cursor, taking in each page before the cursor moves past
/// it. This device's own envelopes come back too and are skipped: their records are here.
async fn pull_all(
    store: &mut Store,
    key: &SyncKey,
    server: &mut Server,
    token: &SyncToken,
    clock: &mut Hlc,
    options: &SyncOptions,
) -> Result<Pulled, SyncError> {
    let mut pulled = Pulled::default();
    let mut after = store.pull_cursor()?;
    loop {
        let page = server.pull(token, after).await?;
        if page.cursor <= after && page.more {
            return Err(SyncError::BadReply {
                what: "a pull",
                detail: format!("the cursor did not move past {after}"),
            });
        }
        // A page is taken in whole or not at all, with the cursor past it, in one commit.
        let next = after.max(page.cursor);
        store.in_one_transaction(|store| {
            for stored in &page.envelopes {
                if stored.envelope.author == clock.device {
                    continue;
                }
                pulled.pulled += 1;
                match receive(store, key, stored, clock)? {
                    Received::Applied => pulled.applied += 1,
                    Received::AlreadyHere => {}
                    Received::SetAside(reason) => {
                        pulled.set_aside.push(SetAside { id: stored.envelope.id, reason });
                    }
                }
            }
            save_clock(store, clock)?;
            store.set_pull_cursor(next).map_err(SyncError::from)
        })?;
        after = next;
        let count = page.envelopes.iter().filter(|s| s.envelope.author != clock.device).count();
        options.tell(Progress::Pulled { count });
        if !page.more {
            return Ok(pulled);
        }
    }
}
