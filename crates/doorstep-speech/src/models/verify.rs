//! Checking a model file before it is trusted: a published whisper.cpp file against the sha1 in
//! the manifest, a model converted on this device against its conversion record.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::digest::{Algorithm, digest_file};
use super::manifest::Manifest;
use super::sidecar::{ConversionRecord, SidecarError, sidecar_path};

#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("no model file at {0}")]
    NotFound(PathBuf),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error(transparent)]
    Sidecar(#[from] SidecarError),
    #[error(
        "{path}: nothing to check it against: it is not a file whisper.cpp publishes and has no \
         conversion record ({record})",
        record = sidecar_path(path).display()
    )]
    NoReference { path: PathBuf },
}

/// What a file was checked against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "basis", rename_all = "snake_case")]
pub enum Basis {
    /// A file whisper.cpp publishes, checked against the manifest's sha1.
    Published { name: String },
    /// A model converted on this device, checked against its conversion record.
    Converted { source: String },
}

/// The outcome of checking one file.
#[derive(Debug, Clone, Serialize)]
pub struct Verification {
    pub path: PathBuf,
    #[serde(flatten)]
    pub basis: Basis,
    pub algorithm: Algorithm,
    pub expected: String,
    pub found: String,
    /// The size the record gives, when it gives one.
    pub expected_bytes: Option<u64>,
    pub bytes: u64,
    pub ok: bool,
}

/// Checks the model at `path`: against its conversion record when it has one (a converted model
/// may take a published file's name), else against the manifest entry for its file name.
pub fn verify_model(path: &Path, manifest: &Manifest) -> Result<Verification, VerifyError> {
    if !path.is_file() {
        return Err(VerifyError::NotFound(path.to_owned()));
    }
    let (basis, algorithm, expected, expected_bytes) = match ConversionRecord::read_for(path)? {
        Some(record) => (
            Basis::Converted { source: record.source },
            Algorithm::Sha256,
            record.sha256,
            Some(record.bytes),
        ),
        None => {
            let entry = path
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| manifest.by_file(n))
                .ok_or_else(|| VerifyError::NoReference { path: path.to_owned() })?;
            (
                Basis::Published { name: entry.name.clone() },
                Algorithm::Sha1,
                entry.sha1.clone(),
                None,
            )
        }
    };
    let digest = digest_file(path, algorithm)
        .map_err(|source| VerifyError::Io { path: path.to_owned(), source })?;
    let ok = digest.hex == expected && expected_bytes.is_none_or(|b| b == digest.bytes);
    Ok(Verification {
        path: path.to_owned(),
        basis,
        algorithm,
        expected,
        found: digest.hex,
        expected_bytes,
        bytes: digest.bytes,
        ok,
    })
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;
    use crate::models::manifest::Quantisation;

    fn manifest_for(bytes: &[u8]) -> Manifest {
        use sha1::{Digest, Sha1};
        let sha1 = hex::encode(Sha1::digest(bytes));
        Manifest::from_json(&format!(
            r#"{{"recommend": ["tiny.en"], "models": [{{"name": "tiny.en",
            "file": "ggml-tiny.en.bin", "url": "https://h.example/ggml-tiny.en.bin",
            "size_mib": 1, "sha1": "{sha1}", "language": "english", "quantisation": "f16",
            "min_ram_mb": 1}}]}}"#
        ))
        .unwrap()
    }

    #[test]
    fn published_files_are_checked_against_the_manifest() {
        let dir = tempfile::tempdir().unwrap();
        let manifest = manifest_for(b"published weights");
        let path = dir.path().join("ggml-tiny.en.bin");
        fs::write(&path, b"published weights").unwrap();
        let good = verify_model(&path, &manifest).unwrap();
        assert!(good.ok);
        assert_eq!(good.basis, Basis::Published { name: "tiny.en".into() });
        assert_eq!(good.algorithm, Algorithm::Sha1);

        fs::write(&path, b"published weightz").unwrap();
        let bad = verify_model(&path, &manifest).unwrap();
        assert!(!bad.ok);
        assert_ne!(bad.found, bad.expected);
    }

    #[test]
    fn converted_files_are_checked_against_their_record_even_under_a_published_name() {
        let dir = tempfile::tempdir().unwrap();
        let manifest = manifest_for(b"published weights");
        let path = dir.path().join("ggml-tiny.en.bin");
        fs::write(&path, b"converted weights").unwrap();
        ConversionRecord::write_for(&path, "ct2 /src".into(), Quantisation::F16).unwrap();
        let good = verify_model(&path, &manifest).unwrap();
        assert!(good.ok, "{good:?}");
        assert_eq!(good.basis, Basis::Converted { source: "ct2 /src".into() });
        assert_eq!(good.algorithm, Algorithm::Sha256);

        fs::write(&path, b"converted weights, changed").unwrap();
        assert!(!verify_model(&path, &manifest).unwrap().ok);
    }

    #[test]
    fn unknown_and_missing_files_are_errors_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let manifest = manifest_for(b"x");
        let stray = dir.path().join("ggml-mystery.bin");
        fs::write(&stray, b"x").unwrap();
        let err = verify_model(&stray, &manifest).unwrap_err().to_string();
        assert!(err.contains("ggml-mystery.bin: nothing to check it against"), "{err}");
        let err = verify_model(&dir.path().join("gone.bin"), &manifest).unwrap_err().to_string();
        assert!(err.starts_with("no model file at "), "{err}");
    }
}
