//! Sentence embeddings on the device. The theme tagger's word lists miss indirect mentions ("he
//! put his hands round her neck" is domestic abuse without saying so) and free-text search misses
//! notes that say the same thing in other words. Both need a sentence's meaning as a vector, and
//! case text may not leave the phone, so the model runs here: all-MiniLM-L6-v2 (Apache-2.0, 22M
//! parameters, 384 dimensions) on the CPU with candle.
//!
//! The model is a folder the app has verified (see `scripts/models.sh`, `ensure_minilm`), loaded
//! with [`Embedder::load`]; nothing is fetched at run time. [`Embedder::embed`] gives an
//! [`Embedding`], a unit vector computed as sentence-transformers does for this model, so the
//! dot product of two embeddings is their cosine similarity. [`Embedding::to_i8`] gives the
//! compact form ([`QuantizedEmbedding`], [`DIM`] bytes) to store beside a note and compare fast.

mod bert;
mod error;
mod files;
mod model;
mod pooling;
mod vector;

pub use error::EmbedError;
pub use model::Embedder;
pub use vector::{Embedding, QuantizedEmbedding, dot_i8_bytes};

/// The number of dimensions of every embedding.
pub const DIM: usize = 384;
