//! Settings: which Whisper model transcribes, how long audio is kept after approval, when the
//! app locks itself; and the models themselves, downloaded (verified, resumable) or imported
//! from a file.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use doorstep_core::store::Retention;
use doorstep_speech::models::{
    DownloadOptions, DownloadRequest, Downloader, Manifest, installed_path, verify_model,
};
use serde::{Deserialize, Serialize};

use crate::error::{AppError, ErrorKind, sentence};
use crate::session::Session;

const MODEL: &str = "whisper_model";
const LOCK_AFTER: &str = "lock_after_minutes";
/// Auto-lock when the practitioner sets nothing.
const DEFAULT_LOCK_MINUTES: u32 = 5;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    /// `delete_on_approve`, `keep_30_days` or `keep`.
    #[cfg_attr(feature = "ts", ts(as = "crate::typescript::Retention"))]
    pub retention: String,
    /// The Whisper model's name; empty for the best one installed.
    pub model: String,
    pub lock_after_minutes: u32,
}

pub fn settings(session: &mut Session) -> Result<Settings, AppError> {
    let store = session.store()?;
    Ok(Settings {
        retention: store.retention()?.as_str().to_owned(),
        model: store.setting(MODEL)?.unwrap_or_default(),
        lock_after_minutes: store
            .setting(LOCK_AFTER)?
            .and_then(|m| m.parse().ok())
            .unwrap_or(DEFAULT_LOCK_MINUTES),
    })
}

pub fn save_settings(session: &mut Session, new: &Settings) -> Result<Settings, AppError> {
    let retention = Retention::parse(&new.retention).ok_or_else(|| {
        AppError::invalid(format!("{:?} is not a retention choice.", new.retention))
    })?;
    let manifest = manifest()?;
    let model = new.model.trim();
    if !model.is_empty() && manifest.get(model).is_none() {
        return Err(AppError::invalid(format!("There is no Whisper model called {model:?}.")));
    }
    if !(1..=240).contains(&new.lock_after_minutes) {
        return Err(AppError::invalid("Auto-lock must be between 1 and 240 minutes."));
    }
    let files = session.unlocked()?.files_dir().to_owned();
    let store = session.store()?;
    store.set_retention(retention)?;
    store.set_setting(MODEL, model)?;
    store.set_setting(LOCK_AFTER, &new.lock_after_minutes.to_string())?;
    store.apply_retention(&files)?;
    settings(session)
}

/// The model the practitioner chose, if any.
pub fn chosen_model(session: &mut Session) -> Result<Option<String>, AppError> {
    Ok(session.store()?.setting(MODEL)?.filter(|m| !m.is_empty()))
}

fn manifest() -> Result<Manifest, AppError> {
    Manifest::builtin().map_err(|e| AppError::new(ErrorKind::Internal, sentence(e)))
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ModelInfo {
    pub name: String,
    pub description: String,
    pub size_bytes: u64,
    pub installed: bool,
    pub active: bool,
}

pub fn models(session: &mut Session) -> Result<Vec<ModelInfo>, AppError> {
    let manifest = manifest()?;
    let chosen = chosen_model(session)?;
    let dir = session.models_dir().to_owned();
    let active = doorstep_speech::models::choose_model(chosen.as_deref(), &dir, &manifest).ok();
    Ok(manifest
        .models()
        .iter()
        .map(|m| {
            let path = installed_path(&dir, m);
            ModelInfo {
                name: m.name.clone(),
                description: format!(
                    "{}, {}, needs {} MB of memory",
                    m.language,
                    m.quantisation.as_str(),
                    m.min_ram_mb
                ),
                size_bytes: m.size_mib * 1024 * 1024,
                installed: path.is_file(),
                active: active.as_deref() == Some(path.as_path()),
            }
        })
        .collect())
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", tag = "event", content = "data")]
pub enum DownloadEvent {
    Progress { done: u64, total: Option<u64> },
    Verifying,
}

/// Downloads a published model into the models directory, resuming a partial download and
/// checking its sha1 against the manifest before it is installed.
pub fn download_model(
    session: &mut Session,
    name: &str,
    on_event: impl Fn(DownloadEvent),
) -> Result<Vec<ModelInfo>, AppError> {
    let manifest = manifest()?;
    let model = manifest.entry(name).map_err(|e| AppError::invalid(sentence(e)))?;
    let dir = session.models_dir().to_owned();
    std::fs::create_dir_all(&dir)?;
    let request = DownloadRequest::for_model(model, &dir, None)
        .map_err(|e| AppError::new(ErrorKind::Internal, sentence(e)))?;
    let downloader = Downloader::new(DownloadOptions::default())
        .map_err(|e| AppError::new(ErrorKind::Internal, sentence(e)))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| AppError::new(ErrorKind::Internal, sentence(e)))?;
    let cancel = AtomicBool::new(false);
    runtime
        .block_on(downloader.fetch(&request, &cancel, |p| {
            on_event(DownloadEvent::Progress { done: p.done, total: p.total });
        }))
        .map_err(|e| {
            let kind = if e.is_resumable() { ErrorKind::NoServer } else { ErrorKind::Internal };
            AppError::new(kind, sentence(e))
        })?;
    on_event(DownloadEvent::Verifying);
    models(session)
}

/// Installs a model file copied onto the device, once it matches the manifest.
pub fn import_model(session: &mut Session, path: &Path) -> Result<Vec<ModelInfo>, AppError> {
    let manifest = manifest()?;
    let check = verify_model(path, &manifest).map_err(|e| AppError::invalid(sentence(e)))?;
    if !check.ok {
        return Err(AppError::invalid(format!(
            "{} is not an intact Whisper model: its checksum does not match the published one.",
            path.display()
        )));
    }
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let entry = manifest
        .by_file(name)
        .ok_or_else(|| AppError::invalid(format!("{name} is not a model Doorstep knows.")))?;
    let dir = session.models_dir().to_owned();
    std::fs::create_dir_all(&dir)?;
    let dest = installed_path(&dir, entry);
    if dest != path {
        std::fs::copy(path, &dest)?;
    }
    models(session)
}
