//! The note vectors, held in memory for a search: every piece's signed-byte vector scanned with
//! an integer dot product. 100,000 notes are about 300,000 pieces, 115 MB, and one scan takes
//! milliseconds, so no approximate index is needed on the device.

use std::collections::HashMap;

use chrono::NaiveDate;
use doorstep_core::ids::PersonId;
use doorstep_core::store::{NoteKey, SearchScope, Store};
use doorstep_embed::QuantizedEmbedding;

use crate::error::SearchError;

#[derive(Debug)]
struct Entry {
    key: NoteKey,
    subject: PersonId,
    date: Option<NaiveDate>,
    span: (usize, usize),
    vector: QuantizedEmbedding,
}

/// A note near the query: its best piece's similarity and where that piece is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Nearest {
    pub key: NoteKey,
    pub similarity: f32,
    pub span: (usize, usize),
}

#[derive(Debug, Default)]
pub struct VectorIndex {
    entries: Vec<Entry>,
}

impl VectorIndex {
    /// Reads every stored vector. A vector of the wrong size (written by another model) is
    /// skipped: the indexer replaces it.
    pub fn load(store: &Store) -> Result<Self, SearchError> {
        let entries = store
            .note_vectors()?
            .into_iter()
            .filter_map(|stored| {
                let vector = QuantizedEmbedding::from_bytes(&stored.piece.vector).ok()?;
                Some(Entry {
                    key: stored.key,
                    subject: stored.subject,
                    date: stored.date,
                    span: (stored.piece.start, stored.piece.end),
                    vector,
                })
            })
            .collect();
        Ok(Self { entries })
    }

    /// The number of pieces held.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The `limit` notes in scope whose best piece is nearest `query`, nearest first.
    pub fn nearest(
        &self,
        query: &QuantizedEmbedding,
        scope: &SearchScope,
        limit: usize,
    ) -> Vec<Nearest> {
        let mut best: HashMap<NoteKey, (i32, usize)> = HashMap::new();
        for (i, entry) in self.entries.iter().enumerate() {
            if !scope.admits(entry.subject, entry.date) {
                continue;
            }
            let dot = entry.vector.dot_i8(query);
            let slot = best.entry(entry.key).or_insert((i32::MIN, i));
            if dot > slot.0 {
                *slot = (dot, i);
            }
        }
        let mut ranked: Vec<(i32, usize)> = best.into_values().collect();
        let order = |a: &(i32, usize), b: &(i32, usize)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
        if ranked.len() > limit && limit > 0 {
            ranked.select_nth_unstable_by(limit - 1, order);
        }
        ranked.truncate(limit);
        ranked.sort_unstable_by(order);
        let scale = QuantizedEmbedding::SCALE * QuantizedEmbedding::SCALE;
        ranked
            .into_iter()
            .map(|(dot, i)| {
                let entry = &self.entries[i];
                Nearest { key: entry.key, similarity: dot as f32 / scale, span: entry.span }
            })
            .collect()
    }
}
