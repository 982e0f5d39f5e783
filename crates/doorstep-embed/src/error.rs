//! What can go wrong loading the model or embedding text. Loading errors name the file, because
//! the fix (fetch the model again, or point at the right folder) depends on which one it is.

use std::path::PathBuf;

use crate::DIM;

/// An error loading the embedding model or running it.
#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    /// A file the model needs is not in its folder.
    #[error("the embedding model file {} is missing", path.display())]
    MissingFile { path: PathBuf },
    /// A model file exists but could not be read.
    #[error("the embedding model file {} could not be read", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A JSON configuration file is not what this model's files hold.
    #[error("the embedding model file {} is not valid", path.display())]
    InvalidConfig {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    /// The model is valid but not one this crate runs (another size, another pooling).
    #[error("the embedding model file {} is not supported: {reason}", path.display())]
    Unsupported { path: PathBuf, reason: String },
    /// `tokenizer.json` could not be loaded.
    #[error("the embedding model's tokenizer {} could not be loaded", path.display())]
    Tokenizer {
        path: PathBuf,
        #[source]
        source: tokenizers::Error,
    },
    /// `model.safetensors` could not be loaded, or lacks a tensor of the model.
    #[error("the embedding model's weights {} could not be loaded", path.display())]
    Weights {
        path: PathBuf,
        #[source]
        source: candle_core::Error,
    },
    /// The thread pool asked for could not be started.
    #[error("the embedder's threads could not be started")]
    Threads(#[source] rayon::ThreadPoolBuildError),
    /// Text could not be split into the model's word pieces.
    #[error("the text could not be tokenised")]
    Tokenize(#[source] tokenizers::Error),
    /// The model failed while running.
    #[error("the embedding model failed")]
    Inference(#[from] candle_core::Error),
    /// Stored bytes are not a quantised embedding.
    #[error("a quantised embedding is {DIM} bytes, but {len} were given")]
    QuantizedLength { len: usize },
}
