//! The whole store as one JSON document, for handing records on or archiving them.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::Store;
use crate::error::{Error, SqlContext};
use crate::model::{Household, Note, Person, Visit};

#[derive(Debug, Serialize)]
pub struct Export {
    pub format: &'static str,
    pub schema_version: i64,
    pub exported_at: DateTime<Utc>,
    pub practitioner: Option<String>,
    pub households: Vec<Household>,
    pub people: Vec<Person>,
    pub visits: Vec<Visit>,
    pub notes: Vec<Note>,
}

impl Store {
    /// Everything, read inside one transaction so a concurrent write cannot split it.
    pub fn export(&self) -> Result<Export, Error> {
        let snapshot = self.conn.unchecked_transaction().context("starting the export")?;
        let export = Export {
            format: "doorstep-export/1",
            schema_version: self.schema_version()?,
            exported_at: Utc::now(),
            practitioner: self.practitioner()?,
            households: self.households()?,
            people: self.people()?,
            visits: self.visits(None)?,
            notes: self.all_notes()?,
        };
        snapshot.finish().context("finishing the export")?;
        Ok(export)
    }
}
