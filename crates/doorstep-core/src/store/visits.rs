//! Home visits.

use chrono::Utc;
use rusqlite::{OptionalExtension, Row, params};

use super::Store;
use super::json_column::{from_json_column, to_json_column};
use crate::error::{Error, SqlContext};
use crate::ids::{PersonId, VisitId};
use crate::model::{NewVisit, RecordingConsent, Visit};

pub(super) const VISIT_COLUMNS: &str = "id, external_id, subject, at, place, present, child_seen_alone, consent, consent_by, created_at";

pub(super) fn visit_from_row(row: &Row<'_>) -> rusqlite::Result<Visit> {
    let present: String = row.get(5)?;
    let consent: String = row.get(7)?;
    Ok(Visit {
        id: row.get(0)?,
        external_id: row.get(1)?,
        subject: row.get(2)?,
        at: row.get(3)?,
        place: row.get(4)?,
        present: from_json_column(5, &present)?,
        child_seen_alone: row.get(6)?,
        consent: RecordingConsent::from_columns(&consent, row.get(8)?),
        created_at: row.get(9)?,
    })
}

impl Store {
    pub fn add_visit(&mut self, new: &NewVisit) -> Result<Visit, Error> {
        self.person(new.subject)?;
        if let RecordingConsent::Given { by } | RecordingConsent::Refused { by } = &new.consent
            && by.trim().is_empty()
        {
            return Err(Error::ConsentWithoutName);
        }
        let present: Vec<String> =
            new.present.iter().map(|p| p.trim().to_owned()).filter(|p| !p.is_empty()).collect();
        let id = VisitId::new();
        let (consent, consent_by) = new.consent.to_columns();
        self.conn
            .execute(
                &format!(
                    "INSERT INTO visits({VISIT_COLUMNS}) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)"
                ),
                params![
                    id,
                    new.external_id,
                    new.subject,
                    new.at,
                    new.place.as_deref().map(str::trim),
                    to_json_column(&present)?,
                    new.child_seen_alone,
                    consent,
                    consent_by.map(str::trim),
                    Utc::now(),
                ],
            )
            .context("adding a visit")?;
        self.visit(id)
    }

    pub fn visit(&self, id: VisitId) -> Result<Visit, Error> {
        self.conn
            .query_row(
                &format!("SELECT {VISIT_COLUMNS} FROM visits WHERE id = ?1"),
                [id],
                visit_from_row,
            )
            .optional()
            .context("reading a visit")?
            .ok_or_else(|| Error::NoSuchVisit(id.to_string()))
    }

    /// Visits, newest first, for one person or everyone.
    pub fn visits(&self, subject: Option<PersonId>) -> Result<Vec<Visit>, Error> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {VISIT_COLUMNS} FROM visits WHERE ?1 IS NULL OR subject = ?1
                 ORDER BY at DESC, id"
            ))
            .context("listing visits")?;
        stmt.query_map([subject], visit_from_row)
            .and_then(Iterator::collect)
            .context("listing visits")
    }
}
