//! The encrypted record store: one SQLCipher database per practitioner.
//!
//! Every connection goes through [`Store::open`]/[`Store::create`], which key the connection
//! before anything else touches the file, check it is a Doorstep database, set the pragmas and
//! bring the schema up to date. A file that cannot be read with the key is reported and left
//! alone, never deleted or recreated.

mod ecomap;
mod export;
mod import;
mod json_column;
mod notes;
mod people;
mod recordings;
mod review;
mod schema;
mod search_index;
mod settings;
mod sync;
#[cfg(test)]
mod test_support;
mod transcriptions;
mod visits;
mod vocabulary;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use crate::error::{Error, SqlContext, classify};
use crate::keys::DatabaseKey;

pub use ecomap::{EcomapRejection, EcomapVersionSummary, SealedEcomap, StagedEcomap, UnreadNote};
pub use export::Export;
pub use import::{ImportOptions, ImportProgress, ImportReport, LineError, LineProblem};
pub use notes::{NoteFilter, NoteSummary};
pub use recordings::{RECORDINGS_DIR, Recording, RecordingState};
pub use review::Retention;
pub use schema::CURRENT_VERSION;
pub use search_index::{
    IndexedNote, NoteKey, NoteKeys, NotePiece, PendingNote, SearchScope, StoredVector, ThemeMatch,
};
pub use settings::StoreStats;
pub use sync::{
    AUDIO_PART_BYTES, Assembled, AudioPart, Carries, ChangeStamp, IncomingAudio,
    MAX_AUDIO_PART_BYTES, MAX_AUDIO_PARTS, NoteRevision, OutboxEntry, Outgoing, PERSON_FIELDS,
    PersonEdit, PersonFieldValue, PersonRejections, Quarantined, ReceivedNote, SealedNote,
    SealedPersonField, SyncClock, SyncServer, SyncState, SyncToken,
};
pub use transcriptions::{NewSegment, SavedWindow, TranscriptionCheckpoint};
pub use vocabulary::CaseVocabulary;

/// How the database file is encrypted.
#[derive(Debug)]
pub enum Keying {
    /// SQLCipher with a raw 256-bit key: every store holding case records.
    Encrypted(DatabaseKey),
    /// No encryption. Exists only so benchmarks can measure what encryption costs with the same
    /// code; nothing in Doorstep opens a store this way.
    Unencrypted,
}

#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Creates a new database at `path`, which must not exist.
    pub fn create(path: &Path, keying: &Keying) -> Result<Self, Error> {
        if path.exists() {
            return Err(Error::StoreExists(path.to_owned()));
        }
        Self::connect(path, keying, OpenFlags::SQLITE_OPEN_CREATE, true)
    }

    /// Opens an existing database at `path`.
    pub fn open(path: &Path, keying: &Keying) -> Result<Self, Error> {
        if !path.exists() {
            return Err(Error::NoStore(path.to_owned()));
        }
        Self::connect(path, keying, OpenFlags::empty(), false)
    }

    fn connect(
        path: &Path,
        keying: &Keying,
        extra: OpenFlags,
        creating: bool,
    ) -> Result<Self, Error> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | extra;
        let conn = Connection::open_with_flags(path, flags).context("opening the database")?;
        if let Keying::Encrypted(key) = keying {
            conn.pragma_update(None, "key", &*key.pragma_value()).context("keying the database")?;
        }
        conn.busy_timeout(std::time::Duration::from_secs(5)).context("setting busy timeout")?;
        // The first read of the file: with SQLCipher this is where a wrong key or a damaged
        // header shows.
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get::<_, i64>(0))
            .map_err(|e| match classify("opening the database", e) {
                Error::Damaged { .. } => Error::DamagedFile { path: path.to_owned() },
                other => other,
            })?;
        // Case text must never reach an unencrypted temporary file.
        conn.pragma_update(None, "temp_store", "MEMORY").context("setting temp_store")?;
        conn.pragma_update(None, "foreign_keys", true).context("enabling foreign keys")?;
        // Every page read from disk is decrypted and every evicted dirty page encrypted again; a
        // 16 MiB cache (SQLite's default is 2 MiB) keeps the indexes' hot pages decrypted.
        conn.pragma_update(None, "cache_size", -16 * 1024).context("setting the cache size")?;
        let mut store = Self { conn, path: path.to_owned() };
        schema::prepare(&mut store.conn, path, creating)?;
        store.conn.pragma_update(None, "synchronous", "NORMAL").context("setting synchronous")?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64, Error> {
        self.conn
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .context("reading the schema version")
    }

    /// Runs `work` in one write transaction: all its changes are kept, or, if it fails, none.
    /// The methods that take in synced records nest inside it (each is a savepoint), so a sync
    /// takes in a page of records with one commit instead of one per record.
    pub fn in_one_transaction<T, E: From<Error>>(
        &mut self,
        work: impl FnOnce(&mut Self) -> Result<T, E>,
    ) -> Result<T, E> {
        self.conn.execute_batch("BEGIN IMMEDIATE").context("starting a transaction")?;
        match work(self) {
            Ok(value) => match self.conn.execute_batch("COMMIT").context("committing") {
                Ok(()) => Ok(value),
                Err(error) => {
                    let _ = self.conn.execute_batch("ROLLBACK");
                    Err(error.into())
                }
            },
            Err(error) => {
                // Gone already if SQLite rolled back by itself (a full disk, an I/O error).
                if !self.conn.is_autocommit() {
                    let _ = self.conn.execute_batch("ROLLBACK");
                }
                Err(error)
            }
        }
    }
}
