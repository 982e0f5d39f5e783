//! The record written beside a model Doorstep converted itself (`<file>.json`): where its
//! weights came from, how they are stored, and the sha256 and size of the file written.
//!
//! A converted file never matches a digest whisper.cpp publishes, so this record is what
//! `models verify` checks it against.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::digest::{Algorithm, digest_file};
use super::manifest::Quantisation;

#[derive(Debug, thiserror::Error)]
pub enum SidecarError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path} is not a Doorstep conversion record: {source}")]
    Malformed { path: PathBuf, source: serde_json::Error },
}

/// What `<file>.json` holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversionRecord {
    /// Where the weights came from: "ct2 <dir>" for `doorstep models import-ct2`.
    pub source: String,
    pub quantisation: Quantisation,
    /// Lowercase hex sha256 of the model file as written.
    pub sha256: String,
    pub bytes: u64,
}

/// `<model>.json`: the record's place beside the model file.
pub fn sidecar_path(model: &Path) -> PathBuf {
    let mut name = model.as_os_str().to_owned();
    name.push(".json");
    PathBuf::from(name)
}

impl ConversionRecord {
    /// Hashes the model at `model` and writes its record beside it (replacing any older one).
    pub fn write_for(
        model: &Path,
        source: String,
        quantisation: Quantisation,
    ) -> Result<Self, SidecarError> {
        let io = |path: &Path| {
            let path = path.to_owned();
            move |source| SidecarError::Io { path, source }
        };
        let digest = digest_file(model, Algorithm::Sha256).map_err(io(model))?;
        let record = Self { source, quantisation, sha256: digest.hex, bytes: digest.bytes };
        let path = sidecar_path(model);
        let mut json = serde_json::to_vec_pretty(&record)
            .map_err(|source| SidecarError::Malformed { path: path.clone(), source })?;
        json.push(b'\n');
        let mut partial = path.clone().into_os_string();
        partial.push(".partial");
        let partial = PathBuf::from(partial);
        let written = fs::File::create(&partial)
            .and_then(|mut f| f.write_all(&json).and_then(|()| f.sync_all()))
            .and_then(|()| fs::rename(&partial, &path));
        if let Err(e) = written {
            let _ = fs::remove_file(&partial);
            return Err(SidecarError::Io { path, source: e });
        }
        Ok(record)
    }

    /// The record beside `model`, if there is one.
    pub fn read_for(model: &Path) -> Result<Option<Self>, SidecarError> {
        let path = sidecar_path(model);
        let text = match fs::read(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(SidecarError::Io { path, source }),
        };
        serde_json::from_slice(&text)
            .map(Some)
            .map_err(|source| SidecarError::Malformed { path, source })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_round_trips_beside_its_model() {
        let dir = tempfile::tempdir().unwrap();
        let model = dir.path().join("ggml-welsh.bin");
        fs::write(&model, b"abc").unwrap();
        assert_eq!(ConversionRecord::read_for(&model).unwrap(), None);
        let written =
            ConversionRecord::write_for(&model, "ct2 /src/welsh".into(), Quantisation::Q5_1)
                .unwrap();
        assert_eq!(sidecar_path(&model), dir.path().join("ggml-welsh.bin.json"));
        assert_eq!(written.bytes, 3);
        assert_eq!(
            written.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(ConversionRecord::read_for(&model).unwrap(), Some(written));
        let json: serde_json::Value =
            serde_json::from_slice(&fs::read(sidecar_path(&model)).unwrap()).unwrap();
        assert_eq!(json["quantisation"], "q5_1");
        assert_eq!(json["source"], "ct2 /src/welsh");

        fs::write(sidecar_path(&model), b"{\"source\": 1}").unwrap();
        let err = ConversionRecord::read_for(&model).unwrap_err().to_string();
        assert!(err.contains("is not a Doorstep conversion record"), "{err}");
    }
}
