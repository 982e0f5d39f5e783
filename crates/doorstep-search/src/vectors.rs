//! The note vectors, held in memory for a search. 100,000 notes are about 380,000 pieces: their
//! signed-byte vectors take 145 MB and an exact scan of them about 15 ms on a phone-class CPU.
//! So each piece also keeps the signs of its components (48 bytes); a scan of those by Hamming
//! distance picks the few thousand nearest pieces, and only those are ranked by the exact
//! integer dot product. A search limited to a few people scans only their pieces.

use std::collections::HashMap;

use chrono::NaiveDate;
use doorstep_core::ids::PersonId;
use doorstep_core::store::{NoteKey, SearchScope, Store};
use doorstep_embed::{DIM, QuantizedEmbedding, dot_i8_bytes};

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

/// A distance no piece has: the mark of a piece the search's dates leave out.
const LEFT_OUT: u16 = u16::MAX;

/// Below this many pieces the sign scan runs on one thread (a thread costs more than it saves).
const PARALLEL_SCAN: usize = 32_768;

/// Below this many pieces on the shortlist the exact ranking runs on one thread.
const PARALLEL_RESCORE: usize = 1_024;

/// How many pieces lie at each distance (`DIM + 1` of them), the pieces left out not counted.
type Counts = [usize; DIM + 1];

/// Each piece's distance from `wanted` into `distances` (`LEFT_OUT` where `admits` says no),
/// counted by value into `counts`.
fn scan(
    signs: &[Signs],
    wanted: &Signs,
    admits: impl Fn(usize) -> bool,
    first: usize,
    distances: &mut [u16],
    counts: &mut Counts,
) {
    for (i, (distance, piece)) in distances.iter_mut().zip(signs).enumerate() {
        *distance = if admits(first + i) {
            let d = hamming(piece, wanted).min(DIM as u32);
            counts[d as usize] += 1;
            d as u16
        } else {
            LEFT_OUT
        };
    }
}

/// The `most` pieces that come first by distance, then by piece (returned in no particular
/// order), of `distances` (piece `piece(i)` at `distances[i]`) counted by value into `counts`.
/// The counts give the cut, so the scan of every piece sorts nothing.
fn shortlist(
    distances: &[u16],
    piece: impl Fn(usize) -> usize,
    counts: &Counts,
    most: usize,
) -> Vec<usize> {
    let admitted: usize = counts.iter().sum();
    if admitted <= most {
        return (0..distances.len()).filter(|&i| distances[i] != LEFT_OUT).map(piece).collect();
    }
    let (mut cut, mut below) = (0, 0);
    while cut < DIM && below + counts[cut] < most {
        below += counts[cut];
        cut += 1;
    }
    // Every piece nearer than the cut, then those at it, first pieces first, to make up `most`.
    let mut kept = Vec::with_capacity(most);
    let mut ties = Vec::new();
    for (i, &distance) in distances.iter().enumerate() {
        if distance == LEFT_OUT {
            continue;
        }
        match usize::from(distance).cmp(&cut) {
            std::cmp::Ordering::Less => kept.push(piece(i)),
            std::cmp::Ordering::Equal => ties.push(piece(i)),
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
    /// Every piece's vector, `DIM` bytes each, one after another: the few thousand the exact
    /// ranking reads lie in one block, not in as many allocations (five times faster, measured).
    vectors: Vec<u8>,
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
            let entry = Entry { key: stored.key, subject: stored.subject, date: stored.date, span };
            index.push(entry, &vector);
        }
        Ok(index)
    }

    fn push(&mut self, entry: Entry, vector: &QuantizedEmbedding) {
        self.by_subject.entry(entry.subject).or_default().push(self.entries.len());
        self.signs.push(signs(vector));
        self.vectors.extend_from_slice(vector.as_bytes());
        self.entries.push(entry);
    }

    /// Piece `i`'s vector in its stored form.
    fn vector(&self, i: usize) -> &[u8] {
        self.vectors.get(i * DIM..(i + 1) * DIM).unwrap_or_default()
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
        let admits = |i: usize| {
            let entry = &self.entries[i];
            !dated || dates.admits(entry.subject, entry.date)
        };
        let mut counts: Counts = [0; DIM + 1];
        let mut shortlist = match &scope.subjects {
            // Only these people's pieces are looked at: a few thousand, not every note's.
            Some(subjects) => {
                let mut people: Vec<&PersonId> = subjects.iter().collect();
                people.sort_unstable();
                people.dedup();
                let pieces: Vec<usize> = people
                    .into_iter()
                    .filter_map(|p| self.by_subject.get(p))
                    .flatten()
                    .copied()
                    .collect();
                let mut distances = vec![LEFT_OUT; pieces.len()];
                for (distance, &i) in distances.iter_mut().zip(&pieces) {
                    if admits(i) {
                        let d = hamming(&self.signs[i], &wanted).min(DIM as u32);
                        counts[d as usize] += 1;
                        *distance = d as u16;
                    }
                }
                shortlist(&distances, |k| pieces[k], &counts, SHORTLIST)
            }
            None => {
                let mut distances = vec![LEFT_OUT; self.signs.len()];
                if self.signs.len() < PARALLEL_SCAN {
                    scan(&self.signs, &wanted, admits, 0, &mut distances, &mut counts);
                } else {
                    // Half the pieces on another core: the scan reads 18 MB for 100,000 notes.
                    let half = self.signs.len() / 2;
                    let (near, far) = distances.split_at_mut(half);
                    let (near_signs, far_signs) = self.signs.split_at(half);
                    let mut far_counts: Counts = [0; DIM + 1];
                    std::thread::scope(|s| {
                        let far_counts = &mut far_counts;
                        s.spawn(move || scan(far_signs, &wanted, admits, half, far, far_counts));
                        scan(near_signs, &wanted, admits, 0, near, &mut counts);
                    });
                    counts.iter_mut().zip(far_counts).for_each(|(c, f)| *c += f);
                }
                shortlist(&distances, |i| i, &counts, SHORTLIST)
            }
        };
        // Each note's best piece among the shortlist, by the exact dot product: read in the
        // order they lie in memory, half on another core (each piece is a few cache misses).
        shortlist.sort_unstable();
        let rescore = |pieces: &[usize]| -> Vec<(NoteKey, i32, usize)> {
            pieces
                .iter()
                .map(|&i| (self.entries[i].key, dot_i8_bytes(self.vector(i), query.as_bytes()), i))
                .collect()
        };
        let mut scored = if shortlist.len() < PARALLEL_RESCORE {
            rescore(&shortlist)
        } else {
            let (near, far_half) = shortlist.split_at(shortlist.len() / 2);
            std::thread::scope(|s| {
                let far = s.spawn(|| rescore(far_half));
                let mut scored = rescore(near);
                match far.join() {
                    Ok(far) => scored.extend(far),
                    // What failed there fails here too, as on one thread.
                    Err(_) => scored.extend(rescore(far_half)),
                }
                scored
            })
        };
        scored.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        scored.dedup_by_key(|(key, _, _)| *key);
        let mut best: Vec<(i32, usize)> = scored.into_iter().map(|(_, dot, i)| (dot, i)).collect();
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
        let distances = [5, 1, 5, 0, 5, LEFT_OUT, 9];
        let mut counts: Counts = [0; DIM + 1];
        for &d in distances.iter().filter(|&&d| d != LEFT_OUT) {
            counts[usize::from(d)] += 1;
        }
        let mut kept = shortlist(&distances, |i| i, &counts, 4);
        kept.sort_unstable();
        assert_eq!(kept, [0, 1, 2, 3]);
        let mut all = shortlist(&distances, |i| i + 10, &counts, 10);
        all.sort_unstable();
        assert_eq!(all, [10, 11, 12, 13, 14, 16]);
    }

    #[test]
    fn the_scan_split_across_threads_finds_what_one_thread_finds() {
        let people: Vec<PersonId> = (0..3).map(|_| PersonId::new()).collect();
        let mut index = VectorIndex::default();
        for n in 0..PARALLEL_SCAN + 1_000 {
            let entry = Entry {
                key: NoteKey((n / 2) as i64),
                subject: people[n % people.len()],
                date: NaiveDate::from_ymd_opt(2020 + (n % 4) as i32, 1, 1),
                span: (n, n + 1),
            };
            index.push(entry, &vector(n % 11, 11 + n % 300, (n % 97) as u8));
        }
        let query = vector(4, 120, 60);
        let from = NaiveDate::from_ymd_opt(2021, 1, 1);
        // Naming everyone scans their pieces on one thread; naming nobody scans all, split.
        let everyone = SearchScope { subjects: Some(people), from, to: None };
        let all = SearchScope { subjects: None, from, to: None };
        let found = index.nearest(&query, &all, 200);
        assert_eq!(found.len(), 200);
        assert_eq!(found, index.nearest(&query, &everyone, 200));
    }

    #[test]
    fn a_scoped_search_finds_what_a_filtered_full_scan_finds() {
        let people: Vec<PersonId> = (0..5).map(|_| PersonId::new()).collect();
        let mut index = VectorIndex::default();
        for n in 0..300usize {
            let subject = people[n % people.len()];
            let date = NaiveDate::from_ymd_opt(2020 + (n % 4) as i32, 1, 1);
            for piece in 0..3 {
                let entry = Entry {
                    key: NoteKey(n as i64),
                    subject,
                    date,
                    span: (piece * 10, piece * 10 + 9),
                };
                index.push(entry, &vector((n + piece) % 7, 7 + n % 50, (n % 90) as u8));
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
