//! The PostgreSQL schema and its upgrades. The table `doorstep_schema` holds a row per version
//! applied; each step to the next version is a SQL file beside this one, never edited once
//! shipped. PostgreSQL's DDL is transactional, so an upgrade runs in one transaction and a failed
//! one leaves the database as it was. Several servers may start at once over one database: they
//! take turns on an advisory lock, and the later ones find the work done. A database from a newer
//! server is refused, never changed.

use deadpool_postgres::Client;

use super::OpenError;

pub const CURRENT_VERSION: i32 = 1;

/// `STEPS[n]` takes the database from version `n` to `n + 1`.
const STEPS: [&str; CURRENT_VERSION as usize] = [include_str!("0001_spaces_devices_envelopes.sql")];

/// The advisory lock servers take turns on while they check or upgrade the schema ("DSRV").
const UPGRADE_LOCK: i64 = 0x4453_5256;

/// Attaches the step to a PostgreSQL error.
trait Doing<T> {
    fn doing(self, db: &str, doing: &'static str) -> Result<T, OpenError>;
}

impl<T> Doing<T> for Result<T, tokio_postgres::Error> {
    fn doing(self, db: &str, doing: &'static str) -> Result<T, OpenError> {
        self.map_err(|source| OpenError::Sql { db: db.to_owned(), doing, source })
    }
}

/// Brings the schema up to date. `db` names the database in errors (never with its password).
pub(super) async fn prepare(client: &mut Client, db: &str) -> Result<(), OpenError> {
    let tx = client.transaction().await.doing(db, "starting the upgrade")?;
    // Held until the transaction ends, whichever way.
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&UPGRADE_LOCK])
        .await
        .doing(db, "waiting for another server's upgrade")?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS doorstep_schema (
             version integer PRIMARY KEY,
             upgraded_at timestamptz NOT NULL DEFAULT now()
         )",
    )
    .await
    .doing(db, "creating the schema version table")?;
    let mut version: i32 = tx
        .query_one("SELECT coalesce(max(version), 0) FROM doorstep_schema", &[])
        .await
        .doing(db, "reading the schema version")?
        .try_get(0)
        .doing(db, "reading the schema version")?;
    if version > CURRENT_VERSION {
        return Err(OpenError::NewerSchema {
            db: db.to_owned(),
            found: version,
            supported: CURRENT_VERSION,
        });
    }
    for step in STEPS.iter().skip(usize::try_from(version).unwrap_or(usize::MAX)) {
        tx.batch_execute(step).await.doing(db, "upgrading the schema")?;
        version += 1;
        tx.execute("INSERT INTO doorstep_schema (version) VALUES ($1)", &[&version])
            .await
            .doing(db, "recording the schema version")?;
    }
    tx.commit().await.doing(db, "committing the schema")
}
