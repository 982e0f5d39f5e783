//! The embedder: loads the tokenizer and the BERT weights from the model folder, and runs texts
//! through them in batches: truncation, padding and the attention mask here, the encoder in
//! `bert`, pooling in `pooling`.

use std::fmt;
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use tokenizers::{Encoding, Tokenizer, TruncationDirection, TruncationParams, TruncationStrategy};

use crate::bert::{Bert, BertConfig};
use crate::files::{self, ModelFiles};
use crate::{DIM, EmbedError, Embedding, pooling};

/// How many texts run through the model at once, as sentence-transformers' default. Texts are
/// sorted by length first, so a batch pads little.
const BATCH: usize = 32;

/// A loaded sentence-embedding model (all-MiniLM-L6-v2). Loading reads about 90 MB of weights
/// and takes a fraction of a second; keep one and share it (`Embedder` is `Send + Sync`, and
/// `embed` takes `&self`).
///
/// Input longer than [`Embedder::max_tokens`] word pieces is cut to that length, as
/// sentence-transformers does: the embedding of a long note reflects its beginning only, so
/// callers embed long notes a passage at a time.
pub struct Embedder {
    model: Bert,
    tokenizer: Tokenizer,
    device: Device,
    dir: PathBuf,
    max_tokens: usize,
    pad_id: u32,
    pool: Option<rayon::ThreadPool>,
}

impl Embedder {
    /// Loads the model from `dir`, which holds `config.json`, `tokenizer.json`,
    /// `model.safetensors` and `1_Pooling/config.json` (and, optionally,
    /// `sentence_bert_config.json`) as sentence-transformers saves them. A missing or invalid
    /// file is an error naming it; so is a model of another size or pooling.
    pub fn load(dir: &Path) -> Result<Embedder, EmbedError> {
        let files = ModelFiles::find(dir)?;
        let config: BertConfig = files::read_json(&files.config)?;
        let unsupported = if config.hidden_size != DIM {
            Some(format!("hidden_size is {}, not {DIM}", config.hidden_size))
        } else {
            config.unsupported()
        };
        if let Some(reason) = unsupported {
            return Err(EmbedError::Unsupported { path: files.config, reason });
        }
        files::check_pooling(&files.pooling)?;
        let max_tokens = files::max_tokens(&files, config.max_position_embeddings)?;
        let tokenizer = load_tokenizer(&files.tokenizer, max_tokens)?;

        let device = Device::Cpu;
        let weights_error = |source| EmbedError::Weights { path: files.weights.clone(), source };
        // Read into memory rather than mapped: mapping a file is `unsafe` in Rust (another
        // process could change it under us), and this workspace forbids `unsafe`.
        let tensors =
            candle_core::safetensors::load(&files.weights, &device).map_err(weights_error)?;
        let vb = VarBuilder::from_tensors(tensors, DType::F32, &device);
        let model = Bert::load(vb, &config).map_err(weights_error)?;
        Ok(Embedder {
            model,
            tokenizer,
            device,
            dir: dir.to_path_buf(),
            max_tokens,
            pad_id: config.pad_token_id,
            pool: None,
        })
    }

    /// Runs the model on a pool of its own `threads` threads, rather than on the process's
    /// shared rayon pool (by default as many threads as physical cores, or `RAYON_NUM_THREADS`).
    /// One thread keeps a phone's other cores free while notes are indexed in the background.
    ///
    /// candle splits each matrix product into as many parts as it counts cores (it reads the
    /// count once, from the machine or `RAYON_NUM_THREADS`); those parts then share the pool's
    /// threads, so more threads than that count gains nothing.
    pub fn with_threads(mut self, threads: NonZeroUsize) -> Result<Embedder, EmbedError> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads.get())
            .thread_name(|i| format!("doorstep-embed-{i}"))
            .build()
            .map_err(EmbedError::Threads)?;
        self.pool = Some(pool);
        Ok(self)
    }

    /// The most tokens of a text the model reads, `[CLS]` and `[SEP]` included: 256 for
    /// all-MiniLM-L6-v2 (`sentence_bert_config.json`), else 512. The rest of a longer text is
    /// ignored.
    pub fn max_tokens(&self) -> usize {
        self.max_tokens
    }

    /// The embedding of one text. The empty text (or only spaces) is embedded as the model sees
    /// it, `[CLS] [SEP]`, exactly as sentence-transformers does: a valid unit vector close to
    /// nothing in particular, so it never ranks high. Callers that must not index empty notes
    /// check for them first.
    pub fn embed(&self, text: &str) -> Result<Embedding, EmbedError> {
        let encoding = self.tokenizer.encode(text, true).map_err(EmbedError::Tokenize)?;
        let mut embeddings = self.in_pool(|| self.forward(&[&encoding]))?;
        embeddings.pop().ok_or_else(|| no_output(1))
    }

    /// The embeddings of many texts, in order; the same vectors as `embed` of each (to within
    /// float rounding), but faster per text when the texts are short, because the weights are
    /// read from memory once per 32 texts rather than once per text.
    pub fn embed_batch(&self, texts: &[&str]) -> Result<Vec<Embedding>, EmbedError> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        self.in_pool(|| {
            let encodings =
                self.tokenizer.encode_batch(texts.to_vec(), true).map_err(EmbedError::Tokenize)?;
            // Longest first, as sentence-transformers, so each batch pads to a similar length.
            let mut order: Vec<usize> = (0..encodings.len()).collect();
            order.sort_by_key(|&i| std::cmp::Reverse(encodings[i].len()));
            let mut embedded = Vec::with_capacity(texts.len());
            for batch in order.chunks(BATCH) {
                let inputs: Vec<&Encoding> = batch.iter().map(|&i| &encodings[i]).collect();
                embedded.extend(batch.iter().copied().zip(self.forward(&inputs)?));
            }
            embedded.sort_unstable_by_key(|&(i, _)| i);
            Ok(embedded.into_iter().map(|(_, embedding)| embedding).collect())
        })
    }

    fn in_pool<R: Send>(&self, work: impl FnOnce() -> R + Send) -> R {
        match &self.pool {
            Some(pool) => pool.install(work),
            None => work(),
        }
    }

    /// Runs one batch: pads each text's tokens to the longest, masks the padding, and pools.
    fn forward(&self, encodings: &[&Encoding]) -> Result<Vec<Embedding>, EmbedError> {
        let texts = encodings.len();
        let seq_len = encodings.iter().map(|e| e.len()).max().unwrap_or(0);
        let mut ids = Vec::with_capacity(texts * seq_len);
        let mut mask = Vec::with_capacity(texts * seq_len);
        for encoding in encodings {
            let padding = seq_len - encoding.len();
            ids.extend_from_slice(encoding.get_ids());
            ids.extend(std::iter::repeat_n(self.pad_id, padding));
            mask.extend_from_slice(encoding.get_attention_mask());
            mask.extend(std::iter::repeat_n(0, padding));
        }
        let input_ids = Tensor::from_vec(ids, (texts, seq_len), &self.device)?;
        // Without padding every token attends to every other: no mask needed.
        let attention_mask = if mask.contains(&0) {
            Some(Tensor::from_slice(&mask, (texts, seq_len), &self.device)?)
        } else {
            None
        };
        let hidden = self.model.forward(&input_ids, attention_mask.as_ref())?;
        if hidden.dims3()? != (texts, seq_len, DIM) {
            return Err(no_output(texts));
        }
        let hidden = hidden.flatten_all()?.to_vec1::<f32>()?;
        let pooled = pooling::mean_pool(&hidden, &mask, seq_len);
        if pooled.len() != texts {
            return Err(no_output(texts));
        }
        Ok(pooled)
    }
}

/// An error for a model whose output is not one vector per text (which a BERT never does).
fn no_output(texts: usize) -> EmbedError {
    EmbedError::Inference(candle_core::Error::Msg(format!(
        "the model did not give one {DIM}-dimensional vector for each of {texts} texts"
    )))
}

/// Loads `tokenizer.json` and sets how long inputs are cut. Its own settings are not used:
/// all-MiniLM-L6-v2's file truncates to 128 and pads to 128, which sentence-transformers
/// overrides with its 256 and per-batch padding; so do we (padding is done per batch, above).
fn load_tokenizer(path: &Path, max_tokens: usize) -> Result<Tokenizer, EmbedError> {
    let error = |source| EmbedError::Tokenizer { path: path.to_path_buf(), source };
    let mut tokenizer = Tokenizer::from_file(path).map_err(error)?;
    tokenizer.with_padding(None);
    tokenizer
        .with_truncation(Some(TruncationParams {
            direction: TruncationDirection::Right,
            max_length: max_tokens,
            strategy: TruncationStrategy::LongestFirst,
            stride: 0,
        }))
        .map_err(error)?;
    Ok(tokenizer)
}

impl fmt::Debug for Embedder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Embedder")
            .field("dir", &self.dir)
            .field("max_tokens", &self.max_tokens)
            .field("threads", &self.pool.as_ref().map(rayon::ThreadPool::current_num_threads))
            .finish_non_exhaustive()
    }
}
