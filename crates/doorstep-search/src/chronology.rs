//! A chronology: every piece of evidence for a theme (or for every theme) across a person's or a
//! family's notes, in date order, as a practitioner builds one for a case review or a court
//! statement. Rejected tags are left out; each entry says whether the practitioner confirmed it.

use chrono::NaiveDate;
use doorstep_core::ids::{NoteId, PersonId};
use doorstep_core::model::TagReview;
use doorstep_core::store::Store;
use doorstep_themes::{Taxonomy, ThemeId};
use serde::Serialize;

use crate::error::SearchError;
use crate::sentences::{sentence_spans, slice_chars};

#[derive(Debug, Clone, Serialize)]
pub struct ChronologyEntry {
    pub date: Option<NaiveDate>,
    pub note_id: NoteId,
    pub external_id: Option<String>,
    pub subject: String,
    pub theme: String,
    pub label: String,
    /// The evidence, as written in the note.
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// The sentence the evidence is in, for reading it in context.
    pub sentence: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_ms: Option<u64>,
    pub confirmed: bool,
}

/// The chronology of `people`'s notes for `theme` and the themes under it, or for every theme.
pub fn chronology(
    store: &Store,
    taxonomy: &Taxonomy,
    people: &[PersonId],
    theme: Option<&ThemeId>,
) -> Result<Vec<ChronologyEntry>, SearchError> {
    let wanted: Option<Vec<ThemeId>> = theme.map(|t| with_descendants(taxonomy, t));
    let mut entries = Vec::new();
    for &person in people {
        let subject = store.person(person)?.name;
        for summary in store.notes(Some(person))? {
            let note = store.note(summary.id)?;
            let mut seen: Vec<(usize, usize)> = Vec::new();
            let sentences = sentence_spans(&note.text, usize::MAX);
            for tag in note.themes.iter().filter(|t| t.review != TagReview::Rejected) {
                let Some(found) = taxonomy.by_id(&tag.theme.0) else { continue };
                if wanted.as_ref().is_some_and(|w| !w.contains(&found.id)) {
                    continue;
                }
                for evidence in &tag.evidence {
                    let span = (evidence.span.start, evidence.span.end);
                    // A parent tag repeats its child's evidence; one theme filter shows it once.
                    if wanted.is_some() && seen.contains(&span) {
                        continue;
                    }
                    seen.push(span);
                    entries.push(ChronologyEntry {
                        date: note.date,
                        note_id: note.id,
                        external_id: note.external_id.clone(),
                        subject: subject.clone(),
                        theme: found.id.to_string(),
                        label: found.label.clone(),
                        text: slice_chars(&note.text, span.0, span.1),
                        start: span.0,
                        end: span.1,
                        sentence: sentences
                            .iter()
                            .find(|&&(s, e)| s <= span.0 && span.0 < e)
                            .map(|&(s, e)| slice_chars(&note.text, s, e.max(span.1)))
                            .unwrap_or_default(),
                        start_ms: evidence.start_ms,
                        confirmed: tag.review == TagReview::Confirmed,
                    });
                }
            }
        }
    }
    entries.sort_by(|a, b| {
        a.date.cmp(&b.date).then(a.note_id.cmp(&b.note_id)).then(a.start.cmp(&b.start))
    });
    Ok(entries)
}

fn with_descendants(taxonomy: &Taxonomy, id: &ThemeId) -> Vec<ThemeId> {
    let mut all = vec![id.clone()];
    let mut i = 0;
    while i < all.len() {
        let children: Vec<ThemeId> = taxonomy.children(&all[i]).map(|t| t.id.clone()).collect();
        all.extend(children);
        i += 1;
    }
    all
}
