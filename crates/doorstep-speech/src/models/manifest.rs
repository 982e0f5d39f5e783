//! The Whisper models a practitioner can choose, as `models/manifest.json` names them: each file's
//! name, published size and sha1, language, quantisation and memory need.
//!
//! The manifest is compiled in and is the trust anchor for downloads: a file is only installed
//! under a model's name once its sha1 matches the one whisper.cpp publishes.

use std::collections::HashSet;
use std::fmt;

use reqwest::Url;
use serde::{Deserialize, Serialize};

const BUILTIN: &str = include_str!("../../../../models/manifest.json");

/// A device can run a model when its total memory is at least this many times what the model
/// needs: the operating system and other apps hold the rest.
pub const RAM_HEADROOM: u64 = 4;

#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("the model manifest is not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("the model manifest is inconsistent: {0}")]
    Inconsistent(String),
    #[error("no model named {name:?}; known models: {known}")]
    UnknownModel { name: String, known: String },
    #[error("the mirror {mirror:?} is not an http(s) base URL{detail}")]
    BadMirror { mirror: String, detail: String },
}

/// Which languages a model transcribes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// English only (the `.en` models): better English for the same size.
    English,
    /// About a hundred languages, Welsh among them.
    Multilingual,
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::English => "English only",
            Self::Multilingual => "multilingual",
        })
    }
}

/// How a model's weight matrices are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Quantisation {
    F32,
    F16,
    #[serde(rename = "q8_0")]
    Q8_0,
    #[serde(rename = "q5_1")]
    Q5_1,
}

impl Quantisation {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::F32 => "f32",
            Self::F16 => "f16",
            Self::Q8_0 => "q8_0",
            Self::Q5_1 => "q5_1",
        }
    }
}

impl fmt::Display for Quantisation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<crate::convert::TensorType> for Quantisation {
    fn from(weights: crate::convert::TensorType) -> Self {
        use crate::convert::TensorType;
        match weights {
            TensorType::F32 => Self::F32,
            TensorType::F16 => Self::F16,
            TensorType::Q8_0 => Self::Q8_0,
            TensorType::Q5_1 => Self::Q5_1,
        }
    }
}

/// One published model file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelEntry {
    /// "tiny.en", "tiny.en-q5_1", "base"...
    pub name: String,
    /// The file name whisper.cpp publishes it under, and the name it is installed as.
    pub file: String,
    pub url: String,
    /// The size whisper.cpp publishes, rounded to MiB.
    pub size_mib: u64,
    /// Lowercase hex sha1, as whisper.cpp publishes it.
    pub sha1: String,
    pub language: Language,
    pub quantisation: Quantisation,
    /// Memory whisper.cpp needs to run the model, in MB.
    pub min_ram_mb: u64,
}

impl ModelEntry {
    /// Where to fetch the file: its published URL, or the same file name under `mirror`.
    pub fn download_url(&self, mirror: Option<&str>) -> Result<Url, ManifestError> {
        let Some(mirror) = mirror else {
            return Url::parse(&self.url)
                .map_err(|e| ManifestError::Inconsistent(format!("{}: url: {e}", self.name)));
        };
        let bad = |detail: String| ManifestError::BadMirror { mirror: mirror.to_owned(), detail };
        let mut base = Url::parse(mirror).map_err(|e| bad(format!(": {e}")))?;
        if !matches!(base.scheme(), "http" | "https") || base.cannot_be_a_base() {
            return Err(bad(String::new()));
        }
        if !base.path().ends_with('/') {
            base.set_path(&format!("{}/", base.path()));
        }
        base.join(&self.file).map_err(|e| bad(format!(": {e}")))
    }

    /// The largest file that can be this model: the published size was rounded, at most up.
    pub fn max_bytes(&self) -> u64 {
        (self.size_mib + 1) * 1024 * 1024
    }

    /// Whether a device with `total_ram_mb` of memory can run this model alongside everything else.
    pub fn fits(&self, total_ram_mb: u64) -> bool {
        total_ram_mb >= self.min_ram_mb.saturating_mul(RAM_HEADROOM)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestFile {
    recommend: Vec<String>,
    models: Vec<ModelEntry>,
}

/// The models Doorstep knows, checked for consistency when parsed.
#[derive(Debug, Clone)]
pub struct Manifest {
    models: Vec<ModelEntry>,
    /// Indices into `models`, best first; the last is the fallback for any device.
    recommend: Vec<usize>,
}

impl Manifest {
    /// The manifest compiled into Doorstep (`models/manifest.json`). Parse it once and keep it.
    pub fn builtin() -> Result<Self, ManifestError> {
        Self::from_json(BUILTIN)
    }

    /// A manifest from JSON in the same shape as `models/manifest.json`.
    pub fn from_json(json: &str) -> Result<Self, ManifestError> {
        let file: ManifestFile = serde_json::from_str(json)?;
        let mut names = HashSet::new();
        let mut files = HashSet::new();
        for entry in &file.models {
            check_entry(entry)?;
            if !names.insert(entry.name.as_str()) || !files.insert(entry.file.as_str()) {
                return Err(ManifestError::Inconsistent(format!("{} is listed twice", entry.name)));
            }
        }
        if file.recommend.is_empty() {
            return Err(ManifestError::Inconsistent("`recommend` names no model".into()));
        }
        let recommend = file
            .recommend
            .iter()
            .map(|name| {
                file.models.iter().position(|m| &m.name == name).ok_or_else(|| {
                    ManifestError::Inconsistent(format!("`recommend` names unknown model {name}"))
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Self { models: file.models, recommend })
    }

    pub fn models(&self) -> &[ModelEntry] {
        &self.models
    }

    pub fn get(&self, name: &str) -> Option<&ModelEntry> {
        self.models.iter().find(|m| m.name == name)
    }

    /// The entry named `name`, or an error listing the names there are.
    pub fn entry(&self, name: &str) -> Result<&ModelEntry, ManifestError> {
        self.get(name).ok_or_else(|| ManifestError::UnknownModel {
            name: name.to_owned(),
            known: self.names().join(", "),
        })
    }

    /// The entry whose published file is called `file`.
    pub fn by_file(&self, file: &str) -> Option<&ModelEntry> {
        self.models.iter().find(|m| m.file == file)
    }

    pub fn names(&self) -> Vec<&str> {
        self.models.iter().map(|m| m.name.as_str()).collect()
    }

    /// The model to use by default on a device with `total_ram_mb` of memory: the first of the
    /// manifest's `recommend` list that fits (multilingual base when memory allows), else the
    /// last (tiny.en). Unknown memory gets the last.
    pub fn recommended(&self, total_ram_mb: Option<u64>) -> &ModelEntry {
        let (fallback, better) = match self.recommend.split_last() {
            Some((last, rest)) => (*last, rest),
            None => (0, &[][..]),
        };
        let chosen = total_ram_mb
            .and_then(|ram| better.iter().copied().find(|&i| self.models[i].fits(ram)))
            .unwrap_or(fallback);
        &self.models[chosen]
    }
}

fn check_entry(entry: &ModelEntry) -> Result<(), ManifestError> {
    let problem =
        |what: String| Err(ManifestError::Inconsistent(format!("{}: {what}", entry.name)));
    let name = &entry.name;
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)) {
        return problem("a name is letters, digits, '.', '_' and '-'".into());
    }
    if entry.file != format!("ggml-{name}.bin") {
        return problem(format!("file {:?} should be \"ggml-{name}.bin\"", entry.file));
    }
    if !entry.url.starts_with("https://") || !entry.url.ends_with(&format!("/{}", entry.file)) {
        return problem(format!("url {:?} should be https and end in /{}", entry.url, entry.file));
    }
    if entry.sha1.len() != 40 || !entry.sha1.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f')) {
        return problem(format!("sha1 {:?} is not 40 lowercase hex digits", entry.sha1));
    }
    if entry.size_mib == 0 || entry.min_ram_mb == 0 {
        return problem("size_mib and min_ram_mb must be positive".into());
    }
    let english = name.contains(".en");
    if english != (entry.language == Language::English) {
        return problem(format!("language {:?} does not match the name", entry.language));
    }
    let suffix = match entry.quantisation {
        Quantisation::Q8_0 | Quantisation::Q5_1 => format!("-{}", entry.quantisation),
        Quantisation::F16 | Quantisation::F32 => String::new(),
    };
    let quantised_name = name.ends_with("-q8_0") || name.ends_with("-q5_1");
    if !name.ends_with(&suffix) || (suffix.is_empty() && quantised_name) {
        return problem(format!("quantisation {} does not match the name", entry.quantisation));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_manifest_parses_and_is_consistent() {
        let manifest = Manifest::builtin().unwrap();
        for size in ["tiny.en", "base.en", "small.en", "base"] {
            for suffix in ["", "-q5_1", "-q8_0"] {
                let entry = manifest.entry(&format!("{size}{suffix}")).unwrap();
                assert_eq!(
                    entry.url,
                    format!(
                        "https://huggingface.co/ggerganov/whisper.cpp/resolve/main/{}",
                        entry.file
                    )
                );
            }
        }
        assert_eq!(manifest.models().len(), 12);
        // Pinned from whisper.cpp's models/README.md, so an accidental edit fails here.
        assert_eq!(
            manifest.entry("tiny.en").unwrap().sha1,
            "c78c86eb1a8faa21b369bcd33207cc90d64ae9df"
        );
        assert_eq!(
            manifest.entry("base").unwrap().sha1,
            "465707469ff3a37a2b9b8d8f89f2f99de7299dac"
        );
        for entry in manifest.models() {
            let f16 = manifest.entry(entry.name.split('-').next().unwrap()).unwrap();
            assert!(entry.size_mib <= f16.size_mib && entry.min_ram_mb <= f16.min_ram_mb);
            assert_eq!(manifest.by_file(&entry.file), Some(entry));
        }
    }

    #[test]
    fn the_default_is_multilingual_base_when_memory_allows_else_tiny_en() {
        let manifest = Manifest::builtin().unwrap();
        assert_eq!(manifest.recommended(Some(8_000)).name, "base");
        assert_eq!(manifest.recommended(Some(2_048)).name, "base");
        assert_eq!(manifest.recommended(Some(1_024)).name, "tiny.en");
        assert_eq!(manifest.recommended(None).name, "tiny.en");
    }

    #[test]
    fn a_mirror_replaces_the_base_url() {
        let manifest = Manifest::builtin().unwrap();
        let entry = manifest.entry("tiny.en-q5_1").unwrap();
        assert_eq!(entry.download_url(None).unwrap().as_str(), entry.url);
        for mirror in ["http://127.0.0.1:8080/whisper", "http://127.0.0.1:8080/whisper/"] {
            assert_eq!(
                entry.download_url(Some(mirror)).unwrap().as_str(),
                "http://127.0.0.1:8080/whisper/ggml-tiny.en-q5_1.bin"
            );
        }
        let err = entry.download_url(Some("ftp://mirror.example/")).unwrap_err();
        assert!(err.to_string().contains("not an http(s) base URL"), "{err}");
        assert!(entry.download_url(Some("not a url")).is_err());
    }

    #[test]
    fn inconsistent_manifests_are_refused_naming_the_problem() {
        let good = r#"{"recommend": ["tiny.en"], "models": [{"name": "tiny.en",
            "file": "ggml-tiny.en.bin", "url": "https://h.example/ggml-tiny.en.bin",
            "size_mib": 1, "sha1": "c78c86eb1a8faa21b369bcd33207cc90d64ae9df",
            "language": "english", "quantisation": "f16", "min_ram_mb": 1}]}"#;
        Manifest::from_json(good).unwrap();
        for (from, to, problem) in [
            ("\"file\": \"ggml-tiny.en.bin\"", "\"file\": \"tiny.bin\"", "should be"),
            ("c78c86eb", "C78C86EB", "lowercase hex"),
            ("\"english\"", "\"multilingual\"", "language"),
            ("\"f16\"", "\"q5_1\"", "quantisation"),
            ("https://h", "http://h", "https"),
            ("[\"tiny.en\"]", "[\"base\"]", "unknown model base"),
            ("\"size_mib\": 1", "\"size_mib\": 0", "positive"),
        ] {
            let bad = good.replacen(from, to, 1);
            let err = Manifest::from_json(&bad).unwrap_err().to_string();
            assert!(err.contains(problem), "{from} -> {to}: {err}");
        }
        let unknown = Manifest::from_json(good).unwrap().entry("large").unwrap_err();
        assert_eq!(unknown.to_string(), "no model named \"large\"; known models: tiny.en");
    }
}
