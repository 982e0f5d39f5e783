//! Doorstep's workflows as the app presents them, free of Tauri so they are tested as plain
//! Rust: the shell in `src-tauri` turns each into a command of a few lines, and its views are
//! the shapes `docs/app-ipc.md` promises the UI.

pub mod capture;
pub mod caseload;
pub mod ecomap;
mod error;
pub mod finding;
pub mod review;
pub mod session;
pub mod settings;
pub mod syncing;
#[cfg(feature = "ts")]
pub mod typescript;
pub mod views;
pub mod voice;

pub use error::{AppError, ErrorKind};
pub use session::{AppStateView, Session};
