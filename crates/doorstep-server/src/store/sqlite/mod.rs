//! The embedded backend: one SQLite file (WAL mode) holds every space. The server's default,
//! needing nothing installed. The data it holds is ciphertext and metadata already, so the file
//! itself is not encrypted (the workspace's SQLCipher build works as plain SQLite without a key).
//!
//! rusqlite blocks, so every call runs on tokio's blocking pool. Writes go through one connection
//! (SQLite has one writer at a time anyway); reads (authentication on every request, pulls) use a
//! few read-only connections, which WAL lets run beside a write.

mod queries;
mod schema;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use doorstep_wire::{DeviceInfo, Envelope, PushResponse};
use rusqlite::{Connection, OpenFlags};
use uuid::Uuid;

pub use schema::{CURRENT_VERSION, OpenError};

use super::{AuthDevice, Backend, NewDevice, Page, StoreError, StoreResult};
use crate::token::TokenHash;
use schema::Doing as _;

/// How many read-only connections serve authentication and pulls.
const READERS: usize = 4;
/// How long a statement waits for another connection's lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        StoreError::Backend(Box::new(error))
    }
}

/// The SQLite backend; clones share the connections.
#[derive(Clone)]
pub struct SqliteBackend {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next_reader: AtomicUsize,
}

impl std::fmt::Debug for SqliteBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteBackend").field("path", &self.inner.path).finish_non_exhaustive()
    }
}

impl SqliteBackend {
    /// Opens the database at `path`, creating it (and its schema) if there is no file yet.
    /// Blocks: call it at start-up, before serving.
    pub fn open(path: &Path) -> Result<Self, OpenError> {
        let mut writer = Connection::open(path).doing(path, "opening the database")?;
        writer.busy_timeout(BUSY_TIMEOUT).doing(path, "setting the busy timeout")?;
        schema::prepare(&mut writer, path)?;
        // A push is acknowledged only once it is on disk: a device then drops it from its
        // outbox, so losing it to a power cut would lose it for good.
        writer.pragma_update(None, "synchronous", "FULL").doing(path, "setting synchronous")?;
        writer.pragma_update(None, "foreign_keys", true).doing(path, "enabling foreign keys")?;
        let mut readers = Vec::with_capacity(READERS);
        for _ in 0..READERS {
            let reader = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .doing(path, "opening a reader")?;
            reader.busy_timeout(BUSY_TIMEOUT).doing(path, "setting the busy timeout")?;
            readers.push(Mutex::new(reader));
        }
        Ok(Self {
            inner: Arc::new(Inner {
                path: path.to_owned(),
                writer: Mutex::new(writer),
                readers,
                next_reader: AtomicUsize::new(0),
            }),
        })
    }

    /// Runs `f` on the writing connection, on the blocking pool.
    async fn write<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> StoreResult<T> + Send + 'static,
    {
        let inner = Arc::clone(&self.inner);
        blocking(move || f(&mut lock(&inner.writer))).await
    }

    /// Runs `f` on a reading connection (a free one if there is one), on the blocking pool.
    async fn read<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        let inner = Arc::clone(&self.inner);
        blocking(move || {
            let start = inner.next_reader.fetch_add(1, Ordering::Relaxed);
            let n = inner.readers.len();
            let free = (0..n).find_map(|i| inner.readers[(start + i) % n].try_lock().ok());
            match free {
                Some(conn) => f(&conn),
                None => f(&lock(&inner.readers[start % n])),
            }
        })
        .await
    }
}

/// A connection whose holder panicked is still usable: rusqlite rolls back an open transaction
/// when it is dropped during the unwind.
fn lock(conn: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    conn.lock().unwrap_or_else(PoisonError::into_inner)
}

async fn blocking<T, F>(f: F) -> StoreResult<T>
where
    T: Send + 'static,
    F: FnOnce() -> StoreResult<T> + Send + 'static,
{
    tokio::task::spawn_blocking(f).await.map_err(|join| StoreError::Backend(Box::new(join)))?
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

impl Backend for SqliteBackend {
    async fn check(&self) -> StoreResult<()> {
        self.read(|conn| Ok(conn.query_row("SELECT 1", [], |_| Ok(()))?)).await
    }

    async fn create_space(&self, space: Uuid, first: NewDevice) -> StoreResult<()> {
        self.write(move |conn| queries::create_space(conn, space, &first, &now())).await
    }

    async fn enrol_device(&self, space: Uuid, by: Uuid, device: NewDevice) -> StoreResult<()> {
        self.write(move |conn| queries::enrol_device(conn, space, by, &device, &now())).await
    }

    async fn list_devices(&self, space: Uuid) -> StoreResult<Vec<DeviceInfo>> {
        self.read(move |conn| queries::list_devices(conn, space)).await
    }

    async fn revoke_device(&self, space: Uuid, device: Uuid) -> StoreResult<()> {
        self.write(move |conn| queries::revoke_device(conn, space, device, &now())).await
    }

    async fn authenticate(&self, token: TokenHash) -> StoreResult<Option<AuthDevice>> {
        self.read(move |conn| queries::authenticate(conn, token)).await
    }

    async fn push(&self, space: Uuid, envelopes: Vec<Envelope>) -> StoreResult<PushResponse> {
        self.write(move |conn| queries::push(conn, space, &envelopes, &now())).await
    }

    async fn pull(&self, space: Uuid, after: u64, limit: usize) -> StoreResult<Page> {
        self.read(move |conn| queries::pull(conn, space, after, limit)).await
    }
}
