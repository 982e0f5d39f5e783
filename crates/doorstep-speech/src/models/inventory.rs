//! What a models directory holds: published models, models converted on this device, other
//! model files, and downloads waiting to be resumed.

use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::download::partial_path;
use super::manifest::{Manifest, ModelEntry};
use super::sidecar::{ConversionRecord, SidecarError};

#[derive(Debug, thiserror::Error)]
pub enum InventoryError {
    #[error("cannot read the models directory {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error(transparent)]
    Sidecar(#[from] SidecarError),
}

/// How a model file in the directory came to be there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "origin", rename_all = "snake_case")]
pub enum Origin {
    /// Under the file name of a model the manifest knows.
    Published { name: String },
    /// Converted on this device, with its conversion record beside it.
    Converted { record: ConversionRecord },
    /// A `.bin` file with neither.
    Unknown,
}

#[derive(Debug, Clone, Serialize)]
pub struct ModelFile {
    pub path: PathBuf,
    pub bytes: u64,
    #[serde(flatten)]
    pub origin: Origin,
}

/// The model files (`*.bin`) in `dir`, by name; none when the directory does not exist yet.
pub fn scan(dir: &Path, manifest: &Manifest) -> Result<Vec<ModelFile>, InventoryError> {
    let io = |source| InventoryError::Io { path: dir.to_owned(), source };
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io(e)),
    };
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(io)?;
        let path = entry.path();
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let metadata = entry.metadata().map_err(io)?;
        if !name.ends_with(".bin") || !metadata.is_file() {
            continue;
        }
        let origin = match ConversionRecord::read_for(&path)? {
            Some(record) => Origin::Converted { record },
            None => match manifest.by_file(name) {
                Some(model) => Origin::Published { name: model.name.clone() },
                None => Origin::Unknown,
            },
        };
        files.push(ModelFile { path, bytes: metadata.len(), origin });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Where `model` is installed in `dir`.
pub fn installed_path(dir: &Path, model: &ModelEntry) -> PathBuf {
    dir.join(&model.file)
}

/// How many bytes of `model` an interrupted download has left in `dir`, if any.
pub fn partial_bytes(dir: &Path, model: &ModelEntry) -> Option<u64> {
    fs::metadata(partial_path(&installed_path(dir, model))).ok().map(|m| m.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::manifest::Quantisation;

    #[test]
    fn files_are_sorted_by_origin() {
        let manifest = Manifest::builtin().unwrap();
        let dir = tempfile::tempdir().unwrap();
        assert!(scan(&dir.path().join("missing"), &manifest).unwrap().is_empty());
        for name in ["ggml-tiny.en.bin", "ggml-welsh.bin", "ggml-other.bin", "notes.txt"] {
            fs::write(dir.path().join(name), b"weights").unwrap();
        }
        fs::write(dir.path().join("ggml-base.bin.part"), b"wei").unwrap();
        let welsh = dir.path().join("ggml-welsh.bin");
        ConversionRecord::write_for(&welsh, "ct2 /w".into(), Quantisation::Q8_0).unwrap();

        let files = scan(dir.path(), &manifest).unwrap();
        let names: Vec<_> =
            files.iter().map(|f| f.path.file_name().unwrap().to_str().unwrap()).collect();
        assert_eq!(names, ["ggml-other.bin", "ggml-tiny.en.bin", "ggml-welsh.bin"]);
        assert_eq!(files[0].origin, Origin::Unknown);
        assert_eq!(files[1].origin, Origin::Published { name: "tiny.en".into() });
        assert!(
            matches!(&files[2].origin, Origin::Converted { record } if record.source == "ct2 /w")
        );
        assert_eq!(files[1].bytes, 7);

        let base = manifest.entry("base").unwrap();
        assert_eq!(partial_bytes(dir.path(), base), Some(3));
        assert_eq!(partial_bytes(dir.path(), manifest.entry("tiny.en").unwrap()), None);
    }
}
