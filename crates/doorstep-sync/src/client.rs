//! The sync client: everything that moves envelopes between this device's store and the server.
//!
//! One call, [`sync`], does a whole round: register on the first sync, seal whatever no envelope
//! carries yet into the outbox, push the outbox in batches, pull every page after the cursor and
//! fold it into the store. Every step is safe to repeat after a crash or a dropped connection:
//! an envelope leaves the outbox only once the server acknowledged it (a retried batch comes
//! back as duplicates), the cursor moves only after its page is applied, and applying a replayed
//! envelope changes nothing. An envelope that cannot be opened or applied is set aside, never
//! allowed to stop the pulls after it. [`list_devices`] and [`revoke_device`] manage the
//! account's devices, [`enrol_device`] and [`join`] add one, and [`invite`] and
//! [`join_caseload`] bring another practitioner into this store's caseload.

mod apply;
mod caseload;
#[cfg(test)]
mod convergence_tests;
mod devices;
mod enrol;
mod error;
mod http;
mod queue;
mod retry;
mod run;
mod status;

pub use apply::SetAside;
pub use caseload::{JoinedCaseload, invite, join_caseload};
pub use devices::{Device, Revoked, list_devices, revoke_device};
pub use enrol::{EnrolmentCode, enrol_device, join};
pub use error::SyncError;
pub use http::Server;
pub use queue::queue_unshared;
pub use retry::Retry;
pub use run::{AudioProblem, OnProgress, Progress, SyncOptions, SyncReport, sync};
pub use status::{IncomingRecording, SyncStatus, status};
