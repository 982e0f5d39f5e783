//! A person's ecomap as sync merges it: one last-writer-wins register per element (each tie, the
//! list of strengths, the list of what matters), so that two devices confirming different changes
//! both keep theirs and every device ends with the same map.
//!
//! Confirming a map here stages what changed against the current elements ([`stage`]): a tie added
//! or changed is staged with its new value, a tie left out is staged as removed. doorstep-sync
//! seals a person's staged elements as one record ([`Store::staged_ecomaps`]) and the store then
//! merges them like any write ([`record_sealed`]). A write received from another device replaces
//! an element only if its stamp is greater ([`Store::receive_ecomap`]); a removal keeps its stamp
//! (a tombstone), so an older write delivered late cannot bring the tie back. Whenever the
//! elements change the map, the map they make is saved as the person's next version ([`settle`]),
//! so the latest version is always the merged map, and the history shows each change arriving.

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

use super::super::Store;
use super::super::json_column::{from_json_column, to_json_column};
use super::super::sync::ChangeStamp;
use super::{insert_version, latest};
use crate::error::{Error, SqlContext};
use crate::ids::PersonId;
use crate::model::{Ecomap, EcomapElement, ElementChange};

/// A person's ecomap changes confirmed here that no envelope carries yet.
#[derive(Debug, Clone, PartialEq)]
pub struct StagedEcomap {
    pub person: PersonId,
    pub elements: Vec<ElementChange>,
}

/// A person's staged changes as doorstep-sync sealed them, with the stamp it gave them.
#[derive(Debug, Clone)]
pub struct SealedEcomap {
    pub stamp: ChangeStamp,
    pub staged: StagedEcomap,
}

impl Store {
    /// Every person's ecomap changes confirmed here and not sealed yet, by person.
    pub fn staged_ecomaps(&self) -> Result<Vec<StagedEcomap>, Error> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT person, element, staged_value FROM ecomap_elements WHERE staged = 1
                 ORDER BY person, element",
            )
            .context("listing ecomap changes to share")?;
        let rows: Vec<(PersonId, Uuid, Option<String>)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .and_then(Iterator::collect)
            .context("listing ecomap changes to share")?;
        let mut staged: Vec<StagedEcomap> = Vec::new();
        for (person, element, value) in rows {
            let value = value.map(|json| decode(&json)).transpose()?;
            let change = ElementChange { element, value };
            match staged.last_mut() {
                Some(last) if last.person == person => last.elements.push(change),
                _ => staged.push(StagedEcomap { person, elements: vec![change] }),
            }
        }
        Ok(staged)
    }

    /// How many people have ecomap changes confirmed here and not sealed yet.
    pub(crate) fn staged_ecomap_count(&self) -> Result<u64, Error> {
        self.conn
            .query_row(
                "SELECT count(DISTINCT person) FROM ecomap_elements WHERE staged = 1",
                [],
                |r| r.get(0),
            )
            .context("counting ecomap changes to share")
    }

    /// Merges the element writes of one record from another device, all stamped `stamp`; the
    /// person must be here. Returns whether the map changed (a replay, or writes older than what
    /// this store holds, change nothing).
    pub fn receive_ecomap(
        &mut self,
        stamp: ChangeStamp,
        person: PersonId,
        writes: &[ElementChange],
    ) -> Result<bool, Error> {
        stamp.checked()?;
        for write in writes {
            if write.value.as_ref().is_some_and(|value| value.id() != write.element) {
                return Err(Error::BadRecord(format!(
                    "an ecomap element of {person} is filed under another element's id"
                )));
            }
        }
        let tx = self.conn.savepoint().context("receiving an ecomap")?;
        let here: bool = tx
            .query_row("SELECT count(*) > 0 FROM people WHERE id = ?1", [person], |r| r.get(0))
            .context("receiving an ecomap")?;
        if !here {
            return Err(Error::NoSuchPerson(person.to_string()));
        }
        let mut changed = false;
        for write in writes {
            changed |= merge(&tx, person, write, &stamp)?;
        }
        if changed {
            settle(&tx, person)?;
        }
        tx.commit().context("receiving an ecomap")?;
        Ok(changed)
    }
}

fn decode(json: &str) -> Result<EcomapElement, Error> {
    from_json_column(0, json).context("reading an ecomap element")
}

/// Stages the changes that make the person's current elements into `map`.
pub(super) fn stage(tx: &Connection, map: &Ecomap) -> Result<(), Error> {
    let mut current = current_elements(tx, map.person)?;
    let mut upsert = tx
        .prepare(
            "INSERT INTO ecomap_elements(person, element, staged, staged_value) VALUES (?1, ?2, 1, ?3)
             ON CONFLICT(person, element) DO UPDATE SET staged = 1, staged_value = excluded.staged_value",
        )
        .context("staging ecomap changes")?;
    for element in map.elements() {
        let id = element.id();
        let old = current.remove(&id).or_else(|| empty_like(&element));
        if old.as_ref() != Some(&element) {
            upsert
                .execute(params![map.person, id, to_json_column(&element)?])
                .context("staging ecomap changes")?;
        }
    }
    for id in current.into_keys() {
        upsert
            .execute(params![map.person, id, Option::<String>::None])
            .context("staging ecomap changes")?;
    }
    Ok(())
}

/// What an element never written stands for: nothing for a tie, an empty list for a list.
fn empty_like(element: &EcomapElement) -> Option<EcomapElement> {
    match element {
        EcomapElement::Tie(_) => None,
        EcomapElement::Strengths(_) => Some(EcomapElement::Strengths(Vec::new())),
        EcomapElement::Matters(_) => Some(EcomapElement::Matters(Vec::new())),
    }
}

/// The person's elements as the map shows them (a staged change over the merged value), removed
/// ones left out.
fn current_elements(
    tx: &Connection,
    person: PersonId,
) -> Result<BTreeMap<Uuid, EcomapElement>, Error> {
    let mut stmt = tx
        .prepare(
            "SELECT element, CASE WHEN staged = 1 THEN staged_value ELSE value END
             FROM ecomap_elements WHERE person = ?1",
        )
        .context("reading ecomap elements")?;
    let rows: Vec<(Uuid, Option<String>)> = stmt
        .query_map([person], |r| Ok((r.get(0)?, r.get(1)?)))
        .and_then(Iterator::collect)
        .context("reading ecomap elements")?;
    let mut elements = BTreeMap::new();
    for (id, value) in rows {
        if let Some(json) = value {
            elements.insert(id, decode(&json)?);
        }
    }
    Ok(elements)
}

/// Writes one element if `stamp` is past the one it holds; returns whether it did.
fn merge(
    tx: &Connection,
    person: PersonId,
    write: &ElementChange,
    stamp: &ChangeStamp,
) -> Result<bool, Error> {
    let held: Option<Option<ChangeStamp>> = tx
        .query_row(
            "SELECT hlc_wall_ms, hlc_counter, hlc_device, record FROM ecomap_elements
             WHERE person = ?1 AND element = ?2",
            params![person, write.element],
            |r| match r.get::<_, Option<i64>>(0)? {
                Some(_) => ChangeStamp::from_row(r, 0).map(Some),
                None => Ok(None),
            },
        )
        .optional()
        .context("merging an ecomap element")?;
    if held.flatten().is_some_and(|held| held >= *stamp) {
        return Ok(false);
    }
    let value = write.value.as_ref().map(to_json_column).transpose()?;
    tx.execute(
        "INSERT INTO ecomap_elements(person, element, hlc_wall_ms, hlc_counter, hlc_device, record,
                                     value)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT(person, element) DO UPDATE SET
             hlc_wall_ms = excluded.hlc_wall_ms, hlc_counter = excluded.hlc_counter,
             hlc_device = excluded.hlc_device, record = excluded.record, value = excluded.value",
        params![
            person,
            write.element,
            stamp.wall_ms,
            stamp.counter,
            stamp.device,
            stamp.record,
            value
        ],
    )
    .context("merging an ecomap element")?;
    Ok(true)
}

/// Records a person's staged changes as sealed: each is merged as a write with the record's
/// stamp, and unstaged unless it was confirmed again after it was read for sealing.
pub(in crate::store) fn record_sealed(tx: &Connection, sealed: &SealedEcomap) -> Result<(), Error> {
    let person = sealed.staged.person;
    for write in &sealed.staged.elements {
        merge(tx, person, write, &sealed.stamp)?;
        let staged: Option<Option<String>> = tx
            .query_row(
                "SELECT staged_value FROM ecomap_elements
                 WHERE person = ?1 AND element = ?2 AND staged = 1",
                params![person, write.element],
                |r| r.get(0),
            )
            .optional()
            .context("marking ecomap changes shared")?;
        let Some(staged) = staged else { continue };
        if staged.map(|json| decode(&json)).transpose()? == write.value {
            tx.execute(
                "UPDATE ecomap_elements SET staged = 0, staged_value = NULL
                 WHERE person = ?1 AND element = ?2",
                params![person, write.element],
            )
            .context("marking ecomap changes shared")?;
        }
    }
    settle(tx, person)
}

/// Saves the map the elements make as the person's next version, if it is not the latest one.
fn settle(tx: &Connection, person: PersonId) -> Result<(), Error> {
    let merged = Ecomap::from_elements(person, current_elements(tx, person)?.into_values());
    let latest = latest(tx, person)?.map_or_else(|| Ecomap::empty(person), |v| v.map);
    if Ecomap::from_elements(person, latest.elements()) != merged {
        insert_version(tx, &merged, chrono::Utc::now())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
