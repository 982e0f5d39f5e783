//! Themes by meaning: each sentence of a note is compared with the taxonomy's example sentences
//! for every theme, and a sentence close enough to a theme's nearest example is offered to the
//! tagger as a mention ("he put his hands round her throat" is domestic abuse without the
//! words). The tagger judges these as it judges words, so a denied or hypothetical sentence is
//! still not a tag.
//!
//! The examples' vectors depend only on the taxonomy and the model, so they are computed once
//! and kept in the store's derived cache.

use doorstep_core::store::Store;
use doorstep_embed::{DIM, Embedder, Embedding, QuantizedEmbedding};
use doorstep_themes::{MeaningMatch, Taxonomy, ThemeId};
use sha2::{Digest, Sha256};

use crate::error::SearchError;

/// How close a sentence must be to a theme's nearest example to be offered as a mention: only
/// near-paraphrases. Measured on the shared corpus and the held-out set, lower thresholds (0.5
/// to 0.65) lost more precision than they gained recall with all-MiniLM-L6-v2; an organisation
/// can calibrate on its own labelled notes with `doorstep eval themes --meaning-threshold`.
pub const THRESHOLD: f32 = 0.7;
/// At most this many themes are offered for one sentence, the closest first.
const THEMES_PER_SENTENCE: usize = 2;
const CACHE_KIND: &str = "theme-examples:";
const EMBED_BATCH: usize = 32;

#[derive(Debug)]
pub struct ThemeExamples {
    /// Each example's theme and vector.
    examples: Vec<(ThemeId, QuantizedEmbedding)>,
    threshold: f32,
}

impl ThemeExamples {
    /// The examples' vectors, from the store's cache or computed (and cached) now.
    pub fn load(
        store: &mut Store,
        taxonomy: &Taxonomy,
        embedder: &Embedder,
        model: &str,
    ) -> Result<Self, SearchError> {
        let (key, listed) = listed(taxonomy, model);
        let bytes = match cached_bytes(store, &key, listed.len())? {
            Some(bytes) => bytes,
            None => {
                let mut bytes = Vec::with_capacity(listed.len() * DIM);
                let texts: Vec<&str> = listed.iter().map(|(_, text)| *text).collect();
                for chunk in texts.chunks(EMBED_BATCH) {
                    for embedding in embedder.embed_batch(chunk)? {
                        bytes.extend_from_slice(embedding.to_i8().as_bytes());
                    }
                }
                store.set_derived(CACHE_KIND, &key, &bytes)?;
                bytes
            }
        };
        Ok(Self::from_bytes(listed, &bytes))
    }

    /// The examples' vectors when indexing has cached them (it does whenever it tags a note),
    /// without computing them: for a search, which must not write or wait on the model.
    pub fn cached(
        store: &Store,
        taxonomy: &Taxonomy,
        model: &str,
    ) -> Result<Option<Self>, SearchError> {
        let (key, listed) = listed(taxonomy, model);
        Ok(cached_bytes(store, &key, listed.len())?.map(|bytes| Self::from_bytes(listed, &bytes)))
    }

    fn from_bytes(listed: Vec<(ThemeId, &str)>, bytes: &[u8]) -> Self {
        let examples = listed
            .into_iter()
            .zip(bytes.chunks_exact(DIM))
            .filter_map(|((id, _), bytes)| Some((id, QuantizedEmbedding::from_bytes(bytes).ok()?)))
            .collect();
        Self { examples, threshold: THRESHOLD }
    }

    /// Each example's theme and vector.
    pub fn examples(&self) -> &[(ThemeId, QuantizedEmbedding)] {
        &self.examples
    }

    /// The same examples with another threshold (for measuring).
    pub fn with_threshold(mut self, threshold: f32) -> Self {
        self.threshold = threshold;
        self
    }

    /// The themes each sentence (its span and embedding) is close to.
    pub fn matches(&self, sentences: &[((usize, usize), &Embedding)]) -> Vec<MeaningMatch> {
        let mut found = Vec::new();
        for &((start, end), embedding) in sentences {
            let query = embedding.to_i8();
            let mut best: Vec<(ThemeId, f32)> = Vec::new();
            for (theme, example) in &self.examples {
                let similarity = example.dot(&query);
                match best.iter_mut().find(|(t, _)| t == theme) {
                    Some(entry) => entry.1 = entry.1.max(similarity),
                    None => best.push((theme.clone(), similarity)),
                }
            }
            best.retain(|(_, s)| *s >= self.threshold);
            best.sort_by(|a, b| b.1.total_cmp(&a.1));
            best.truncate(THEMES_PER_SENTENCE);
            found.extend(best.into_iter().map(|(theme, similarity)| MeaningMatch {
                theme,
                start,
                end,
                similarity,
            }));
        }
        found
    }
}

/// The cache key of the taxonomy's examples embedded by `model`, and every example with its theme.
fn listed<'t>(taxonomy: &'t Taxonomy, model: &str) -> (String, Vec<(ThemeId, &'t str)>) {
    let mut listed: Vec<(ThemeId, &str)> = Vec::new();
    let mut hash = Sha256::new();
    hash.update(model.as_bytes());
    for theme in taxonomy.themes() {
        for example in &theme.examples {
            hash.update(theme.id.as_str().as_bytes());
            hash.update([0]);
            hash.update(example.as_bytes());
            hash.update([0]);
            listed.push((theme.id.clone(), example.as_str()));
        }
    }
    (format!("{CACHE_KIND}{}", hex::encode(hash.finalize())), listed)
}

/// The cached vectors under `key`, when there is one for each of `count` examples.
fn cached_bytes(store: &Store, key: &str, count: usize) -> Result<Option<Vec<u8>>, SearchError> {
    Ok(store.derived(key)?.filter(|bytes| bytes.len() == count * DIM))
}
