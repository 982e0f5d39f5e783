//! Doorstep's core: the caseload's domain model, the key hierarchy and the encrypted store.
//!
//! Nothing here knows about Tauri, HTTP or audio devices; the CLI and the app are thin adapters
//! over these types.

mod data_dir;
mod error;
pub mod ids;
pub mod keys;
pub mod model;
pub mod sealed;
pub mod store;

pub use data_dir::{DataDir, Unlocked, WipeReport};
pub use error::Error;
