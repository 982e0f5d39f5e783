//! The caseload at a glance: Today (drafts waiting for review, recent notes, people, sync) and a
//! person's page (their notes and the themes across them).

use std::collections::HashMap;

use doorstep_core::ids::{HouseholdId, NoteId};
use doorstep_core::model::{NewPerson, NoteStatus};
use doorstep_core::store::{NoteFilter, NoteSummary as StoredSummary, Store};
use doorstep_themes::Taxonomy;
use serde::Serialize;

use crate::error::AppError;
use crate::session::Session;
use crate::syncing::{SyncSummary, sync_summary};
use crate::views::{NoteSummary, PersonSummary};

/// How many recent notes Today lists.
const RECENT: usize = 20;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Today {
    pub practitioner: Option<String>,
    pub drafts: Vec<NoteSummary>,
    pub recent: Vec<NoteSummary>,
    pub people: Vec<PersonSummary>,
    pub sync: SyncSummary,
}

pub fn today(session: &mut Session) -> Result<Today, AppError> {
    let store = session.store()?;
    let drafts = store
        .notes_where(&NoteFilter { status: Some(NoteStatus::Draft), ..NoteFilter::default() })?;
    let recent = store.notes_where(&NoteFilter { limit: Some(RECENT), ..NoteFilter::default() })?;
    Ok(Today {
        practitioner: store.practitioner()?,
        drafts: summaries(store, &drafts)?,
        recent: summaries(store, &recent)?,
        people: people(session)?,
        sync: sync_summary(session.store()?, None)?,
    })
}

/// Everyone on the caseload, by name.
pub fn people(session: &mut Session) -> Result<Vec<PersonSummary>, AppError> {
    let store = session.store()?;
    let households: HashMap<HouseholdId, String> =
        store.households()?.into_iter().map(|h| (h.id, h.name)).collect();
    let counts = store.note_counts()?;
    let mut people: Vec<PersonSummary> = store
        .people()?
        .iter()
        .map(|p| {
            let household = p.household.and_then(|h| households.get(&h).cloned());
            PersonSummary::of(p, household, counts.get(&p.id).copied())
        })
        .collect();
    people.sort_by_key(|p| p.name.to_lowercase());
    Ok(people)
}

/// Adds someone to the caseload.
pub fn add_person(
    session: &mut Session,
    name: &str,
    aliases: Vec<String>,
    household: Option<String>,
) -> Result<PersonSummary, AppError> {
    let store = session.store()?;
    let household = household.map(|h| h.trim().to_owned()).filter(|h| !h.is_empty());
    let person = store.add_person(&NewPerson {
        name: name.trim().to_owned(),
        aliases: aliases
            .into_iter()
            .map(|a| a.trim().to_owned())
            .filter(|a| !a.is_empty())
            .collect(),
        household: household.clone(),
        ..NewPerson::default()
    })?;
    Ok(PersonSummary::of(&person, household, None))
}

/// Listed notes with their themes and whether audio is kept.
pub fn summaries(store: &Store, notes: &[StoredSummary]) -> Result<Vec<NoteSummary>, AppError> {
    let ids: Vec<NoteId> = notes.iter().map(|n| n.id).collect();
    let mut themes = store.note_themes(&ids)?;
    notes
        .iter()
        .map(|n| {
            let audio = store
                .recording_of_note(n.id)?
                .is_some_and(|r| r.state != doorstep_core::store::RecordingState::Deleted);
            Ok(NoteSummary::of(n, themes.remove(&n.id).unwrap_or_default(), audio))
        })
        .collect()
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct PersonView {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub household: Option<String>,
    pub dob: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ThemeCount {
    pub id: String,
    pub label: String,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PersonDetail {
    pub person: PersonView,
    pub notes: Vec<NoteSummary>,
    /// The themes across their notes, most frequent first.
    pub themes: Vec<ThemeCount>,
}

pub fn person(session: &mut Session, id: &str) -> Result<PersonDetail, AppError> {
    let bench = session.workbench()?;
    let (store, kit) = (bench.store, bench.kit);
    let person = store.find_person(id)?;
    let household = match person.household {
        Some(h) => store.households()?.into_iter().find(|x| x.id == h).map(|x| x.name),
        None => None,
    };
    let listed = store.notes(Some(person.id))?;
    let notes = summaries(store, &listed)?;
    Ok(PersonDetail {
        person: PersonView {
            id: person.id.to_string(),
            name: person.name.clone(),
            aliases: person.aliases.clone(),
            household,
            dob: person.date_of_birth.map(|d| d.to_string()),
        },
        themes: theme_counts(&notes, &kit.taxonomy),
        notes,
    })
}

fn theme_counts(notes: &[NoteSummary], taxonomy: &Taxonomy) -> Vec<ThemeCount> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for theme in notes.iter().flat_map(|n| &n.themes) {
        *counts.entry(theme).or_default() += 1;
    }
    let mut themes: Vec<ThemeCount> = counts
        .into_iter()
        .filter_map(|(id, count)| {
            let label = taxonomy.by_id(id)?.label.clone();
            Some(ThemeCount { id: id.to_owned(), label, count })
        })
        .collect();
    themes.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
    themes
}
