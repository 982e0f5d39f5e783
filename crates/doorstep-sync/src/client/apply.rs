//! Folding a pulled record into the store. A note not yet here is added with its own id; a
//! person not yet here is added with their id and name; anything already here, or replayed, is
//! left as it is. Kinds this slice does not apply yet (other person fields, ecomaps, note edits)
//! are opened, so tampering is still caught, and then skipped.

use doorstep_core::model::{NewNote, NoteSource};
use doorstep_core::store::Store;

use super::error::SyncError;
use crate::record::{Change, PlainRecord};

/// Applies one opened record; returns whether the store changed.
pub(super) fn apply(store: &mut Store, record: &PlainRecord) -> Result<bool, SyncError> {
    match &record.change {
        Change::Note(version) => {
            let note = NewNote {
                subject: version.subject,
                visit: None,
                date: version.date,
                service: version.service.clone(),
                text: version.text.clone(),
                source: NoteSource::Typed,
                author: version
                    .author
                    .clone()
                    .unwrap_or_else(|| format!("device {}", record.author)),
                external_id: None,
            };
            Ok(store.receive_note(record.id, version.note, &note)?)
        }
        Change::PersonField(change) if change.field == "name" => match &change.value {
            Some(name) => Ok(store.receive_person(record.id, change.person, name)?),
            None => Ok(false),
        },
        Change::PersonField(_) | Change::Ecomap(_) => Ok(false),
    }
}
