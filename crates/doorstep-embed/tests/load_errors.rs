//! A wrong model folder fails to load with the file named. These need no real model: the files
//! are made here, each test breaking one.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use doorstep_embed::{EmbedError, Embedder};

const CONFIG: &str = r#"{"vocab_size": 30522, "hidden_size": 384, "num_hidden_layers": 6,
  "num_attention_heads": 12, "intermediate_size": 1536, "hidden_act": "gelu",
  "hidden_dropout_prob": 0.1, "max_position_embeddings": 512, "type_vocab_size": 2,
  "initializer_range": 0.02, "layer_norm_eps": 1e-12, "pad_token_id": 0}"#;
const POOLING: &str = r#"{"word_embedding_dimension": 384, "pooling_mode_mean_tokens": true}"#;
/// The smallest tokenizer.json that loads: lower-casing WordPiece over a five-word vocabulary.
const TOKENIZER: &str = r###"{"version": "1.0", "truncation": null, "padding": null,
  "added_tokens": [], "normalizer": {"type": "BertNormalizer", "clean_text": true,
  "handle_chinese_chars": true, "strip_accents": null, "lowercase": true},
  "pre_tokenizer": {"type": "BertPreTokenizer"}, "post_processor": null, "decoder": null,
  "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
  "max_input_chars_per_word": 100,
  "vocab": {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, "visit": 4}}}"###;

/// A model folder with every file valid except the weights, which are `weights`.
fn folder(weights: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    };
    write("config.json", CONFIG.as_bytes());
    write("tokenizer.json", TOKENIZER.as_bytes());
    write("model.safetensors", weights);
    write("1_Pooling/config.json", POOLING.as_bytes());
    write("sentence_bert_config.json", br#"{"max_seq_length": 256}"#);
    dir
}

fn load_error(dir: &Path) -> EmbedError {
    match Embedder::load(dir) {
        Ok(embedder) => panic!("loaded {embedder:?}"),
        Err(err) => err,
    }
}

/// The message and its causes, as a log line would show them.
fn full_message(err: &EmbedError) -> String {
    let mut message = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        message.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    message
}

#[test]
fn each_missing_file_is_named() {
    for name in ["config.json", "tokenizer.json", "model.safetensors", "1_Pooling/config.json"] {
        let dir = folder(b"");
        std::fs::remove_file(dir.path().join(name)).unwrap();
        let err = load_error(dir.path());
        assert!(matches!(err, EmbedError::MissingFile { .. }), "{err:?}");
        assert!(err.to_string().contains(name), "{name}: {err}");
    }
    let err = load_error(Path::new("/no/such/folder"));
    assert!(err.to_string().contains("/no/such/folder/config.json"), "{err}");
}

#[test]
fn invalid_files_are_named() {
    let dir = folder(b"not safetensors at all");
    let err = load_error(dir.path());
    assert!(matches!(err, EmbedError::Weights { .. }), "{err:?}");
    assert!(err.to_string().contains("model.safetensors"), "{}", full_message(&err));

    std::fs::write(dir.path().join("tokenizer.json"), "{\"version\": ").unwrap();
    let err = load_error(dir.path());
    assert!(matches!(err, EmbedError::Tokenizer { .. }), "{err:?}");
    assert!(err.to_string().contains("tokenizer.json"), "{}", full_message(&err));

    std::fs::write(dir.path().join("config.json"), CONFIG.replace("384", "768")).unwrap();
    let err = load_error(dir.path());
    assert!(matches!(err, EmbedError::Unsupported { .. }), "{err:?}");
    assert!(err.to_string().contains("config.json"), "{err}");

    std::fs::write(dir.path().join("config.json"), "[]").unwrap();
    let err = load_error(dir.path());
    assert!(matches!(err, EmbedError::InvalidConfig { .. }), "{err:?}");
    assert!(err.to_string().contains("config.json"), "{err}");
}

#[test]
fn weights_without_the_model_tensors_are_named() {
    // A valid safetensors file holding one unrelated tensor.
    let header = br#"{"unrelated":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#;
    let mut weights = (header.len() as u64).to_le_bytes().to_vec();
    weights.extend_from_slice(header);
    weights.extend_from_slice(&1f32.to_le_bytes());
    let dir = folder(&weights);
    let err = load_error(dir.path());
    assert!(matches!(err, EmbedError::Weights { .. }), "{err:?}");
    assert!(err.to_string().contains("model.safetensors"), "{}", full_message(&err));
}
