//! What can go wrong in a sync, worded for the practitioner who has to decide what to do: wait
//! for signal, fix the address, or call the organisation. No message carries record content.

use doorstep_wire::ApiError;
use uuid::Uuid;

use crate::{OpenError, SealError};

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Store(#[from] doorstep_core::Error),
    #[error("this device has no sync server yet: give --server URL on its first sync")]
    NoServer,
    #[error("this device syncs with {registered}; it cannot switch to {requested}")]
    OtherServer { registered: String, requested: String },
    #[error("{url:?} is not a server address (expected http://HOST:PORT or https://HOST)")]
    BadUrl { url: String },
    #[error("the HTTP client could not start: {0}")]
    Client(#[source] reqwest::Error),
    #[error(
        "could not reach the sync server at {url} after {attempts} attempts; nothing was lost: \
         queued records stay on this device until a sync succeeds"
    )]
    Unreachable {
        url: String,
        attempts: u32,
        #[source]
        source: reqwest::Error,
    },
    #[error(
        "the sync server at {url} did not answer: the connection stalled for {secs} s on each of \
         {attempts} attempts; nothing was lost: queued records stay on this device until a sync \
         succeeds"
    )]
    TimedOut { url: String, attempts: u32, secs: f64 },
    #[error(
        "this device was revoked on the sync server at {url}: it can no longer send or receive \
         records (records not yet sent stay only on this device; ask your organisation)"
    )]
    Revoked { url: String },
    #[error(
        "the sync server at {url} is unavailable (HTTP {status} after {attempts} attempts: \
         {message}); queued records stay on this device"
    )]
    Unavailable { url: String, status: u16, attempts: u32, message: String },
    #[error("the sync server refused {what} (HTTP {status}): {error}")]
    Refused { what: &'static str, status: u16, error: ApiError },
    #[error("the sync server's reply to {what} could not be read: {detail}")]
    BadReply { what: &'static str, detail: String },
    #[error("the server acknowledged {acknowledged} of {sent} envelopes pushed; try again")]
    Unacknowledged { sent: usize, acknowledged: usize },
    #[error("queued envelope {id} is damaged and cannot be sent (line {line}, column {column})")]
    DamagedOutbox { id: Uuid, line: usize, column: usize },
    #[error(transparent)]
    Seal(#[from] SealError),
    #[error(transparent)]
    Open(#[from] OpenError),
    #[error("this device is already enrolled with the sync server at {0}")]
    AlreadyEnrolled(String),
    #[error("this device is not registered with a sync server yet: run `doorstep sync` first")]
    NotRegistered,
    #[error("not a Doorstep enrolment code: {0}")]
    BadEnrolmentCode(&'static str),
    #[error("not a Doorstep caseload invitation: {0}")]
    BadInvitation(&'static str),
    #[error(transparent)]
    Invitation(#[from] doorstep_core::keys::InvitationError),
    #[error("no device of this account is called or has the id {0:?} (see `doorstep device list`)")]
    NoSuchDevice(String),
    #[error(
        "{count} devices are called {name:?}: give the device's id (see `doorstep device list`)"
    )]
    AmbiguousDevice { name: String, count: usize },
    #[error(
        "{0} is this device: revoking it stops it syncing for good (records not yet sent would \
         stay only here); revoke it from another device, or say so with --allow-this-device"
    )]
    RevokeThisDevice(Uuid),
}
