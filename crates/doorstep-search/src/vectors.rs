//! The note vectors, held in memory for a search. 100,000 notes are about 380,000 pieces: their
//! signed-byte vectors take 145 MB and an exact scan of them about 15 ms on a phone-class CPU.
//! So each piece also keeps the signs of its components (48 bytes); a scan of those by Hamming
//! distance picks the few thousand nearest pieces, and only those are ranked by the exact
//! integer dot product.

use chrono::NaiveDate;
use doorstep_core::ids::PersonId;
use doorstep_core::store::{NoteKey, SearchScope, Store};
use doorstep_embed::{DIM, QuantizedEmbedding};

use crate::error::SearchError;

/// The signs of a vector's components, one bit each.
type Signs = [u64; DIM / 64];

/// Pieces kept from the sign scan for exact ranking.
const SHORTLIST: usize = 4_000;

fn signs(vector: &QuantizedEmbedding) -> Signs {
    let mut bits = [0u64; DIM / 64];
    for (i, &byte) in vector.as_bytes().iter().enumerate() {
        if byte.cast_signed() > 0 {
            bits[i / 64] |= 1 << (i % 64);
        }
    }
    bits
}

fn hamming(a: &Signs, b: &Signs) -> u32 {
    a.iter().zip(b).map(|(x, y)| (x ^ y).count_ones()).sum()
}

#[derive(Debug)]
struct Entry {
    signs: Signs,
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
                    signs: signs(&vector),
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
        let wanted = signs(query);
        let everything = scope.is_everything();
        let people: Option<std::collections::HashSet<PersonId>> =
            scope.subjects.as_ref().map(|s| s.iter().copied().collect());
        let dates = SearchScope { subjects: None, from: scope.from, to: scope.to };
        let admits = |e: &Entry| {
            people.as_ref().is_none_or(|p| p.contains(&e.subject))
                && dates.admits(e.subject, e.date)
        };
        let mut shortlist: Vec<(u32, usize)> = self
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| everything || admits(e))
            .map(|(i, e)| (hamming(&e.signs, &wanted), i))
            .collect();
        if shortlist.len() > SHORTLIST {
            shortlist.select_nth_unstable(SHORTLIST - 1);
            shortlist.truncate(SHORTLIST);
        }
        // Each note's best piece among the shortlist, by the exact dot product.
        let mut best: Vec<(i32, usize)> =
            shortlist.into_iter().map(|(_, i)| (self.entries[i].vector.dot_i8(query), i)).collect();
        best.sort_unstable_by(|a, b| {
            self.entries[a.1].key.cmp(&self.entries[b.1].key).then(b.0.cmp(&a.0))
        });
        best.dedup_by_key(|(_, i)| self.entries[*i].key);
        let order = |a: &(i32, usize), b: &(i32, usize)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
        if best.len() > limit && limit > 0 {
            best.select_nth_unstable_by(limit - 1, order);
        }
        best.truncate(limit);
        best.sort_unstable_by(order);
        let scale = QuantizedEmbedding::SCALE * QuantizedEmbedding::SCALE;
        best.into_iter()
            .map(|(dot, i)| {
                let entry = &self.entries[i];
                Nearest { key: entry.key, similarity: dot as f32 / scale, span: entry.span }
            })
            .collect()
    }
}
