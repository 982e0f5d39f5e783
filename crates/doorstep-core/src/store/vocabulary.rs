//! The words of a case: the names a recogniser should expect in a note about this person.

use rusqlite::params;

use super::Store;
use super::json_column::from_json_column;
use crate::error::{Error, SqlContext};
use crate::ids::PersonId;

/// Names around a person, most specific first, each once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseVocabulary {
    /// The person, their other names, their household and the people on their ecomap.
    pub names: Vec<String>,
    /// Services and groups on their ecomap: the GP surgery, the school, the food bank.
    pub services: Vec<String>,
}

const PEOPLE_CATEGORIES: &str = "'family', 'friend', 'neighbour', 'work', 'pet'";

impl Store {
    pub fn case_vocabulary(&self, person: PersonId) -> Result<CaseVocabulary, Error> {
        let subject = self.person(person)?;
        let mut names = vec![subject.name.clone()];
        names.extend(subject.aliases.iter().cloned());
        if let Some(household) = subject.household {
            let household_name: String = self
                .conn
                .query_row("SELECT name FROM households WHERE id = ?1", [household], |r| r.get(0))
                .context("reading the household")?;
            names.push(household_name);
            names.extend(
                self.household_members(household)?
                    .into_iter()
                    .filter(|p| p.id != person)
                    .map(|p| p.name),
            );
        }
        // Each tie's name, then the other names the notes gave it ("Nan", "Grandma Pat").
        let ties = |sql: &str| -> Result<Vec<String>, Error> {
            let mut stmt = self.conn.prepare(sql).context("reading the ecomap")?;
            let rows: Vec<(String, String)> = stmt
                .query_map(params![person], |r| Ok((r.get(0)?, r.get(1)?)))
                .and_then(|rows| rows.collect())
                .context("reading the ecomap")?;
            let mut out = Vec::new();
            for (who, aliases) in rows {
                out.push(who);
                let aliases: Vec<String> =
                    from_json_column(1, &aliases).context("reading the ecomap")?;
                out.extend(aliases);
            }
            Ok(out)
        };
        names.extend(ties(&format!(
            "SELECT who, aliases FROM ecomap_ties
             WHERE person = ?1 AND category IN ({PEOPLE_CATEGORIES}) ORDER BY rowid"
        ))?);
        let mut services = ties(&format!(
            "SELECT who, aliases FROM ecomap_ties
             WHERE person = ?1 AND category NOT IN ({PEOPLE_CATEGORIES}) ORDER BY rowid"
        ))?;
        let mut present = self
            .conn
            .prepare("SELECT present FROM visits WHERE subject = ?1")
            .context("reading visits")?;
        let lists: Vec<String> = present
            .query_map([person], |r| r.get(0))
            .and_then(|rows| rows.collect())
            .context("reading visits")?;
        for list in lists {
            let present: Vec<String> = from_json_column(0, &list).context("reading visits")?;
            names.extend(present);
        }
        let mut seen = std::collections::HashSet::new();
        names.retain(|n| !n.trim().is_empty() && seen.insert(n.trim().to_lowercase()));
        let mut seen = std::collections::HashSet::new();
        services.retain(|n| !n.trim().is_empty() && seen.insert(n.trim().to_lowercase()));
        Ok(CaseVocabulary { names, services })
    }
}
