//! The server database's schema and its upgrades. `PRAGMA user_version` holds the version; each
//! step to the next version is a SQL file beside this one, never edited once shipped. Upgrades
//! run in one IMMEDIATE transaction, so a failed one leaves the file as it was; a file from a
//! newer server, or one that is not a Doorstep server database, is refused, never changed.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, TransactionBehavior};

/// "DSRV": marks the file as a Doorstep server database.
const APPLICATION_ID: i64 = 0x4453_5256;
pub const CURRENT_VERSION: i64 = 1;

/// `STEPS[n]` takes the database from version `n` to `n + 1`.
const STEPS: [&str; CURRENT_VERSION as usize] = [include_str!("0001_spaces_devices_envelopes.sql")];

/// Why the database file could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("{path}: {doing}")]
    Sql {
        path: PathBuf,
        doing: &'static str,
        #[source]
        source: rusqlite::Error,
    },
    #[error("{path} is not a Doorstep server database")]
    NotOurs { path: PathBuf },
    #[error(
        "{path} has schema version {found}; this server knows up to {supported}: run a newer server"
    )]
    NewerSchema { path: PathBuf, found: i64, supported: i64 },
    #[error("{path}: SQLite refused WAL mode (journal mode is {mode})")]
    WalRefused { path: PathBuf, mode: String },
}

/// Attaches the file and the step to a SQLite error.
pub(super) trait Doing<T> {
    fn doing(self, path: &Path, doing: &'static str) -> Result<T, OpenError>;
}

impl<T> Doing<T> for rusqlite::Result<T> {
    fn doing(self, path: &Path, doing: &'static str) -> Result<T, OpenError> {
        self.map_err(|source| OpenError::Sql { path: path.to_owned(), doing, source })
    }
}

/// Checks the file is ours, switches it to WAL and brings its schema up to date.
pub(super) fn prepare(conn: &mut Connection, path: &Path) -> Result<(), OpenError> {
    let app_id: i64 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .doing(path, "reading the application id")?;
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .doing(path, "reading the schema version")?;
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .doing(path, "reading the schema")?;
    let fresh = version == 0 && tables == 0;
    if version < 0 || (!fresh && app_id != APPLICATION_ID) {
        return Err(OpenError::NotOurs { path: path.to_owned() });
    }
    if version > CURRENT_VERSION {
        return Err(OpenError::NewerSchema {
            path: path.to_owned(),
            found: version,
            supported: CURRENT_VERSION,
        });
    }
    // WAL lets pulls and authentication read while a push writes; it must be set outside a
    // transaction, and it stays set in the file.
    let mode: String = conn
        .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))
        .doing(path, "choosing WAL")?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(OpenError::WalRefused { path: path.to_owned(), mode });
    }
    if version == CURRENT_VERSION {
        return Ok(());
    }
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .doing(path, "starting the upgrade")?;
    // Another server process may have upgraded the file while this one waited for the lock.
    let version: i64 = tx
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .doing(path, "reading the schema version")?;
    if fresh {
        tx.pragma_update(None, "application_id", APPLICATION_ID).doing(path, "marking the file")?;
    }
    for step in STEPS.iter().skip(usize::try_from(version).unwrap_or(usize::MAX)) {
        tx.execute_batch(step).doing(path, "upgrading the schema")?;
    }
    tx.pragma_update(None, "user_version", CURRENT_VERSION).doing(path, "setting the version")?;
    tx.commit().doing(path, "committing the schema")
}
