//! A person's fields as sync merges them: one last-writer-wins register per field (name,
//! aliases, date of birth, household, external id), so two devices changing different fields
//! both keep theirs, and the later of two changes to one field wins on every device.
//!
//! A person travels field by field: when first shared, every field that holds a value (the name
//! first); after an edit here ([`Store::edit_person`]), each field it changed, staged until
//! doorstep-sync seals it ([`Store::person_fields_to_share`], then [`record_sealed`]). A field
//! cleared here travels as `None`, a tombstone with its own stamp. A write received from another
//! device ([`Store::receive_person_field`]) replaces the field only if its stamp is greater than
//! the one the field holds; a field edited here and not yet sealed keeps its value, since the
//! edit will be sealed later on a clock that has seen the received write, and so win everywhere.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

use super::super::Store;
use super::super::people::{checked_name, ensure_household};
use super::{ChangeStamp, mark_shared};
use crate::error::{Error, SqlContext};
use crate::ids::PersonId;
use crate::model::Person;

/// The fields that travel, in the order a new person's are sent (the name first: a device takes
/// in no other field of a person it does not have).
pub const PERSON_FIELDS: [&str; 5] =
    ["name", "aliases", "date_of_birth", "household", "external_id"];

/// One field of a person to seal: its value in text form, or `None` for cleared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonFieldValue {
    pub person: PersonId,
    pub field: &'static str,
    pub value: Option<String>,
    /// The person's first envelope: sealing it marks the person shared.
    pub first: bool,
}

/// A field as doorstep-sync sealed it, with the stamp it gave it.
#[derive(Debug, Clone)]
pub struct SealedPersonField {
    pub stamp: ChangeStamp,
    pub field: PersonFieldValue,
}

/// What a practitioner changes about a person; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct PersonEdit {
    pub name: Option<String>,
    pub aliases: Option<Vec<String>>,
    /// `Some(None)` clears it.
    pub date_of_birth: Option<Option<NaiveDate>>,
    /// A household by name, created if new; `Some(None)` takes the person out of theirs.
    pub household: Option<Option<String>>,
}

impl Store {
    /// Every person field no envelope carries yet: all the fields of people never shared (those
    /// holding a value), then each field edited here since it was last sealed.
    pub fn person_fields_to_share(&self) -> Result<Vec<PersonFieldValue>, Error> {
        let mut out = Vec::new();
        for person in self.unshared_people()? {
            let household = self.household_name(&person)?;
            for field in PERSON_FIELDS {
                let value = field_value(&person, household.as_deref(), field);
                if value.is_some() {
                    let first = field == "name";
                    out.push(PersonFieldValue { person: person.id, field, value, first });
                }
            }
        }
        let staged: Vec<(PersonId, String)> = self
            .conn
            .prepare(
                "SELECT person, field FROM person_fields_staged
                 WHERE person IN (SELECT record FROM sync_shared) ORDER BY person, field",
            )
            .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
            .context("listing person fields to share")?;
        for (id, staged_field) in staged {
            let Some(field) = PERSON_FIELDS.into_iter().find(|f| *f == staged_field) else {
                continue;
            };
            let person = self.person(id)?;
            let household = self.household_name(&person)?;
            let value = field_value(&person, household.as_deref(), field);
            out.push(PersonFieldValue { person: id, field, value, first: false });
        }
        Ok(out)
    }

    /// How many fields of people already shared were edited here and not sealed yet.
    pub(super) fn staged_person_field_count(&self) -> Result<u64, Error> {
        self.conn
            .query_row(
                "SELECT count(*) FROM person_fields_staged
                 WHERE person IN (SELECT record FROM sync_shared)",
                [],
                |r| r.get(0),
            )
            .context("counting person fields to share")
    }

    /// Changes a person's fields; those that changed are staged to travel if the person has
    /// been shared already (a person not yet shared travels whole).
    pub fn edit_person(&mut self, id: PersonId, edit: &PersonEdit) -> Result<Person, Error> {
        let before = self.person(id)?;
        let before_household = self.household_name(&before)?;
        let aliases = edit.aliases.as_ref().map(|a| aliases_value(a)).transpose()?;
        let changes: Vec<(&'static str, Option<String>)> = [
            edit.name.as_ref().map(|n| ("name", Some(n.clone()))),
            aliases.map(|a| ("aliases", a)),
            edit.date_of_birth.map(|d| ("date_of_birth", d.map(|d| d.to_string()))),
            edit.household.clone().map(|h| ("household", h)),
        ]
        .into_iter()
        .flatten()
        .filter(|(field, value)| field_value(&before, before_household.as_deref(), field) != *value)
        .collect();
        let tx = self.conn.transaction().context("editing a person")?;
        for (field, value) in &changes {
            write_field(&tx, id, field, value.as_deref())?;
            tx.execute(
                "INSERT OR IGNORE INTO person_fields_staged(person, field) VALUES (?1, ?2)",
                params![id, field],
            )
            .context("editing a person")?;
        }
        tx.commit().context("editing a person")?;
        self.person(id)
    }

    /// A person's field written on another device. A name adds the person if they are not
    /// here; any other field of a person not here is refused (it is set aside and tried again
    /// once the name has come). Returns whether this store changed.
    pub fn receive_person_field(
        &mut self,
        envelope: Uuid,
        person: PersonId,
        field: &str,
        value: Option<&str>,
        stamp: ChangeStamp,
    ) -> Result<bool, Error> {
        let stamp = stamp.checked()?;
        let Some(field) = PERSON_FIELDS.into_iter().find(|f| *f == field) else {
            return Err(Error::BadRecord(format!("a person has no field {field:?}")));
        };
        let tx = self.conn.savepoint().context("receiving a person")?;
        let here: bool = tx
            .query_row("SELECT count(*) FROM people WHERE id = ?1", [person], |r| r.get(0))
            .context("receiving a person")?;
        let mut changed = false;
        if !here {
            match (field, value) {
                ("name", Some(name)) => {
                    let name = checked_name(name, "a received person's name")?;
                    tx.execute(
                        "INSERT INTO people(id, name, created_at) VALUES (?1, ?2, ?3)",
                        params![person, name, chrono::Utc::now()],
                    )
                    .context("receiving a person")?;
                    changed = true;
                }
                _ => return Err(Error::NoSuchPerson(person.to_string())),
            }
        }
        if field == "name" {
            mark_shared(&tx, *person.as_uuid(), "person", envelope)?;
        }
        let held: Option<ChangeStamp> = tx
            .query_row(
                "SELECT hlc_wall_ms, hlc_counter, hlc_device, record FROM person_field_stamps
                 WHERE person = ?1 AND field = ?2",
                params![person, field],
                |r| ChangeStamp::from_row(r, 0),
            )
            .optional()
            .context("receiving a person")?;
        if held.is_some_and(|held| held >= stamp) {
            tx.commit().context("receiving a person")?;
            return Ok(changed);
        }
        let staged: bool = tx
            .query_row(
                "SELECT count(*) FROM person_fields_staged WHERE person = ?1 AND field = ?2",
                params![person, field],
                |r| r.get(0),
            )
            .context("receiving a person")?;
        // A person just added holds the received name already.
        let added = changed;
        if !staged && !added {
            write_field(&tx, person, field, value)?;
            changed = true;
        }
        set_stamp(&tx, person, field, &stamp)?;
        tx.commit().context("receiving a person")?;
        Ok(changed)
    }
}

/// Marks a sealed field as carried: the person as shared (their first envelope), the field's
/// stamp as the one it holds, and the edit as no longer staged.
pub(super) fn record_sealed(tx: &Connection, sealed: &SealedPersonField) -> Result<(), Error> {
    let field = &sealed.field;
    if field.first {
        mark_shared(tx, *field.person.as_uuid(), "person", sealed.stamp.record)?;
        // A person's first envelopes carry every field as it is now.
        tx.execute("DELETE FROM person_fields_staged WHERE person = ?1", [field.person])
            .context("marking a person shared")?;
    }
    set_stamp(tx, field.person, field.field, &sealed.stamp)?;
    tx.execute(
        "DELETE FROM person_fields_staged WHERE person = ?1 AND field = ?2",
        params![field.person, field.field],
    )
    .context("marking a person field shared")?;
    Ok(())
}

fn set_stamp(
    tx: &Connection,
    person: PersonId,
    field: &str,
    stamp: &ChangeStamp,
) -> Result<(), Error> {
    tx.execute(
        "INSERT INTO person_field_stamps(person, field, hlc_wall_ms, hlc_counter, hlc_device, record)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT(person, field) DO UPDATE SET hlc_wall_ms = excluded.hlc_wall_ms,
             hlc_counter = excluded.hlc_counter, hlc_device = excluded.hlc_device,
             record = excluded.record",
        params![person, field, stamp.wall_ms, stamp.counter, stamp.device, stamp.record],
    )
    .context("stamping a person field")?;
    Ok(())
}

/// A field in the text form it travels in; `None` when it holds nothing.
fn field_value(person: &Person, household: Option<&str>, field: &str) -> Option<String> {
    match field {
        "name" => Some(person.name.clone()),
        "aliases" => aliases_value(&person.aliases).ok().flatten(),
        "date_of_birth" => person.date_of_birth.map(|d| d.to_string()),
        "household" => household.map(str::to_owned),
        "external_id" => person.external_id.clone(),
        _ => None,
    }
}

/// Aliases as one value: a sorted JSON list, `None` for none.
fn aliases_value(aliases: &[String]) -> Result<Option<String>, Error> {
    let mut checked =
        aliases.iter().map(|a| checked_name(a, "an alias")).collect::<Result<Vec<_>, _>>()?;
    checked.sort();
    checked.dedup();
    if checked.is_empty() {
        return Ok(None);
    }
    serde_json::to_string(&checked).map(Some).map_err(|e| Error::BadRecord(e.to_string()))
}

/// Writes one field's text form into the person's row (and aliases, household).
fn write_field(
    tx: &Connection,
    person: PersonId,
    field: &str,
    value: Option<&str>,
) -> Result<(), Error> {
    let bad = |what: &str| Error::BadRecord(format!("a person's {field} {what}"));
    match field {
        "name" => {
            let name = checked_name(value.ok_or_else(|| bad("cannot be removed"))?, "a name")?;
            tx.execute("UPDATE people SET name = ?2 WHERE id = ?1", params![person, name])
                .context("writing a person's name")?;
        }
        "aliases" => {
            let aliases: Vec<String> = match value {
                Some(json) => serde_json::from_str(json).map_err(|_| bad("is not a list"))?,
                None => Vec::new(),
            };
            tx.execute("DELETE FROM person_aliases WHERE person = ?1", [person])
                .context("writing aliases")?;
            for alias in aliases {
                tx.execute(
                    "INSERT OR IGNORE INTO person_aliases(person, alias) VALUES (?1, ?2)",
                    params![person, checked_name(&alias, "an alias")?],
                )
                .context("writing aliases")?;
            }
        }
        "date_of_birth" => {
            let date = value
                .map(|d| d.parse::<NaiveDate>().map_err(|_| bad("is not a date")))
                .transpose()?;
            tx.execute("UPDATE people SET date_of_birth = ?2 WHERE id = ?1", params![person, date])
                .context("writing a date of birth")?;
        }
        "household" => {
            let household = value
                .map(|name| ensure_household(tx, &checked_name(name, "a household name")?))
                .transpose()?;
            tx.execute(
                "UPDATE people SET household = ?2 WHERE id = ?1",
                params![person, household],
            )
            .context("writing a household")?;
        }
        "external_id" => {
            tx.execute("UPDATE people SET external_id = ?2 WHERE id = ?1", params![person, value])
                .map_err(|e| match e.sqlite_error_code() {
                    Some(rusqlite::ErrorCode::ConstraintViolation) => Error::DuplicateExternalId {
                        kind: "person",
                        id: value.unwrap_or_default().to_owned(),
                    },
                    _ => crate::error::classify("writing an external id", e),
                })?;
        }
        _ => return Err(bad("is not a field")),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NewPerson;
    use crate::store::sync::{Carries, Outgoing};
    use crate::store::test_support::scratch_store;

    fn stamp(wall_ms: u64) -> ChangeStamp {
        ChangeStamp { wall_ms, counter: 0, device: Uuid::now_v7(), record: Uuid::now_v7() }
    }

    /// Seals what `store` has to share as if doorstep-sync had, at `wall_ms`.
    fn seal_all(store: &mut Store, wall_ms: u64) -> Vec<PersonFieldValue> {
        let fields = store.person_fields_to_share().unwrap();
        let outgoing: Vec<Outgoing> = fields
            .iter()
            .map(|field| Outgoing {
                id: Uuid::now_v7(),
                kind: "person".into(),
                envelope: "{}".into(),
                carries: Carries::PersonField(SealedPersonField {
                    stamp: stamp(wall_ms),
                    field: field.clone(),
                }),
            })
            .collect();
        store.queue_outgoing(&outgoing).unwrap();
        fields
    }

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn a_person_travels_field_by_field_and_the_later_write_to_a_field_wins() {
        let (_dir, mut a) = scratch_store();
        let joan = a
            .add_person(&NewPerson {
                name: "Joan Platt".into(),
                aliases: vec!["Nan".into(), "Grandma Jo".into()],
                date_of_birth: Some(date("1941-03-02")),
                household: Some("Platt household".into()),
                external_id: Some("MOS-7".into()),
            })
            .unwrap();
        let sent = seal_all(&mut a, 10);
        let fields: Vec<(&str, Option<&str>, bool)> =
            sent.iter().map(|f| (f.field, f.value.as_deref(), f.first)).collect();
        assert_eq!(
            fields,
            [
                ("name", Some("Joan Platt"), true),
                ("aliases", Some(r#"["Grandma Jo","Nan"]"#), false),
                ("date_of_birth", Some("1941-03-02"), false),
                ("household", Some("Platt household"), false),
                ("external_id", Some("MOS-7"), false),
            ]
        );
        assert!(a.person_fields_to_share().unwrap().is_empty());
        assert_eq!(a.unshared_count().unwrap(), 0);

        // Another device takes them in, name first; a field of someone not here is refused.
        let (_other, mut b) = scratch_store();
        let early =
            b.receive_person_field(Uuid::now_v7(), joan.id, "aliases", Some("[]"), stamp(10));
        assert!(early.unwrap_err().is_refusal());
        for field in &sent {
            let value = field.value.as_deref();
            assert!(
                b.receive_person_field(Uuid::now_v7(), joan.id, field.field, value, stamp(10))
                    .unwrap()
            );
        }
        let on_b = b.person(joan.id).unwrap();
        assert_eq!(on_b.aliases, ["Grandma Jo", "Nan"]);
        assert_eq!(on_b.date_of_birth, Some(date("1941-03-02")));
        assert_eq!(b.find_person("MOS-7").unwrap().id, joan.id);
        assert!(b.person_fields_to_share().unwrap().is_empty(), "echoed back");

        // A clears the date of birth; B, not having seen it, changes the aliases and then
        // receives a stale write of them and A's newer clear.
        let cleared = PersonEdit { date_of_birth: Some(None), ..PersonEdit::default() };
        a.edit_person(joan.id, &cleared).unwrap();
        let renamed = PersonEdit { aliases: Some(vec!["Jo".into()]), ..PersonEdit::default() };
        b.edit_person(joan.id, &renamed).unwrap();
        let from_a = seal_all(&mut a, 20);
        assert_eq!(
            from_a,
            [PersonFieldValue {
                person: joan.id,
                field: "date_of_birth",
                value: None,
                first: false
            }]
        );
        assert_eq!(b.unshared_count().unwrap(), 1);
        b.receive_person_field(Uuid::now_v7(), joan.id, "aliases", Some(r#"["Old"]"#), stamp(15))
            .unwrap();
        assert_eq!(b.person(joan.id).unwrap().aliases, ["Jo"], "an unsent edit was overwritten");
        assert!(
            b.receive_person_field(Uuid::now_v7(), joan.id, "date_of_birth", None, stamp(20))
                .unwrap()
        );
        assert_eq!(b.person(joan.id).unwrap().date_of_birth, None);
        let from_b = seal_all(&mut b, 30);
        a.receive_person_field(
            Uuid::now_v7(),
            joan.id,
            "aliases",
            from_b[0].value.as_deref(),
            stamp(30),
        )
        .unwrap();
        // An older write delivered late changes nothing.
        assert!(
            !a.receive_person_field(
                Uuid::now_v7(),
                joan.id,
                "date_of_birth",
                Some("1950-01-01"),
                stamp(12)
            )
            .unwrap()
        );
        // Households and the time a row was made are each store's own.
        let fields = |store: &Store| {
            let p = store.person(joan.id).unwrap();
            let household = store.household_name(&p).unwrap();
            (p.name, p.aliases, p.date_of_birth, p.external_id, household)
        };
        assert_eq!(fields(&a), fields(&b), "the devices differ");

        let bad =
            a.receive_person_field(Uuid::now_v7(), joan.id, "favourite_colour", None, stamp(40));
        assert!(bad.unwrap_err().is_refusal());
        let bad = a.receive_person_field(
            Uuid::now_v7(),
            joan.id,
            "date_of_birth",
            Some("soon"),
            stamp(40),
        );
        assert!(bad.unwrap_err().is_refusal());
    }
}
