//! Where a synced change sits in the one order every device agrees on, in the form the store
//! keeps it: four columns (`hlc_wall_ms`, `hlc_counter`, `hlc_device` and the record id) that
//! compare in SQL as they do here.
//!
//! The clock itself is doorstep-wire's hybrid logical clock, ticked by doorstep-sync when it seals
//! a change; the core never ticks it. It only compares stamps, so that the store and doorstep-sync's
//! merge pick the same winner.

use rusqlite::Row;
use serde::Serialize;
use uuid::Uuid;

use crate::error::Error;

/// A change's hybrid logical clock (wall-clock milliseconds, a counter, the device whose clock it
/// is) and then its record id: ordered field by field, so two changes compare equal only when they
/// are the same record. Uuids compare by their bytes, as SQLite compares blobs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ChangeStamp {
    pub wall_ms: u64,
    pub counter: u32,
    pub device: Uuid,
    pub record: Uuid,
}

impl ChangeStamp {
    /// Refuses a clock the store cannot hold (SQLite integers are signed), which only a broken
    /// or hostile peer sends.
    pub(crate) fn checked(self) -> Result<Self, Error> {
        if i64::try_from(self.wall_ms).is_err() {
            return Err(Error::BadRecord("its clock is out of range".into()));
        }
        Ok(self)
    }

    /// When the change was made, by its author's clock, if that is a time.
    pub fn time(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        i64::try_from(self.wall_ms).ok().and_then(chrono::DateTime::from_timestamp_millis)
    }

    /// Reads the four stamp columns starting at `first` (wall ms, counter, device, record).
    pub(crate) fn from_row(row: &Row<'_>, first: usize) -> rusqlite::Result<Self> {
        Ok(Self {
            wall_ms: row.get(first)?,
            counter: row.get(first + 1)?,
            device: row.get(first + 2)?,
            record: row.get(first + 3)?,
        })
    }
}
