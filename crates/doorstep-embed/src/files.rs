//! The model folder: which files the embedder reads, and the checks that make a wrong or partial
//! folder fail at load with the file named, rather than give plausible nonsense later.
//!
//! The layout is sentence-transformers': `config.json` (the BERT configuration),
//! `tokenizer.json`, `model.safetensors`, `1_Pooling/config.json` (how token vectors become one
//! sentence vector) and, optionally, `sentence_bert_config.json` (the longest input it was
//! trained on).

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::{DIM, EmbedError};

/// Input length when the folder has no `sentence_bert_config.json`: BERT's position limit.
const DEFAULT_MAX_TOKENS: usize = 512;

/// The paths of the model's files, each checked to exist.
#[derive(Debug)]
pub(crate) struct ModelFiles {
    pub config: PathBuf,
    pub tokenizer: PathBuf,
    pub weights: PathBuf,
    pub pooling: PathBuf,
    pub sentence_config: Option<PathBuf>,
}

impl ModelFiles {
    /// Finds the files in `dir`, naming the first required one that is missing.
    pub fn find(dir: &Path) -> Result<Self, EmbedError> {
        let required = |name: &str| {
            let path = dir.join(name);
            if path.is_file() { Ok(path) } else { Err(EmbedError::MissingFile { path }) }
        };
        let sentence_config = dir.join("sentence_bert_config.json");
        Ok(ModelFiles {
            config: required("config.json")?,
            tokenizer: required("tokenizer.json")?,
            weights: required("model.safetensors")?,
            pooling: required("1_Pooling/config.json")?,
            sentence_config: sentence_config.is_file().then_some(sentence_config),
        })
    }
}

/// Reads and parses a JSON file.
pub(crate) fn read_json<T: DeserializeOwned>(path: &Path) -> Result<T, EmbedError> {
    let bytes = std::fs::read(path)
        .map_err(|source| EmbedError::Read { path: path.to_path_buf(), source })?;
    serde_json::from_slice(&bytes)
        .map_err(|source| EmbedError::InvalidConfig { path: path.to_path_buf(), source })
}

/// Checks that the pooling configuration is the one this crate implements: the mean of the
/// token vectors, and no other mode, of [`DIM`]-dimensional vectors.
pub(crate) fn check_pooling(path: &Path) -> Result<(), EmbedError> {
    let config: serde_json::Map<String, serde_json::Value> = read_json(path)?;
    let unsupported = |reason: String| EmbedError::Unsupported { path: path.to_path_buf(), reason };
    let dimension = config.get("word_embedding_dimension").and_then(serde_json::Value::as_u64);
    if dimension != Some(DIM as u64) {
        return Err(unsupported(format!("word_embedding_dimension is not {DIM}")));
    }
    // Newer sentence-transformers add modes (weighted mean, last token): any other mode switched
    // on would change the vectors, so each one is checked.
    for (key, value) in &config {
        if let Some(mode) = key.strip_prefix("pooling_mode_") {
            let on = value.as_bool().unwrap_or(true);
            if on != (mode == "mean_tokens") {
                return Err(unsupported(format!(
                    "only mean pooling is implemented, but {key} is {value}"
                )));
            }
        }
    }
    if config.get("pooling_mode_mean_tokens").and_then(serde_json::Value::as_bool) != Some(true) {
        return Err(unsupported("pooling_mode_mean_tokens is not true".to_owned()));
    }
    Ok(())
}

#[derive(Deserialize)]
struct SentenceConfig {
    max_seq_length: Option<usize>,
}

/// The most tokens (word pieces plus `[CLS]` and `[SEP]`) the model reads of one text:
/// `max_seq_length` of `sentence_bert_config.json` if given (256 for all-MiniLM-L6-v2), else
/// 512, and never more than the model has positions for.
pub(crate) fn max_tokens(files: &ModelFiles, max_positions: usize) -> Result<usize, EmbedError> {
    let configured = match &files.sentence_config {
        Some(path) => read_json::<SentenceConfig>(path)?.max_seq_length,
        None => None,
    };
    let max_tokens = configured.unwrap_or(DEFAULT_MAX_TOKENS).min(max_positions);
    if max_tokens < 2 {
        // Room for [CLS] and [SEP] at least, or the tokenizer refuses every text.
        return Err(EmbedError::Unsupported {
            path: files.sentence_config.clone().unwrap_or_else(|| files.config.clone()),
            reason: format!("the longest input is {max_tokens} tokens"),
        });
    }
    Ok(max_tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    const MEAN: &str = r#"{"word_embedding_dimension": 384, "pooling_mode_cls_token": false,
        "pooling_mode_mean_tokens": true, "pooling_mode_max_tokens": false}"#;

    #[test]
    fn the_first_missing_file_is_named() {
        let dir = folder(&[("config.json", "{}"), ("tokenizer.json", "{}")]);
        let err = ModelFiles::find(dir.path()).unwrap_err();
        assert!(err.to_string().contains("model.safetensors"), "{err}");
    }

    #[test]
    fn only_mean_pooling_is_accepted() {
        let dir = folder(&[
            ("mean.json", MEAN),
            ("cls.json", &MEAN.replace("cls_token\": false", "cls_token\": true")),
            ("small.json", &MEAN.replace("384", "768")),
            ("broken.json", "{"),
        ]);
        check_pooling(&dir.path().join("mean.json")).unwrap();
        let err = check_pooling(&dir.path().join("cls.json")).unwrap_err();
        assert!(err.to_string().contains("cls.json"), "{err}");
        assert!(matches!(err, EmbedError::Unsupported { .. }));
        let err = check_pooling(&dir.path().join("small.json")).unwrap_err();
        assert!(matches!(err, EmbedError::Unsupported { .. }));
        let err = check_pooling(&dir.path().join("broken.json")).unwrap_err();
        assert!(matches!(err, EmbedError::InvalidConfig { .. }));
        assert!(err.to_string().contains("broken.json"), "{err}");
    }

    #[test]
    fn max_tokens_follows_the_sentence_config() {
        let files = |dir: &tempfile::TempDir, sentence: bool| ModelFiles {
            config: dir.path().join("config.json"),
            tokenizer: dir.path().join("tokenizer.json"),
            weights: dir.path().join("model.safetensors"),
            pooling: dir.path().join("1_Pooling/config.json"),
            sentence_config: sentence.then(|| dir.path().join("sentence_bert_config.json")),
        };
        let dir = folder(&[("sentence_bert_config.json", r#"{"max_seq_length": 256}"#)]);
        assert_eq!(max_tokens(&files(&dir, true), 512).unwrap(), 256);
        assert_eq!(max_tokens(&files(&dir, true), 128).unwrap(), 128);
        assert_eq!(max_tokens(&files(&dir, false), 512).unwrap(), 512);
    }
}
