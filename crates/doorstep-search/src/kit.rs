//! What indexing and search need, loaded once: the theme taxonomy and, when it is installed, the
//! sentence-embedding model. The CLI and the app both start from here, so they index notes the
//! same way and name the vectors they make the same.

use std::path::{Path, PathBuf};

use doorstep_core::store::Store;
use doorstep_ecomap::{Extractor, Lexicon};
use doorstep_embed::Embedder;
use doorstep_themes::{Tagger, Taxonomy};

use crate::{IndexProgress, Indexer, SearchEngine, SearchError};

/// The embedding model's folder under the models directory (scripts/models.sh puts it there).
pub const EMBED_MODEL: &str = "all-MiniLM-L6-v2";
/// Names the vectors the model makes; changes when the model or how notes are embedded does.
pub const EMBEDDED_BY: &str = "all-MiniLM-L6-v2/sentence-mean-1";

pub struct SearchKit {
    pub taxonomy: Taxonomy,
    pub embedder: Option<Embedder>,
    /// The ecomap's words, for the strengths a note's ties show.
    pub lexicon: Lexicon,
}

impl std::fmt::Debug for SearchKit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchKit").field("embedder", &self.embedder.is_some()).finish()
    }
}

impl SearchKit {
    /// Where the embedding model is looked for: `DOORSTEP_EMBED_MODEL_DIR`, else its folder
    /// under `models_dir`.
    pub fn model_dir(models_dir: &Path) -> PathBuf {
        std::env::var_os("DOORSTEP_EMBED_MODEL_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| models_dir.join(EMBED_MODEL))
    }

    /// The taxonomy with the embedding model from `model_dir`. Without the model, search still
    /// works by words and themes (`embedder` is `None`); a model that is there but broken is an
    /// error.
    pub fn load(taxonomy: Taxonomy, model_dir: &Path) -> Result<Self, SearchError> {
        let embedder = if model_dir.exists() { Some(Embedder::load(model_dir)?) } else { None };
        Ok(Self { taxonomy, embedder, lexicon: Lexicon::built_in()? })
    }

    /// Tags and embeds every note the index lacks; `threshold` overrides how close in meaning a
    /// theme's examples must be (for calibration).
    pub fn index(
        &self,
        store: &mut Store,
        threshold: Option<f32>,
        progress: impl FnMut(IndexProgress),
    ) -> Result<IndexProgress, SearchError> {
        let tagger = Tagger::new(&self.taxonomy);
        let embedder = self.embedder.as_ref().map(|e| (e, EMBEDDED_BY.to_owned()));
        let ties = Extractor::new(&self.lexicon);
        let mut indexer = Indexer::new(&tagger, &self.taxonomy, embedder).with_ties(&ties);
        if let Some(threshold) = threshold {
            indexer = indexer.with_meaning_threshold(threshold);
        }
        indexer.catch_up(store, progress)
    }

    pub fn engine<'a>(&'a self, store: &Store) -> Result<SearchEngine<'a>, SearchError> {
        SearchEngine::new(store, &self.taxonomy, self.embedder.as_ref())
    }
}
