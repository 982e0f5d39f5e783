//! People on the caseload and the households that link them.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{HouseholdId, PersonId};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Person {
    pub id: PersonId,
    /// The id this person had in the system they were imported from.
    pub external_id: Option<String>,
    pub name: String,
    /// Other names the person is known by ("Nan", "Grandma Pat").
    pub aliases: Vec<String>,
    pub date_of_birth: Option<NaiveDate>,
    pub household: Option<HouseholdId>,
    pub created_at: DateTime<Utc>,
}

/// What a practitioner supplies to add a person.
#[derive(Debug, Clone, Default)]
pub struct NewPerson {
    pub name: String,
    pub aliases: Vec<String>,
    pub date_of_birth: Option<NaiveDate>,
    /// The household's name; created when no household has it yet.
    pub household: Option<String>,
    pub external_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Household {
    pub id: HouseholdId,
    pub name: String,
}
