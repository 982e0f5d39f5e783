//! Search's errors: a filter that cannot be honoured, named so the practitioner can fix it, or a
//! failure underneath (the store, the embedding model).

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("{0:?} is not a date: write it as 2026-03-14, 2026-03 or 2026")]
    BadDate(String),
    #[error("`{0}` needs a value, e.g. person:\"Joan Platt\", from:2026-01, theme:alcohol")]
    EmptyFilter(&'static str),
    #[error("there is no theme {0:?}: `doorstep themes list` shows every theme id")]
    UnknownTheme(String),
    #[error(transparent)]
    Store(#[from] doorstep_core::Error),
    #[error("the search by meaning stopped unexpectedly; search again")]
    MeaningStopped,
    #[error("the embedding model failed: {0}")]
    Embedding(#[from] doorstep_embed::EmbedError),
    #[error(transparent)]
    Ecomap(#[from] doorstep_ecomap::EcomapError),
}
