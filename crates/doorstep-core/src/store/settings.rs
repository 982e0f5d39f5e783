//! Store-wide settings and counts.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::Store;
use crate::error::{Error, SqlContext};

const PRACTITIONER: &str = "practitioner";

/// How much the store holds.
#[derive(Debug, Clone, Serialize)]
pub struct StoreStats {
    pub schema_version: i64,
    pub people: u64,
    pub households: u64,
    pub visits: u64,
    pub notes: u64,
}

impl Store {
    /// The practitioner who owns this store, the default author of their notes.
    pub fn practitioner(&self) -> Result<Option<String>, Error> {
        self.conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [PRACTITIONER], |r| r.get(0))
            .optional()
            .context("reading settings")
    }

    pub fn set_practitioner(&mut self, name: &str) -> Result<(), Error> {
        self.conn
            .execute(
                "INSERT INTO settings(key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![PRACTITIONER, name.trim()],
            )
            .context("saving settings")?;
        Ok(())
    }

    /// Moves the write-ahead log into the database file, so the file alone holds everything
    /// (before measuring its size or copying it).
    pub fn checkpoint(&self) -> Result<(), Error> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .context("checkpointing the database")
    }

    pub fn stats(&self) -> Result<StoreStats, Error> {
        let count = |table: &str| -> Result<u64, Error> {
            self.conn
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
                .context("counting records")
        };
        Ok(StoreStats {
            schema_version: self.schema_version()?,
            people: count("people")?,
            households: count("households")?,
            visits: count("visits")?,
            notes: count("notes")?,
        })
    }
}
