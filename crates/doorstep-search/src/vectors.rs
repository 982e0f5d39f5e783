//! The note vectors, held in memory for a search. 100,000 notes are about 380,000 pieces: their
//! signed-byte vectors take 145 MB and an exact scan of them about 15 ms on a phone-class CPU.
//! So each piece also keeps the signs of its components (48 bytes); a scan of those by Hamming
//! distance picks the few thousand nearest pieces, and only those are ranked by the exact
//! integer dot product. A search limited to a few people scans only their pieces.

use std::collections::HashMap;

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

/// The number of differing bits, where the CPU counts bits in one instruction (ARM phones).
#[cfg(any(target_feature = "popcnt", not(target_arch = "x86_64")))]
fn hamming(a: &Signs, b: &Signs) -> u32 {
    a.iter().zip(b).map(|(x, y)| (x ^ y).count_ones()).sum()
}

/// The number of differing bits. Desktop builds target plain x86-64, which has no population
/// count instruction, so the bits are counted the portable way, with the bytes' counts of all
/// six words summed before the one multiply that adds them up (each byte stays below 256).
#[cfg(not(any(target_feature = "popcnt", not(target_arch = "x86_64"))))]
fn hamming(a: &Signs, b: &Signs) -> u32 {
    const M1: u64 = 0x5555_5555_5555_5555;
    const M2: u64 = 0x3333_3333_3333_3333;
    const M4: u64 = 0x0f0f_0f0f_0f0f_0f0f;
    let mut bytes = 0u64;
    for (x, y) in a.iter().zip(b) {
        let mut v = x ^ y;
        v -= (v >> 1) & M1;
        v = (v & M2) + ((v >> 2) & M2);
        bytes += (v + (v >> 4)) & M4;
    }
    // Each byte of `bytes` is at most 8 × 6 = 48; their sum (at most 384) is in the top 16 bits.
    let summed = (bytes & 0x00ff_00ff_00ff_00ff) + ((bytes >> 8) & 0x00ff_00ff_00ff_00ff);
    (summed.wrapping_mul(0x0001_0001_0001_0001) >> 48) as u32
}

/// The `most` pieces of `scored` (distance, piece) that come first by distance, then by piece
/// (returned in no particular order). The distances are counted by value (there are only
/// `DIM + 1` of them) to find the cut, so the scan of every piece sorts nothing.
fn shortlist(scored: Vec<(u16, u32)>, most: usize) -> Vec<usize> {
    if scored.len() <= most {
        return scored.into_iter().map(|(_, piece)| piece as usize).collect();
    }
    let mut counts = [0usize; DIM + 1];
    for &(distance, _) in &scored {
        counts[usize::from(distance).min(DIM)] += 1;
    }
    let (mut cut, mut below) = (0, 0);
    while cut < DIM && below + counts[cut] < most {
        below += counts[cut];
        cut += 1;
    }
    // Every piece nearer than the cut, then those at it, first pieces first, to make up `most`.
    let mut kept = Vec::with_capacity(most);
    let mut ties = Vec::new();
    for (distance, piece) in scored {
        match usize::from(distance).min(DIM).cmp(&cut) {
            std::cmp::Ordering::Less => kept.push(piece as usize),
            std::cmp::Ordering::Equal => ties.push(piece as usize),
            std::cmp::Ordering::Greater => {}
        }
    }
    ties.sort_unstable();
    ties.truncate(most.saturating_sub(kept.len()));
    kept.extend(ties);
    kept
}

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
    /// Each piece's signs, apart from the rest so that the scan of every piece reads only them.
    signs: Vec<Signs>,
    entries: Vec<Entry>,
    /// Each person's pieces (indices into `entries`, ascending), so a search of a few people's
    /// notes scans only theirs.
    by_subject: HashMap<PersonId, Vec<usize>>,
}

impl VectorIndex {
    /// Reads every stored vector. A vector of the wrong size (written by another model) is
    /// skipped: the indexer replaces it.
    pub fn load(store: &Store) -> Result<Self, SearchError> {
        let mut index = Self::default();
        for stored in store.note_vectors()? {
            let Ok(vector) = QuantizedEmbedding::from_bytes(&stored.piece.vector) else {
                continue;
            };
            let span = (stored.piece.start, stored.piece.end);
            index.push(Entry {
                key: stored.key,
                subject: stored.subject,
                date: stored.date,
                span,
                vector,
            });
        }
        Ok(index)
    }

    fn push(&mut self, entry: Entry) {
        self.by_subject.entry(entry.subject).or_default().push(self.entries.len());
        self.signs.push(signs(&entry.vector));
        self.entries.push(entry);
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
        let dates = SearchScope { subjects: None, from: scope.from, to: scope.to };
        let dated = !dates.is_everything();
        let in_dates = |i: &usize| {
            let entry = &self.entries[*i];
            !dated || dates.admits(entry.subject, entry.date)
        };
        // Pieces are counted in u32 (four billion is far beyond a phone's memory).
        let scored = |i: usize| (hamming(&self.signs[i], &wanted) as u16, i as u32);
        let scored: Vec<(u16, u32)> = match &scope.subjects {
            // Only these people's pieces are looked at: a few thousand, not every note's.
            Some(subjects) => {
                let mut people: Vec<&PersonId> = subjects.iter().collect();
                people.sort_unstable();
                people.dedup();
                people
                    .into_iter()
                    .filter_map(|p| self.by_subject.get(p))
                    .flatten()
                    .copied()
                    .filter(in_dates)
                    .map(scored)
                    .collect()
            }
            None => (0..self.entries.len()).filter(in_dates).map(scored).collect(),
        };
        let shortlist = shortlist(scored, SHORTLIST);
        // Each note's best piece among the shortlist, by the exact dot product.
        let mut best: Vec<(i32, usize)> =
            shortlist.into_iter().map(|i| (self.entries[i].vector.dot_i8(query), i)).collect();
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A vector pointing mostly along component `axis`, a little along `tilt`.
    fn vector(axis: usize, tilt: usize, lean: u8) -> QuantizedEmbedding {
        let mut bytes = [0u8; DIM];
        bytes[axis] = 100;
        bytes[tilt] = lean;
        QuantizedEmbedding::from_bytes(&bytes).unwrap()
    }

    #[test]
    fn bits_are_counted_and_the_nearest_pieces_kept() {
        let a: Signs = [u64::MAX, 0, 0x8000_0000_0000_0001, 7, 0, u64::MAX];
        let b: Signs = [0; DIM / 64];
        assert_eq!(hamming(&a, &b), 64 + 2 + 3 + 64);
        assert_eq!(hamming(&[u64::MAX; DIM / 64], &b), DIM as u32);
        let scored: Vec<(u16, u32)> = [(5, 0), (1, 1), (5, 2), (0, 3), (5, 4), (9, 5)].into();
        let mut kept = shortlist(scored.clone(), 4);
        kept.sort_unstable();
        assert_eq!(kept, [0, 1, 2, 3]);
        assert_eq!(shortlist(scored, 10).len(), 6);
    }

    #[test]
    fn a_scoped_search_finds_what_a_filtered_full_scan_finds() {
        let people: Vec<PersonId> = (0..5).map(|_| PersonId::new()).collect();
        let mut index = VectorIndex::default();
        for n in 0..300usize {
            let subject = people[n % people.len()];
            let date = NaiveDate::from_ymd_opt(2020 + (n % 4) as i32, 1, 1);
            for piece in 0..3 {
                index.push(Entry {
                    key: NoteKey(n as i64),
                    subject,
                    date,
                    span: (piece * 10, piece * 10 + 9),
                    vector: vector((n + piece) % 7, 7 + n % 50, (n % 90) as u8),
                });
            }
        }
        let query = vector(3, 20, 40);
        let scope = SearchScope {
            subjects: Some(vec![people[1], people[3], people[1]]),
            from: NaiveDate::from_ymd_opt(2021, 1, 1),
            to: None,
        };
        let found = index.nearest(&query, &scope, 20);
        let everyone = index.nearest(&query, &SearchScope::default(), usize::MAX);
        let admitted: Vec<Nearest> = everyone
            .into_iter()
            .filter(|n| {
                let e = index.entries.iter().find(|e| e.key == n.key).unwrap();
                scope.admits(e.subject, e.date)
            })
            .take(20)
            .collect();
        assert_eq!(found.len(), 20);
        assert_eq!(found, admitted);
        assert!(
            index
                .nearest(&query, &SearchScope { subjects: Some(Vec::new()), ..scope }, 5)
                .is_empty()
        );
    }
}
