//! Search: three ranked lists fused by reciprocal rank. Full-text (FTS5 BM25 over the note's
//! words, porter-stemmed), meaning (the query's embedding, turned toward the themes it names,
//! against every note's vector) and themes (notes tagged with a theme the query names, confirmed
//! tags first, then the nearer in meaning). A note high in any list rises; one in several rises
//! most. Each hit carries the sentence that matched, marked.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use doorstep_core::ids::{NoteId, PersonId};
use doorstep_core::model::{Person, TagReview};
use doorstep_core::store::Store;
use doorstep_core::store::{NoteKey, NoteKeys, SearchScope, ThemeMatch};
use doorstep_embed::{Embedder, Embedding};
use doorstep_themes::{Tagger, Taxonomy, ThemeId};
use serde::Serialize;

use crate::error::SearchError;
use crate::fts;
use crate::meaning::ThemeExamples;
use crate::names::ThemeNames;
use crate::query::{Query, words_of};
use crate::snippet::{CLOSE, OPEN, Snippet, snippet};
use crate::toward::ThemeDirections;
use crate::vectors::{Nearest, VectorIndex};

/// The constant of reciprocal rank fusion: a list's top few places count a little more than
/// its later ones, and no one list decides alone.
const RRF_K: f32 = 60.0;
/// How much each list counts. A note tagged with the theme the practitioner named is what they
/// asked for, so a theme's list counts twice (one list for each theme the query names); the weights were chosen on the shared corpus and
/// held constant on the separately written held-out set, where they helped the same way.
const TEXT_WEIGHT: f32 = 1.0;
const MEANING_WEIGHT: f32 = 1.0;
const THEME_WEIGHT: f32 = 2.0;
/// A theme found only by tagging the query's words ("neighbour helps" is a cue of community
/// support) is broader than what was asked, so its list counts as much as the words' list.
const INFERRED_THEME_WEIGHT: f32 = 1.0;
/// A word in more than one note in this many is too common to rank by (when others remain).
const COMMON_SHARE: usize = 8;
/// ...but a word in fewer notes than this always ranks.
const MIN_COMMON: usize = 500;
/// Queries longer than this are not pruned (each word costs a count).
const MAX_PRUNED_WORDS: usize = 8;
/// How deep each list is read.
const CANDIDATES: usize = 200;

/// The query's embedding, begun on another thread.
type PendingEmbedding<'s> = std::thread::ScopedJoinHandle<'s, Result<Embedding, SearchError>>;

/// Which lists a search fuses: all of them, or full text alone (the baseline it is measured against).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Fused,
    FullText,
}

#[derive(Debug, Clone, Copy)]
pub struct SearchOptions {
    pub limit: usize,
    pub mode: Mode,
}

impl Default for SearchOptions {
    fn default() -> Self {
        Self { limit: 10, mode: Mode::Fused }
    }
}

/// One note found.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub note_id: NoteId,
    pub external_id: Option<String>,
    pub subject_id: PersonId,
    pub subject: String,
    pub date: Option<NaiveDate>,
    pub score: f32,
    pub snippet: Snippet,
    /// The note's themes (not rejected by the practitioner).
    pub themes: Vec<String>,
}

/// The hits, and what the query was understood to ask.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    pub hits: Vec<Hit>,
    /// Themes the query named.
    pub themes: Vec<ThemeId>,
    /// The person the query was limited to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
}

#[derive(Debug)]
pub struct SearchEngine<'a> {
    names: ThemeNames,
    tagger: Tagger<'a>,
    embedder: Option<&'a Embedder>,
    vectors: VectorIndex,
    /// Where each theme's example sentences point, to turn a query toward the themes it names.
    directions: ThemeDirections,
    /// Every note's key when the engine was loaded, so a person's theme list does not look
    /// them up one by one (notes added since are).
    note_keys: NoteKeys,
    /// Notes indexed when the engine was loaded, for telling common words from rare ones.
    indexed_notes: usize,
}

impl<'a> SearchEngine<'a> {
    /// Loads the note vectors of `store`; without an embedder, search uses words and themes.
    pub fn new(
        store: &Store,
        taxonomy: &'a Taxonomy,
        embedder: Option<&'a Embedder>,
    ) -> Result<Self, SearchError> {
        let (vectors, directions) = match embedder {
            Some(_) => (
                VectorIndex::load(store)?,
                ThemeExamples::cached(store, taxonomy, crate::kit::EMBEDDED_BY)?
                    .map(|examples| ThemeDirections::new(&examples))
                    .unwrap_or_default(),
            ),
            None => (VectorIndex::default(), ThemeDirections::default()),
        };
        Ok(Self {
            names: ThemeNames::new(taxonomy),
            tagger: Tagger::new(taxonomy),
            embedder,
            vectors,
            directions,
            note_keys: store.note_keys()?,
            indexed_notes: usize::try_from(store.indexed_notes()?).unwrap_or(usize::MAX),
        })
    }

    /// The query's words found in so many notes that they cannot rank them ("support" in a
    /// caseload where every third note has it), leaving the rarer words to rank: BM25 would
    /// weigh them near zero anyway, and scoring their every match is what makes a search slow.
    /// A word is kept when it is the only one.
    fn common_words<'q>(
        &self,
        store: &Store,
        query: &'q Query,
    ) -> Result<Vec<&'q str>, SearchError> {
        let words = fts::ranking_words(query);
        if words.len() < 2 || words.len() > MAX_PRUNED_WORDS || !query.phrases.is_empty() {
            return Ok(Vec::new());
        }
        let threshold = (self.indexed_notes / COMMON_SHARE).max(MIN_COMMON);
        let mut common = Vec::new();
        for word in &words {
            if store.matches_at_least(&fts::word(word), threshold)? {
                common.push(*word);
            }
        }
        if common.len() == words.len() {
            common.clear();
        }
        Ok(common)
    }

    /// How many note pieces the meaning index holds.
    pub fn vector_pieces(&self) -> usize {
        self.vectors.len()
    }

    pub fn search(
        &self,
        store: &Store,
        text: &str,
        options: SearchOptions,
    ) -> Result<SearchResults, SearchError> {
        let query = Query::parse(text)?;
        let embedder =
            self.embedder.filter(|_| options.mode == Mode::Fused && !self.vectors.is_empty());
        // The query's embedding (the slowest step) starts now, beside the lookups of themes,
        // people and common words.
        let early = embedder.filter(|_| query.has_text()).map(|e| (e, query.text.clone()));
        std::thread::scope(|s| {
            let mut embedding = early.map(|(e, wanted)| {
                s.spawn(move || -> Result<Embedding, SearchError> { Ok(e.embed(&wanted)?) })
            });
            let found = self.search_with(store, query, text, options, embedder, &mut embedding);
            // Joined on every path, so an early error does not leave it to the scope.
            if let Some(handle) = embedding {
                let _ = handle.join();
            }
            found
        })
    }

    fn search_with(
        &self,
        store: &Store,
        mut query: Query,
        text: &str,
        options: SearchOptions,
        embedder: Option<&Embedder>,
        embedding: &mut Option<PendingEmbedding<'_>>,
    ) -> Result<SearchResults, SearchError> {
        let mut themes = self.names.themes_in(&query, text)?;
        let inferred = themes.is_empty() && query.has_text();
        if inferred {
            // A query in a theme's indirect words ("strangulation", "cuckooing") means the theme.
            themes = self
                .tagger
                .tag(&query.text)
                .into_iter()
                .filter(|t| !t.implied)
                .map(|t| t.id)
                .collect();
        }
        let mut scope = SearchScope { subjects: None, from: query.from, to: query.to };
        let mut person = None;
        if let Some(name) = query.person.clone() {
            let found = people_called(store, &name)?;
            if found.is_empty() {
                // Nobody on the caseload: a person in someone's network ("person:Linda", the
                // daughter), found where the notes name them.
                query.phrases.push(words_of(&name));
                query.person = None;
            } else {
                person = Some(found.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", "));
                scope.subjects = Some(found.iter().map(|p| p.id).collect());
            }
        }
        let common = self.common_words(store, &query)?;
        let expression = fts::expression(&query, &common);
        let theme_ids: Vec<doorstep_core::model::ThemeId> =
            themes.iter().map(|t| doorstep_core::model::ThemeId(t.as_str().to_owned())).collect();
        let fused_mode = options.mode == Mode::Fused;
        let embedder = embedder.filter(|_| query.has_text());
        // The query's embedding (begun before) and the scan of every note's pieces run beside
        // the SQL lookups.
        let pending = embedding.take();
        let (full_text, theme_lists, nearest) = std::thread::scope(|s| {
            let meaning = embedder.map(|embedder| {
                s.spawn(|| -> Result<Vec<Nearest>, SearchError> {
                    let wanted = match pending {
                        Some(handle) => {
                            handle.join().unwrap_or(Err(SearchError::MeaningStopped))?
                        }
                        // A query whose only text is a name nobody on the caseload has.
                        None => embedder.embed(&query.text)?,
                    };
                    let wanted = self.directions.toward(&wanted, &themes);
                    Ok(self.vectors.nearest(&wanted, &scope, CANDIDATES))
                })
            });
            let full_text = match &expression {
                Some(e) => store.full_text_matches(e, &scope, CANDIDATES),
                None => Ok(Vec::new()),
            };
            // One list per theme named, so a note with all of them ("PTSD": mental health and
            // trauma) rises above one with only the broader theme.
            let theme_lists: Result<Vec<_>, _> = if fused_mode {
                theme_ids
                    .iter()
                    .map(|id| {
                        store.theme_matches(
                            std::slice::from_ref(id),
                            &scope,
                            CANDIDATES,
                            &self.note_keys,
                        )
                    })
                    .collect()
            } else {
                Ok(Vec::new())
            };
            let nearest = match meaning {
                Some(handle) => handle.join().unwrap_or(Err(SearchError::MeaningStopped)),
                None => Ok(Vec::new()),
            };
            (full_text, theme_lists, nearest)
        });
        let full_text: Vec<NoteKey> = full_text?.into_iter().map(|(k, _)| k).collect();
        let nearest = nearest?;
        let pieces: HashMap<NoteKey, (usize, usize)> =
            nearest.iter().map(|n| (n.key, n.span)).collect();
        // Quoted phrases are a requirement: the other lists may only reorder notes that hold them.
        let required: Option<HashSet<NoteKey>> =
            (!query.phrases.is_empty()).then(|| full_text.iter().copied().collect());
        let near: HashMap<NoteKey, usize> =
            nearest.iter().enumerate().map(|(rank, n)| (n.key, rank)).collect();
        let theme_weight = if inferred { INFERRED_THEME_WEIGHT } else { THEME_WEIGHT };
        let mut lists: Vec<(f32, Vec<NoteKey>)> = vec![
            (TEXT_WEIGHT, full_text),
            (MEANING_WEIGHT, nearest.into_iter().map(|n| n.key).collect()),
        ];
        for theme_list in theme_lists? {
            lists.push((theme_weight, by_meaning(theme_list, &near)));
        }
        if !query.has_text() && themes.is_empty() {
            let filtered = query.person.is_some() || query.from.is_some() || query.to.is_some();
            if !filtered {
                return Ok(SearchResults { hits: Vec::new(), themes, person });
            }
            lists = vec![(1.0, store.notes_in_scope(&scope, options.limit)?)];
        }
        let mut fused = fuse(&lists, required.as_ref());
        fused.truncate(options.limit);
        let hits = self.hits(store, &fused, expression.as_deref(), &theme_ids, &pieces)?;
        Ok(SearchResults { hits, themes, person })
    }

    fn hits(
        &self,
        store: &Store,
        fused: &[(NoteKey, f32)],
        expression: Option<&str>,
        theme_ids: &[doorstep_core::model::ThemeId],
        pieces: &HashMap<NoteKey, (usize, usize)>,
    ) -> Result<Vec<Hit>, SearchError> {
        let keys: Vec<NoteKey> = fused.iter().map(|(k, _)| *k).collect();
        let ids = store.notes_for_keys(&keys)?;
        let mut names: HashMap<PersonId, String> = HashMap::new();
        let mut hits = Vec::with_capacity(fused.len());
        for &(key, score) in fused {
            let Some(&id) = ids.get(&key) else { continue };
            let note = store.note(id)?;
            let highlighted = match expression {
                Some(e) => store.highlighted(key, e, OPEN, CLOSE)?,
                None => None,
            };
            let subject = match names.get(&note.subject) {
                Some(name) => name.clone(),
                None => {
                    let name = store.person(note.subject)?.name;
                    names.insert(note.subject, name.clone());
                    name
                }
            };
            let snippet =
                snippet(&note, highlighted.as_deref(), theme_ids, pieces.get(&key).copied());
            hits.push(Hit {
                note_id: note.id,
                external_id: note.external_id.clone(),
                subject_id: note.subject,
                subject,
                date: note.date,
                score,
                snippet,
                themes: note
                    .themes
                    .iter()
                    .filter(|t| t.review != TagReview::Rejected)
                    .map(|t| t.theme.0.clone())
                    .collect(),
            });
        }
        Ok(hits)
    }
}

/// The people `name` means: the one it names exactly (id, name, alias), else everyone whose name
/// or alias holds all its words ("Linda" is Linda Hughes and Linda Okoro); none when nobody is.
fn people_called(store: &Store, name: &str) -> Result<Vec<Person>, SearchError> {
    match store.find_person(name) {
        Ok(person) => return Ok(vec![person]),
        Err(
            doorstep_core::Error::NoSuchPerson(_) | doorstep_core::Error::AmbiguousPerson { .. },
        ) => {}
        Err(other) => return Err(other.into()),
    }
    let wanted = words_of(name);
    let Some(longest) = wanted.iter().max_by_key(|w| w.len()) else {
        return Ok(Vec::new());
    };
    let found: Vec<Person> = store
        .people_containing(longest)?
        .into_iter()
        .filter(|p| {
            std::iter::once(&p.name).chain(&p.aliases).any(|n| {
                let words = words_of(n);
                wanted.iter().all(|w| words.contains(w))
            })
        })
        .collect();
    Ok(found)
}

/// A theme's notes, confirmed tags first, then in the order of the meaning list (the notes it
/// holds, nearest first, then the rest by confidence): among notes tagged alike, the tag says
/// nothing of which is nearer what was asked, and the meaning list does.
fn by_meaning(mut matches: Vec<ThemeMatch>, near: &HashMap<NoteKey, usize>) -> Vec<NoteKey> {
    // The sort is stable, so notes the meaning list lacks keep their order by confidence.
    matches.sort_by_key(|m| (!m.confirmed, near.get(&m.key).copied().unwrap_or(usize::MAX)));
    matches.into_iter().map(|m| m.key).collect()
}

/// Reciprocal rank fusion of `lists`, best first; with `required`, only those notes.
fn fuse(lists: &[(f32, Vec<NoteKey>)], required: Option<&HashSet<NoteKey>>) -> Vec<(NoteKey, f32)> {
    let mut scores: HashMap<NoteKey, f32> = HashMap::new();
    for (weight, list) in lists {
        for (rank, key) in list.iter().enumerate() {
            if required.is_none_or(|r| r.contains(key)) {
                *scores.entry(*key).or_default() += weight / (RRF_K + rank as f32 + 1.0);
            }
        }
    }
    let mut fused: Vec<(NoteKey, f32)> = scores.into_iter().collect();
    fused.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    fused
}

/// Hits grouped by the person they are about, the person with the best hit first.
#[derive(Debug, Clone, Serialize)]
pub struct PersonHits {
    pub subject_id: PersonId,
    pub subject: String,
    pub hits: Vec<Hit>,
}

pub fn group_by_person(hits: Vec<Hit>) -> Vec<PersonHits> {
    let mut groups: Vec<PersonHits> = Vec::new();
    for hit in hits {
        match groups.iter_mut().find(|g| g.subject_id == hit.subject_id) {
            Some(group) => group.hits.push(hit),
            None => groups.push(PersonHits {
                subject_id: hit.subject_id,
                subject: hit.subject.clone(),
                hits: vec![hit],
            }),
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_in_several_lists_outranks_one_in_a_single_list() {
        let k = NoteKey;
        let fused = fuse(
            &[(1.0, vec![k(1), k(2), k(3)]), (1.0, vec![k(3), k(4)]), (1.0, vec![k(3)])],
            None,
        );
        assert_eq!(fused[0].0, k(3));
        assert_eq!(fused.len(), 4);
        let only: HashSet<NoteKey> = [k(2), k(4)].into();
        let fused = fuse(&[(1.0, vec![k(1), k(2)]), (1.0, vec![k(4)])], Some(&only));
        assert_eq!(fused.iter().map(|f| f.0).collect::<Vec<_>>(), [k(4), k(2)]);
    }
}
