//! `doorstep person ...`

use chrono::NaiveDate;
use doorstep_core::model::{NewPerson, Person};
use doorstep_core::store::PersonEdit;
use serde::Serialize;

use super::Context;
use crate::cli::PersonEditArgs;
use crate::output::{preview, table};

pub fn add(
    cx: &Context,
    name: String,
    aliases: Vec<String>,
    date_of_birth: Option<NaiveDate>,
    household: Option<String>,
    external_id: Option<String>,
) -> anyhow::Result<()> {
    let mut unlocked = cx.unlock()?;
    let new = NewPerson { name, aliases, date_of_birth, household, external_id };
    let person = unlocked.store.add_person(&new)?;
    if cx.out.json {
        return cx.out.json(&person);
    }
    cx.out.text(&format!("Added {} ({})", person.name, person.id))
}

/// `doorstep person edit`: only the fields named change.
pub fn edit(cx: &Context, args: &PersonEditArgs) -> anyhow::Result<()> {
    let mut unlocked = cx.unlock()?;
    let person = unlocked.store.find_person(&args.person)?;
    let edit = PersonEdit {
        name: args.name.clone(),
        aliases: if args.no_aliases {
            Some(Vec::new())
        } else {
            Some(args.aliases.clone()).filter(|a| !a.is_empty())
        },
        date_of_birth: if args.no_dob { Some(None) } else { args.dob.map(Some) },
        household: if args.no_household { Some(None) } else { args.household.clone().map(Some) },
    };
    let person = unlocked.store.edit_person(person.id, &edit)?;
    if cx.out.json {
        return cx.out.json(&person);
    }
    cx.out.text(&format!("Updated {} ({})", person.name, person.id))
}

pub fn list(cx: &Context) -> anyhow::Result<()> {
    let unlocked = cx.unlock()?;
    let people = unlocked.store.people()?;
    if cx.out.json {
        return cx.out.json(&people);
    }
    let rows: Vec<Vec<String>> = people
        .iter()
        .map(|p| {
            vec![
                p.name.clone(),
                p.aliases.join(", "),
                p.date_of_birth.map(|d| d.to_string()).unwrap_or_default(),
                p.id.to_string(),
            ]
        })
        .collect();
    cx.out.text(&table(&["NAME", "ALSO KNOWN AS", "BORN", "ID"], &rows))
}

#[derive(Serialize)]
struct PersonView {
    #[serde(flatten)]
    person: Person,
    household_name: Option<String>,
    household_members: Vec<Person>,
    visits: usize,
    notes: Vec<doorstep_core::store::NoteSummary>,
}

pub fn show(cx: &Context, query: &str) -> anyhow::Result<()> {
    let unlocked = cx.unlock()?;
    let store = &unlocked.store;
    let person = store.find_person(query)?;
    let household_members = match person.household {
        Some(h) => store.household_members(h)?.into_iter().filter(|p| p.id != person.id).collect(),
        None => Vec::new(),
    };
    let view = PersonView {
        household_name: store.household_name(&person)?,
        visits: store.visits(Some(person.id))?.len(),
        notes: store.notes(Some(person.id))?,
        household_members,
        person,
    };
    if cx.out.json {
        return cx.out.json(&view);
    }
    let p = &view.person;
    let mut text = format!("{}\n  id: {}\n", p.name, p.id);
    if !p.aliases.is_empty() {
        text += &format!("  also known as: {}\n", p.aliases.join(", "));
    }
    if let Some(dob) = p.date_of_birth {
        text += &format!("  born: {dob}\n");
    }
    if let Some(external) = &p.external_id {
        text += &format!("  external id: {external}\n");
    }
    if !view.household_members.is_empty() {
        let names: Vec<&str> = view.household_members.iter().map(|m| m.name.as_str()).collect();
        text += &format!("  household: {}\n", names.join(", "));
    }
    text += &format!("  visits: {}\n  notes: {}\n", view.visits, view.notes.len());
    for note in &view.notes {
        let date = note.date.map(|d| d.to_string()).unwrap_or_else(|| "undated".into());
        text += &format!("    {date}  {}  {}\n", note.id, preview(&note.preview, 60));
    }
    cx.out.text(&text)
}
