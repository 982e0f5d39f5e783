//! Indexing: tagging every note with the taxonomy and embedding it, for notes the current tagger
//! or model has not seen. Runs after notes are written (add, import, ingest) and before a search,
//! so the index catches up by itself; the full-text index needs no help (the store's triggers
//! keep it).

use std::collections::HashMap;

use doorstep_core::model::{Evidence, TagReview, TextSpan, ThemeId, ThemeTag, TranscriptSegment};
use doorstep_core::store::Store;
use doorstep_core::store::{IndexedNote, NotePiece, PendingNote};
use doorstep_ecomap::Extractor;
use doorstep_embed::{Embedder, Embedding};
use doorstep_themes::{Tag, Tagger, Taxonomy};
use sha2::{Digest, Sha256};

use crate::error::SearchError;
use crate::meaning::ThemeExamples;
use crate::sentences::{sentence_spans, slice_chars};

/// Bump when the tagging code changes what it finds, so stored tags are redone.
const RULES_VERSION: u32 = 30;
/// Notes per transaction.
const BATCH: usize = 200;
/// Sentences per call to the model.
const EMBED_BATCH: usize = 32;
/// Longest sentence embedded at once, in characters (the model reads 256 word pieces).
const MAX_SENTENCE_CHARS: usize = 600;
/// A piece of a note is a run of sentences up to this long: long enough to hold a thought with
/// its context, short enough that one sentence's meaning is not drowned.
const PIECE_CHARS: usize = 320;
/// Distinct sentences remembered while indexing, so repeated text is embedded once.
const CACHE_LIMIT: usize = 50_000;

/// How far indexing has got.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct IndexProgress {
    pub done: u64,
    pub total: u64,
    /// Sentences the model embedded (a sentence repeated across notes is embedded once).
    pub sentences_embedded: u64,
}

#[derive(Debug)]
pub struct Indexer<'a> {
    tagger: &'a Tagger<'a>,
    taxonomy: &'a Taxonomy,
    tagged_by: String,
    embedder: Option<(&'a Embedder, String)>,
    threshold: f32,
    ties: Option<&'a Extractor<'a>>,
}

impl<'a> Indexer<'a> {
    /// `embedder` is the model and a name for it that changes whenever its weights do; without
    /// one, notes are tagged but not embedded, and search uses words and themes only.
    pub fn new(
        tagger: &'a Tagger<'a>,
        taxonomy: &'a Taxonomy,
        embedder: Option<(&'a Embedder, String)>,
    ) -> Self {
        let mut hash = Sha256::new();
        for theme in taxonomy.themes() {
            hash.update(serde_json::to_vec(theme).unwrap_or_default());
        }
        let mut tagged_by =
            format!("rules-{RULES_VERSION}-{}", &hex::encode(hash.finalize())[..16]);
        if let Some((_, model)) = &embedder {
            tagged_by += &format!("+meaning-{model}");
        }
        Self {
            tagger,
            taxonomy,
            tagged_by,
            embedder,
            threshold: crate::meaning::THRESHOLD,
            ties: None,
        }
    }

    /// Also offers the tagger the strengths the person's network shows (a relative the note
    /// says helps them), read by the ecomap's extractor.
    pub fn with_ties(mut self, ties: &'a Extractor<'a>) -> Self {
        self.ties = Some(ties);
        self.tagged_by += "+ties";
        self
    }

    /// Offers the tagger sentences this close to a theme's examples (0 to 1), instead of
    /// [`crate::meaning::THRESHOLD`]: for an organisation calibrating on its own labelled notes.
    pub fn with_meaning_threshold(mut self, threshold: f32) -> Self {
        self.threshold = threshold;
        self
    }

    /// What the tags were made by, as stored beside them.
    fn tagged_by(&self) -> String {
        if self.embedder.is_some() && self.threshold != crate::meaning::THRESHOLD {
            format!("{}@{}", self.tagged_by, self.threshold)
        } else {
            self.tagged_by.clone()
        }
    }

    /// Indexes every note the index lacks.
    pub fn catch_up(
        &self,
        store: &mut Store,
        mut progress: impl FnMut(IndexProgress),
    ) -> Result<IndexProgress, SearchError> {
        let model = self.embedder.as_ref().map(|(_, name)| name.as_str());
        let tagged_by = self.tagged_by();
        let total = store.index_backlog(&tagged_by, model)?;
        let mut state = IndexProgress { done: 0, total, sentences_embedded: 0 };
        let mut cache: HashMap<String, Embedding> = HashMap::new();
        let examples = match (&self.embedder, total) {
            (Some((embedder, model)), 1..) => Some(
                ThemeExamples::load(store, self.taxonomy, embedder, model)?
                    .with_threshold(self.threshold),
            ),
            _ => None,
        };
        loop {
            let pending = store.notes_to_index(&tagged_by, model, BATCH)?;
            if pending.is_empty() {
                break;
            }
            let mut indexed = Vec::with_capacity(pending.len());
            for note in &pending {
                let before = cache.len();
                indexed.push(self.index_one(store, note, examples.as_ref(), &mut cache)?);
                state.sentences_embedded += (cache.len() - before) as u64;
            }
            store.save_index(&indexed)?;
            state.done += pending.len() as u64;
            progress(state);
            if cache.len() > CACHE_LIMIT {
                cache.clear();
            }
        }
        Ok(state)
    }

    fn index_one(
        &self,
        store: &Store,
        note: &PendingNote,
        examples: Option<&ThemeExamples>,
        cache: &mut HashMap<String, Embedding>,
    ) -> Result<IndexedNote, SearchError> {
        let mut indexed = IndexedNote {
            key: note.key,
            tagged_by: None,
            tags: Vec::new(),
            embedded_by: None,
            pieces: Vec::new(),
        };
        let sentences = match &self.embedder {
            Some((embedder, _)) => embed_sentences(embedder, &note.text, cache)?,
            None => Vec::new(),
        };
        let embedded: Vec<((usize, usize), &Embedding)> =
            sentences.iter().filter_map(|(span, text)| Some((*span, cache.get(text)?))).collect();
        if note.needs_tags {
            let segments = store.transcript(note.id)?;
            let mut meaning = examples.map(|e| e.matches(&embedded)).unwrap_or_default();
            if let Some(ties) = self.ties {
                meaning.extend(ties.helping(&note.text));
            }
            indexed.tags = self
                .tagger
                .tag_with_meaning(&note.text, &meaning)
                .iter()
                .map(|t| stored_tag(t, &segments))
                .collect();
            indexed.tagged_by = Some(self.tagged_by());
        }
        if let (true, Some((_, name))) = (note.needs_vector, &self.embedder) {
            indexed.pieces = note_pieces(&embedded);
            indexed.embedded_by = Some(name.clone());
        }
        Ok(indexed)
    }
}

/// A sentence's character span in its note, and its text.
type Sentence = ((usize, usize), String);

/// A note's sentences (span and text), each embedded into `cache` unless it already is, so a
/// sentence repeated across notes is embedded once.
fn embed_sentences(
    embedder: &Embedder,
    text: &str,
    cache: &mut HashMap<String, Embedding>,
) -> Result<Vec<Sentence>, SearchError> {
    let sentences: Vec<Sentence> = sentence_spans(text, MAX_SENTENCE_CHARS)
        .into_iter()
        .map(|(s, e)| ((s, e), slice_chars(text, s, e)))
        .collect();
    let missing: Vec<&str> = {
        let mut seen = std::collections::HashSet::new();
        sentences
            .iter()
            .map(|(_, s)| s.as_str())
            .filter(|s| !cache.contains_key(*s) && seen.insert(*s))
            .collect()
    };
    for chunk in missing.chunks(EMBED_BATCH) {
        for (sentence, embedding) in chunk.iter().zip(embedder.embed_batch(chunk)?) {
            cache.insert((*sentence).to_owned(), embedding);
        }
    }
    Ok(sentences)
}

/// A note's pieces: runs of its sentences up to [`PIECE_CHARS`], each with the mean of its
/// sentences' vectors.
fn note_pieces(sentences: &[((usize, usize), &Embedding)]) -> Vec<NotePiece> {
    let mut pieces = Vec::new();
    let mut run: Vec<&Embedding> = Vec::new();
    let mut span: Option<(usize, usize)> = None;
    for &((start, end), embedding) in sentences {
        if let Some((first, _)) = span
            && end - first > PIECE_CHARS
        {
            push_piece(&mut pieces, span, &run);
            run.clear();
            span = None;
        }
        run.push(embedding);
        span = Some((span.map_or(start, |(s, _)| s), end));
    }
    push_piece(&mut pieces, span, &run);
    pieces
}

fn push_piece(pieces: &mut Vec<NotePiece>, span: Option<(usize, usize)>, run: &[&Embedding]) {
    if let (Some((start, end)), Some(mean)) = (span, Embedding::mean(run)) {
        pieces.push(NotePiece { start, end, vector: mean.to_i8().as_bytes().to_vec() });
    }
}

/// A tagger's tag as stored: its evidence with audio times where the note was spoken.
fn stored_tag(tag: &Tag, segments: &[TranscriptSegment]) -> ThemeTag {
    let evidence = tag
        .evidence
        .iter()
        .map(|e| {
            let span = TextSpan::new(e.start, e.end);
            let (start_ms, end_ms) = audio_times(&span, segments);
            Evidence { span, start_ms, end_ms }
        })
        .collect();
    ThemeTag {
        theme: ThemeId(tag.id.as_str().to_owned()),
        confidence: tag.confidence,
        evidence,
        review: TagReview::Proposed,
    }
}

/// When the words of `span` were said: from the first segment it touches to the last.
pub fn audio_times(span: &TextSpan, segments: &[TranscriptSegment]) -> (Option<u64>, Option<u64>) {
    let touching: Vec<&TranscriptSegment> =
        segments.iter().filter(|s| s.span.start < span.end && span.start < s.span.end).collect();
    (touching.first().map(|s| s.start_ms), touching.last().map(|s| s.end_ms))
}
