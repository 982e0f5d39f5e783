//! People and households.

use std::collections::HashMap;

use chrono::Utc;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::Store;
use crate::error::{Error, SqlContext};
use crate::ids::{HouseholdId, PersonId};
use crate::model::{Household, NewPerson, Person};

/// Longest name or alias accepted.
const MAX_NAME_CHARS: usize = 200;

const PERSON_COLUMNS: &str = "id, external_id, name, date_of_birth, household, created_at";

fn person_from_row(row: &Row<'_>) -> rusqlite::Result<Person> {
    Ok(Person {
        id: row.get(0)?,
        external_id: row.get(1)?,
        name: row.get(2)?,
        date_of_birth: row.get(3)?,
        household: row.get(4)?,
        created_at: row.get(5)?,
        aliases: Vec::new(),
    })
}

pub(super) fn checked_name(name: &str, what: &'static str) -> Result<String, Error> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::Empty { what });
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(Error::TooLong { what, max: MAX_NAME_CHARS });
    }
    Ok(name.to_owned())
}

/// The people whose name or alias is `name`, ignoring case.
pub(super) fn people_named(conn: &Connection, name: &str) -> rusqlite::Result<Vec<PersonId>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM people WHERE name = ?1
         UNION SELECT person FROM person_aliases WHERE alias = ?1",
    )?;
    stmt.query_map([name.trim()], |r| r.get(0))?.collect()
}

/// Inserts a person with only a name, as an import does for a subject it has not seen.
pub(super) fn insert_person_named(conn: &Connection, name: &str) -> rusqlite::Result<PersonId> {
    let id = PersonId::new();
    conn.prepare_cached("INSERT INTO people(id, name, created_at) VALUES (?1, ?2, ?3)")?
        .execute(params![id, name, Utc::now()])?;
    Ok(id)
}

impl Store {
    /// People whose name or an alias contains `text` (any case): candidates for a search's
    /// `person:` filter, which then keeps those whose words match.
    pub fn people_containing(&self, text: &str) -> Result<Vec<Person>, Error> {
        let ids: Vec<PersonId> = self
            .conn
            .prepare_cached(
                "SELECT id FROM people WHERE instr(lower(name), lower(?1)) > 0
                 UNION SELECT person FROM person_aliases WHERE instr(lower(alias), lower(?1)) > 0",
            )
            .and_then(|mut s| s.query_map([text.trim()], |r| r.get(0))?.collect())
            .context("finding people")?;
        ids.into_iter().map(|id| self.person(id)).collect()
    }

    pub fn add_person(&mut self, new: &NewPerson) -> Result<Person, Error> {
        let name = checked_name(&new.name, "a person's name")?;
        let aliases = new
            .aliases
            .iter()
            .map(|a| checked_name(a, "an alias"))
            .collect::<Result<Vec<_>, _>>()?;
        let tx = self.conn.transaction().context("adding a person")?;
        let household = match &new.household {
            Some(name) => Some(ensure_household(&tx, &checked_name(name, "a household name")?)?),
            None => None,
        };
        let id = PersonId::new();
        let created_at = Utc::now();
        tx.execute(
            "INSERT INTO people(id, external_id, name, date_of_birth, household, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, new.external_id, name, new.date_of_birth, household, created_at],
        )
        .map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::ConstraintViolation) => Error::DuplicateExternalId {
                kind: "person",
                id: new.external_id.clone().unwrap_or_default(),
            },
            _ => crate::error::classify("adding a person", e),
        })?;
        for alias in &aliases {
            tx.execute(
                "INSERT OR IGNORE INTO person_aliases(person, alias) VALUES (?1, ?2)",
                params![id, alias],
            )
            .context("adding an alias")?;
        }
        tx.commit().context("adding a person")?;
        self.person(id)
    }

    /// The name of the person's household, if they are in one.
    pub fn household_name(&self, person: &Person) -> Result<Option<String>, Error> {
        let Some(household) = person.household else { return Ok(None) };
        self.conn
            .query_row("SELECT name FROM households WHERE id = ?1", [household], |r| r.get(0))
            .optional()
            .context("reading a household")
    }

    pub fn person(&self, id: PersonId) -> Result<Person, Error> {
        let mut person = self
            .conn
            .query_row(
                &format!("SELECT {PERSON_COLUMNS} FROM people WHERE id = ?1"),
                [id],
                person_from_row,
            )
            .optional()
            .context("reading a person")?
            .ok_or_else(|| Error::NoSuchPerson(id.to_string()))?;
        person.aliases = self.aliases(id)?;
        Ok(person)
    }

    fn aliases(&self, id: PersonId) -> Result<Vec<String>, Error> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT alias FROM person_aliases WHERE person = ?1 ORDER BY alias")
            .context("reading aliases")?;
        stmt.query_map([id], |r| r.get(0)).and_then(Iterator::collect).context("reading aliases")
    }

    /// Finds one person by id, external id, name or alias.
    pub fn find_person(&self, query: &str) -> Result<Person, Error> {
        if let Ok(id) = query.parse::<PersonId>() {
            return self.person(id);
        }
        let by_external: Option<PersonId> = self
            .conn
            .query_row("SELECT id FROM people WHERE external_id = ?1", [query.trim()], |r| r.get(0))
            .optional()
            .context("finding a person")?;
        if let Some(id) = by_external {
            return self.person(id);
        }
        match people_named(&self.conn, query).context("finding a person")?.as_slice() {
            [] => Err(Error::NoSuchPerson(query.to_owned())),
            [id] => self.person(*id),
            many => Err(Error::AmbiguousPerson { name: query.to_owned(), count: many.len() }),
        }
    }

    pub fn people(&self) -> Result<Vec<Person>, Error> {
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {PERSON_COLUMNS} FROM people ORDER BY name, id"))
            .context("listing people")?;
        let mut people: Vec<Person> = stmt
            .query_map([], person_from_row)
            .and_then(Iterator::collect)
            .context("listing people")?;
        let mut aliases = self
            .conn
            .prepare("SELECT person, alias FROM person_aliases ORDER BY alias")
            .context("listing aliases")?;
        let pairs: Vec<(PersonId, String)> = aliases
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .and_then(Iterator::collect)
            .context("listing aliases")?;
        let index: HashMap<PersonId, usize> =
            people.iter().enumerate().map(|(at, p)| (p.id, at)).collect();
        for (id, alias) in pairs {
            if let Some(&at) = index.get(&id) {
                people[at].aliases.push(alias);
            }
        }
        Ok(people)
    }

    pub fn households(&self) -> Result<Vec<Household>, Error> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, name FROM households ORDER BY name")
            .context("listing households")?;
        stmt.query_map([], |r| Ok(Household { id: r.get(0)?, name: r.get(1)? }))
            .and_then(Iterator::collect)
            .context("listing households")
    }

    /// The other members of a person's household.
    pub fn household_members(&self, household: HouseholdId) -> Result<Vec<Person>, Error> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {PERSON_COLUMNS} FROM people WHERE household = ?1 ORDER BY name"
            ))
            .context("listing a household")?;
        stmt.query_map([household], person_from_row)
            .and_then(Iterator::collect)
            .context("listing a household")
    }
}

pub(super) fn ensure_household(conn: &Connection, name: &str) -> Result<HouseholdId, Error> {
    let existing: Option<HouseholdId> = conn
        .query_row("SELECT id FROM households WHERE name = ?1", [name], |r| r.get(0))
        .optional()
        .context("finding a household")?;
    if let Some(id) = existing {
        return Ok(id);
    }
    let id = HouseholdId::new();
    conn.execute("INSERT INTO households(id, name) VALUES (?1, ?2)", params![id, name])
        .context("adding a household")?;
    Ok(id)
}
