//! Doorstep's sync server. Devices push envelopes they sealed and pull the envelopes of their
//! space; the server keeps each envelope's metadata (id, kind, author, clock) and bytes it cannot
//! open. It links only `doorstep-wire`, never the core, so it cannot name a plaintext record.
//!
//! Storage sits behind one trait ([`store::Backend`]) with an embedded SQLite implementation (the
//! default) and a PostgreSQL one (for several servers over one database); the HTTP layer
//! ([`app`]) is generic over it, and [`serve`] runs the two on a listener until told to stop. The
//! server speaks plain HTTP: TLS is the job of a reverse proxy in front of it.

pub mod app;
pub mod cli;
pub mod serve;
pub mod store;
pub mod token;

pub use app::{AppState, RateLimit, router};
pub use serve::{serve, shutdown_signal};
pub use store::postgres::PostgresBackend;
pub use store::sqlite::SqliteBackend;
pub use store::{Backend, StoreError};
