//! Turning what a person types after `--model` into a model file: a path, a model name, or the
//! name of a file in the models directory.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::manifest::{Manifest, ModelEntry};

#[derive(Debug, thiserror::Error)]
pub enum ResolveError {
    #[error(
        "model {name} is not installed (no {path}): download it with `doorstep models download \
         {name}`, or convert one with `doorstep models import-ct2 DIR --out {path}`"
    )]
    NotInstalled { name: String, path: PathBuf },
    #[error(
        "no model file at {path}: download a published model with `doorstep models download \
         NAME` (see `doorstep models list`), or convert one with `doorstep models import-ct2`"
    )]
    NoSuchFile { path: PathBuf },
    #[error("{0} is a directory, not a model file")]
    Directory(PathBuf),
    #[error(
        "no model named {spec:?} and no such file; known models: {known} (see `doorstep models \
         list`)"
    )]
    Unknown { spec: String, known: String },
}

/// A model file ready to load.
#[derive(Debug, Clone, Serialize)]
pub struct ResolvedModel {
    pub path: PathBuf,
    /// The manifest's entry, when the model was named.
    pub entry: Option<ModelEntry>,
}

/// The model to transcribe with: `spec` when one is given, else the model recommended for this
/// device's memory if installed, else the largest installed model that fits, else the
/// recommended one's "not installed" error (which says how to get it).
pub fn choose_model(
    spec: Option<&str>,
    models_dir: &Path,
    manifest: &Manifest,
) -> Result<PathBuf, ResolveError> {
    if let Some(spec) = spec {
        return Ok(resolve_model(spec, models_dir, manifest)?.path);
    }
    let ram = super::total_ram_mb();
    let recommended = manifest.recommended(ram);
    let fitting = manifest.models().iter().rev().filter(|m| ram.is_none_or(|r| m.fits(r)));
    std::iter::once(recommended)
        .chain(fitting)
        .map(|m| models_dir.join(&m.file))
        .find(|p| p.is_file())
        .map_or_else(|| resolve_model(&recommended.name, models_dir, manifest).map(|r| r.path), Ok)
}

/// Resolves `spec`: an existing file is used as is; a manifest name maps to
/// `<models_dir>/<file>`; a bare file name is looked for in `models_dir`.
pub fn resolve_model(
    spec: &str,
    models_dir: &Path,
    manifest: &Manifest,
) -> Result<ResolvedModel, ResolveError> {
    let as_path = Path::new(spec);
    if as_path.is_dir() {
        return Err(ResolveError::Directory(as_path.to_owned()));
    }
    if as_path.is_file() {
        return Ok(ResolvedModel { path: as_path.to_owned(), entry: None });
    }
    if let Some(entry) = manifest.get(spec) {
        let path = models_dir.join(&entry.file);
        if !path.is_file() {
            return Err(ResolveError::NotInstalled { name: entry.name.clone(), path });
        }
        return Ok(ResolvedModel { path, entry: Some(entry.clone()) });
    }
    let looks_like_path = spec.contains(['/', '\\']) || spec.ends_with(".bin");
    if !looks_like_path {
        return Err(ResolveError::Unknown {
            spec: spec.to_owned(),
            known: manifest.names().join(", "),
        });
    }
    let in_dir = models_dir.join(spec);
    if as_path.components().count() == 1 && in_dir.is_file() {
        return Ok(ResolvedModel { entry: manifest.by_file(spec).cloned(), path: in_dir });
    }
    Err(ResolveError::NoSuchFile { path: as_path.to_owned() })
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    #[test]
    fn paths_names_and_file_names_resolve() {
        let manifest = Manifest::builtin().unwrap();
        let home = tempfile::tempdir().unwrap();
        let models = home.path().join("models");
        fs::create_dir(&models).unwrap();
        fs::write(models.join("ggml-base.bin"), b"w").unwrap();
        fs::write(models.join("ggml-welsh.bin"), b"w").unwrap();
        let elsewhere = home.path().join("mine.bin");
        fs::write(&elsewhere, b"w").unwrap();

        let by_path = resolve_model(elsewhere.to_str().unwrap(), &models, &manifest).unwrap();
        assert_eq!(by_path.path, elsewhere);
        assert!(by_path.entry.is_none());

        let by_name = resolve_model("base", &models, &manifest).unwrap();
        assert_eq!(by_name.path, models.join("ggml-base.bin"));
        assert_eq!(by_name.entry.unwrap().name, "base");

        let by_file = resolve_model("ggml-welsh.bin", &models, &manifest).unwrap();
        assert_eq!(by_file.path, models.join("ggml-welsh.bin"));
    }

    #[test]
    fn missing_models_say_how_to_get_them() {
        let manifest = Manifest::builtin().unwrap();
        let home = tempfile::tempdir().unwrap();
        let models = home.path().join("models");

        let err = resolve_model("tiny.en-q5_1", &models, &manifest).unwrap_err().to_string();
        assert!(err.starts_with("model tiny.en-q5_1 is not installed"), "{err}");
        assert!(err.contains("doorstep models download tiny.en-q5_1"), "{err}");
        assert!(err.contains("doorstep models import-ct2"), "{err}");

        let err = resolve_model("/no/such/model.bin", &models, &manifest).unwrap_err().to_string();
        assert!(err.starts_with("no model file at /no/such/model.bin"), "{err}");
        assert!(err.contains("doorstep models download NAME"), "{err}");

        let err = resolve_model("large-v9", &models, &manifest).unwrap_err().to_string();
        assert!(err.contains("no model named \"large-v9\""), "{err}");
        assert!(err.contains("tiny.en, tiny.en-q5_1"), "{err}");

        let err = resolve_model(home.path().to_str().unwrap(), &models, &manifest).unwrap_err();
        assert!(err.to_string().ends_with("is a directory, not a model file"), "{err}");
    }
}
