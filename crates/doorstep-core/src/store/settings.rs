//! Store-wide settings and counts.

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
        self.setting(PRACTITIONER)
    }

    pub fn set_practitioner(&mut self, name: &str) -> Result<(), Error> {
        self.set_setting(PRACTITIONER, name.trim())
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
