//! A person's ecomap as the app and the CLI work on it: the confirmed map and what the notes it
//! has not read propose, confirmed with the practitioner's corrections as a new version, drawn,
//! described for screen readers, and compared across versions.

use doorstep_core::ids::NoteId;
use doorstep_core::model::{Ecomap, EcomapVersion, Note, Person};
use doorstep_core::store::{EcomapRejection, Store, UnreadNote};
use doorstep_ecomap::diff::{EcomapDiff, TieSketch, diff};
use doorstep_ecomap::edit::{self, SetTie};
use doorstep_ecomap::proposal::{Proposal, propose};
use doorstep_ecomap::{Extractor, Lexicon};
use doorstep_themes::Taxonomy;
use serde::Serialize;

use crate::error::AppError;
use crate::session::Session;
use crate::views::TieView;

/// A person's confirmed map and what their unread notes propose.
#[derive(Debug)]
pub struct PersonMap {
    pub person: Person,
    pub confirmed: Option<EcomapVersion>,
    pub proposal: Proposal,
}

impl PersonMap {
    /// The person's map with every note it has not read yet proposed into it.
    pub fn load(
        store: &Store,
        query: &str,
        lexicon: &Lexicon,
        taxonomy: &Taxonomy,
    ) -> Result<Self, doorstep_core::Error> {
        let person = store.find_person(query)?;
        let unread = store.unread_ecomap_notes(person.id)?;
        Self::proposing(store, person, &unread, lexicon, taxonomy)
    }

    /// The map of the person `note` is about with only that note proposed into it, if the map
    /// has not read it yet: what reviewing and approving one note suggests and confirms.
    pub fn for_note(
        store: &Store,
        note: &Note,
        lexicon: &Lexicon,
        taxonomy: &Taxonomy,
    ) -> Result<Self, doorstep_core::Error> {
        let person = store.person(note.subject)?;
        let mut unread = store.unread_ecomap_notes(person.id)?;
        unread.retain(|u| u.id == note.id);
        Self::proposing(store, person, &unread, lexicon, taxonomy)
    }

    fn proposing(
        store: &Store,
        person: Person,
        unread: &[UnreadNote],
        lexicon: &Lexicon,
        taxonomy: &Taxonomy,
    ) -> Result<Self, doorstep_core::Error> {
        let confirmed = store.latest_ecomap(person.id)?;
        let rejected = store.ecomap_rejections(person.id)?;
        let base = confirmed.as_ref().map_or_else(|| Ecomap::empty(person.id), |v| v.map.clone());
        let extractor = Extractor::with_strengths(lexicon, taxonomy);
        let proposal = propose(base, unread, Some(&person.name), &extractor, &rejected);
        Ok(Self { person, confirmed, proposal })
    }

    /// Whether notes were read that the confirmed map has not seen.
    pub fn pending(&self) -> bool {
        !self.proposal.read.is_empty()
    }

    pub fn confirmed_map(&self) -> Ecomap {
        self.confirmed.as_ref().map_or_else(|| Ecomap::empty(self.person.id), |v| v.map.clone())
    }

    /// Saves the proposal, less the rejected nodes and with the corrections, as the next
    /// version; returns it with the changes from the previous one.
    pub fn confirm(
        &self,
        store: &mut Store,
        reject: &[String],
        set: &[SetTie],
    ) -> Result<(EcomapVersion, EcomapDiff), AppError> {
        let mut map = self.proposal.map.clone();
        let mut rejections = Vec::new();
        for who in reject {
            let tie = edit::reject(&mut map, who)?;
            rejections.extend(edit::rejections_of(&tie));
        }
        for change in set {
            edit::apply(&mut map, change)?;
        }
        Ok(self.save(store, &map, &rejections)?)
    }

    /// Saves `map` (the proposal as the practitioner corrected it) as the next version, marking
    /// the proposal's notes read; returns it with the changes from the confirmed map.
    pub fn save(
        &self,
        store: &mut Store,
        map: &Ecomap,
        rejections: &[EcomapRejection],
    ) -> Result<(EcomapVersion, EcomapDiff), doorstep_core::Error> {
        let saved = store.save_ecomap(map, &self.proposal.read, rejections)?;
        let changes = diff(&self.confirmed_map(), &saved.map);
        Ok((saved, changes))
    }

    /// The ties the proposal adds or changes, found in `note`.
    pub fn suggested_by(&self, note: NoteId) -> Vec<TieView> {
        self.proposal
            .map
            .ties
            .iter()
            .filter(|t| t.evidence.as_ref().and_then(|e| e.note) == Some(note))
            .map(TieView::of)
            .collect()
    }
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct VersionView {
    pub version: u32,
    pub confirmed_at: String,
    pub ties: usize,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct EcomapView {
    pub person_id: String,
    pub person: String,
    /// The drawing of the confirmed map, or of the proposal while one waits.
    pub svg: String,
    pub description: String,
    pub ties: Vec<TieView>,
    /// Ties new or changed in the proposal, waiting for the practitioner.
    pub proposed: Vec<TieView>,
    pub strengths: Vec<String>,
    pub matters: Vec<String>,
    pub versions: Vec<VersionView>,
}

fn view(store: &Store, state: &PersonMap) -> Result<EcomapView, AppError> {
    let confirmed = state.confirmed_map();
    let shown = if state.pending() { &state.proposal.map } else { &confirmed };
    let changes = diff(&confirmed, &state.proposal.map);
    let proposed_ids: Vec<_> =
        changes.new.iter().map(|t| t.id).chain(changes.changed.iter().map(|c| c.id)).collect();
    let name = &state.person.name;
    let versions = store
        .ecomap_versions(state.person.id)?
        .into_iter()
        .map(|v| VersionView {
            version: v.version,
            confirmed_at: v.confirmed_at.to_rfc3339(),
            ties: v.ties,
        })
        .collect();
    Ok(EcomapView {
        person_id: state.person.id.to_string(),
        person: name.clone(),
        svg: doorstep_ecomap::render::svg(shown, name),
        description: doorstep_ecomap::render::describe(shown, name),
        ties: confirmed.ties.iter().map(TieView::of).collect(),
        proposed: state
            .proposal
            .map
            .ties
            .iter()
            .filter(|t| proposed_ids.contains(&t.id))
            .map(TieView::of)
            .collect(),
        strengths: shown.strengths.iter().map(|p| p.text.clone()).collect(),
        matters: shown.matters.iter().map(|p| p.text.clone()).collect(),
        versions,
    })
}

fn load<'s>(
    session: &'s mut Session,
    person: &str,
) -> Result<(PersonMap, &'s mut Store), AppError> {
    let bench = session.workbench()?;
    let state = PersonMap::load(bench.store, person, bench.lexicon, &bench.kit.taxonomy)?;
    Ok((state, bench.store))
}

pub fn ecomap(session: &mut Session, person: &str) -> Result<EcomapView, AppError> {
    let (state, store) = load(session, person)?;
    view(store, &state)
}

/// Confirms the proposal without the ties named in `reject`.
pub fn confirm_ecomap(
    session: &mut Session,
    person: &str,
    reject: &[String],
) -> Result<EcomapView, AppError> {
    let (state, store) = load(session, person)?;
    if !state.pending() && reject.is_empty() {
        return Err(AppError::invalid(format!(
            "There is nothing new to confirm in {}'s ecomap.",
            state.person.name
        )));
    }
    state.confirm(store, reject, &[])?;
    let (state, store) = load(session, person)?;
    view(store, &state)
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ChangeView {
    pub who: String,
    pub changes: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DiffView {
    pub added: Vec<TieView>,
    pub changed: Vec<ChangeView>,
    pub removed: Vec<TieView>,
    /// The whole difference in sentences, one per line.
    pub text: String,
}

fn field_name(field: doorstep_ecomap::diff::TieField) -> String {
    serde_json::to_value(field).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

fn sketch(t: &TieSketch) -> TieView {
    TieView {
        id: Some(t.id.to_string()),
        who: t.who.clone(),
        role: (!t.role.is_empty()).then(|| t.role.clone()),
        category: t.category.to_string(),
        quality: t.quality.to_string(),
        support: t.support.to_string(),
        note: None,
        evidence: None,
    }
}

pub fn ecomap_diff(
    session: &mut Session,
    person: &str,
    from: u32,
    to: u32,
) -> Result<DiffView, AppError> {
    let store = session.store()?;
    let person = store.find_person(person)?;
    let before = store.ecomap_version(person.id, from)?;
    let after = store.ecomap_version(person.id, to)?;
    let changes = diff(&before.map, &after.map);
    Ok(DiffView {
        added: changes.new.iter().map(sketch).collect(),
        changed: changes
            .changed
            .iter()
            .map(|c| ChangeView {
                who: c.who.clone(),
                changes: c
                    .changes
                    .iter()
                    .map(|f| format!("{}: {} → {}", field_name(f.field), f.from, f.to))
                    .collect(),
            })
            .collect(),
        removed: changes.gone.iter().map(sketch).collect(),
        text: changes.lines(&person.name).join("\n"),
    })
}
