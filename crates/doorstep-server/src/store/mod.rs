//! Where the server keeps spaces, devices and envelopes: one trait, [`Backend`], so the HTTP
//! layer and the story test are written once for every database. SQLite ([`sqlite`]) is the
//! default and needs nothing installed; PostgreSQL ([`postgres`]), for organisations that run
//! several stateless servers behind a load balancer, implements the same trait.
//!
//! The trait is async because PostgreSQL's drivers are; a blocking driver (rusqlite) runs its
//! calls on tokio's blocking pool inside its implementation, so no handler ever holds a runtime
//! thread while it waits on the disk or on SQLite's single writer. Its methods return
//! `impl Future + Send` (no boxing, no macro crate), so the app is generic over the backend,
//! which the binary picks once at start.
//!
//! A backend stores what it is given: the HTTP layer has already authenticated the device and
//! checked each envelope's author. It never sees a token, only its hash.

pub mod postgres;
pub mod sqlite;

use std::error::Error as StdError;
use std::future::Future;

use doorstep_wire::{DeviceInfo, Envelope, PushResponse, Stored};
use uuid::Uuid;

use crate::token::TokenHash;

/// A device about to be added to a space.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDevice {
    pub device: Uuid,
    pub name: String,
    pub token_hash: TokenHash,
}

/// The device a token belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuthDevice {
    pub device: Uuid,
    pub space: Uuid,
    pub revoked: bool,
}

/// How much of a pull fits in one page: at most `limit` envelopes and, past the first,
/// [`doorstep_wire::MAX_PULL_BYTES`] of wrapped keys and ciphertext (pieces of audio are large).
/// `sizes` are the cursor and byte size of the envelopes after the caller's cursor, in order,
/// up to `limit + 1` of them. Returns the last cursor to send (`None`: nothing) and how many.
pub(crate) fn page_extent(sizes: &[(u64, u64)], limit: usize) -> (Option<u64>, usize) {
    let budget = u64::try_from(doorstep_wire::MAX_PULL_BYTES).unwrap_or(u64::MAX);
    let mut total = 0u64;
    let mut last = None;
    let mut count = 0;
    for &(cursor, bytes) in sizes.iter().take(limit) {
        total = total.saturating_add(bytes);
        if count > 0 && total > budget {
            break;
        }
        last = Some(cursor);
        count += 1;
    }
    (last, count)
}

/// One page of a space's envelopes, in cursor order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub envelopes: Vec<Stored>,
    /// Whether more envelopes follow the last one returned.
    pub more: bool,
}

/// Why a backend refused or failed an operation. The refusals are answers to the request; only
/// [`StoreError::Backend`] is the database failing, and its text is logged, never sent.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the space is already registered")]
    SpaceExists,
    #[error("the device is already enrolled")]
    DeviceExists,
    #[error("no such space")]
    UnknownSpace,
    #[error("no such device in this space")]
    UnknownDevice,
    #[error("the database failed")]
    Backend(#[source] Box<dyn StdError + Send + Sync>),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// The server's storage. Every operation is scoped to one space: a device never reads or
/// changes another space's devices or envelopes, and envelope ids are unique per space.
pub trait Backend: Clone + Send + Sync + 'static {
    /// Whether the database answers (for `GET /health`).
    fn check(&self) -> impl Future<Output = StoreResult<()>> + Send;

    /// Opens a space with its first device. [`StoreError::SpaceExists`] if the space is taken,
    /// [`StoreError::DeviceExists`] if the device id is in use in any space.
    fn create_space(
        &self,
        space: Uuid,
        first: NewDevice,
    ) -> impl Future<Output = StoreResult<()>> + Send;

    /// Adds a device to `space`, enrolled by its device `by`.
    fn enrol_device(
        &self,
        space: Uuid,
        by: Uuid,
        device: NewDevice,
    ) -> impl Future<Output = StoreResult<()>> + Send;

    /// The space's devices in the order they were enrolled, revoked ones included.
    fn list_devices(
        &self,
        space: Uuid,
    ) -> impl Future<Output = StoreResult<Vec<DeviceInfo>>> + Send;

    /// Marks a device of `space` revoked: its token is refused from then on. Revoking a revoked
    /// device changes nothing. [`StoreError::UnknownDevice`] if it is not in the space.
    fn revoke_device(
        &self,
        space: Uuid,
        device: Uuid,
    ) -> impl Future<Output = StoreResult<()>> + Send;

    /// The device whose token hashes to `token`, if any.
    fn authenticate(
        &self,
        token: TokenHash,
    ) -> impl Future<Output = StoreResult<Option<AuthDevice>>> + Send;

    /// Stores the envelopes whose ids the space does not hold yet, in order, each with the
    /// space's next cursor, all or none. An id already held (earlier or in the same batch) is
    /// reported as a duplicate and the stored envelope is left exactly as it was.
    fn push(
        &self,
        space: Uuid,
        envelopes: Vec<Envelope>,
    ) -> impl Future<Output = StoreResult<PushResponse>> + Send;

    /// Up to `limit` envelopes of the space with a cursor above `after`, in cursor order, and
    /// no more bytes than [`page_extent`] allows. Cursors of a space only grow, and an envelope is visible only once every envelope with
    /// a lower cursor is, so a device that pulls from its last cursor misses nothing.
    fn pull(
        &self,
        space: Uuid,
        after: u64,
        limit: usize,
    ) -> impl Future<Output = StoreResult<Page>> + Send;
}

#[cfg(test)]
mod tests {
    use super::page_extent;
    use doorstep_wire::MAX_PULL_BYTES;

    #[test]
    fn a_page_stops_at_the_envelope_limit_or_the_byte_budget_but_never_empty() {
        let small: Vec<(u64, u64)> = (1..=6).map(|c| (c, 100)).collect();
        assert_eq!(page_extent(&small, 5), (Some(5), 5));
        assert_eq!(page_extent(&small[..3], 5), (Some(3), 3));
        assert_eq!(page_extent(&[], 5), (None, 0));
        let big = MAX_PULL_BYTES as u64 / 2;
        let large = [(7, big), (8, big), (9, 1), (10, 1)];
        assert_eq!(page_extent(&large, 500), (Some(8), 2));
        let huge = [(3, 3 * MAX_PULL_BYTES as u64), (4, 1)];
        assert_eq!(page_extent(&huge, 500), (Some(3), 1), "one envelope, however large");
    }
}
