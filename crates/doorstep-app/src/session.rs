//! The app's one session: the data directory, the store once unlocked, and what is loaded on
//! first use (the search kit, the ecomap lexicon, the Whisper engine). The shell keeps it behind
//! one lock; locking drops every key and loaded model with the store.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use doorstep_core::keys::Passphrase;
use doorstep_core::store::Store;
use doorstep_core::{DataDir, Unlocked};
use doorstep_ecomap::Lexicon;
use doorstep_search::SearchKit;
use doorstep_speech::transcribe::Engine;
use doorstep_themes::Taxonomy;
use serde::Serialize;

use crate::error::{AppError, ErrorKind};

/// What the Unlock screen needs to know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct AppStateView {
    pub initialised: bool,
    pub unlocked: bool,
    pub practitioner: Option<String>,
}

/// The unlocked store with the taxonomy, the embedding model and the ecomap lexicon.
#[derive(Debug)]
pub struct Workbench<'a> {
    pub store: &'a mut Store,
    /// The data directory's sealed files.
    pub files: PathBuf,
    pub kit: &'a SearchKit,
    pub lexicon: &'a Lexicon,
}

pub struct Session {
    data_dir: DataDir,
    models_dir: PathBuf,
    unlocked: Option<Unlocked>,
    kit: Option<SearchKit>,
    lexicon: Option<Lexicon>,
    engine: Option<(PathBuf, Arc<Engine>)>,
    last_sync_error: Option<String>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("data_dir", &self.data_dir)
            .field("unlocked", &self.unlocked.is_some())
            .finish_non_exhaustive()
    }
}

fn passphrase(text: String, creating: bool) -> Result<Passphrase, AppError> {
    let made = if creating { Passphrase::new_for_creation(text) } else { Passphrase::new(text) };
    made.map_err(|e| AppError::invalid(format!("The passphrase cannot be used: {e}.")))
}

impl Session {
    pub fn new(data_dir: impl Into<PathBuf>, models_dir: impl Into<PathBuf>) -> Self {
        Self {
            data_dir: DataDir::new(data_dir),
            models_dir: models_dir.into(),
            unlocked: None,
            kit: None,
            lexicon: None,
            engine: None,
            last_sync_error: None,
        }
    }

    pub fn models_dir(&self) -> &Path {
        &self.models_dir
    }

    pub fn state(&self) -> Result<AppStateView, AppError> {
        let practitioner = match &self.unlocked {
            Some(u) => u.store.practitioner()?,
            None => None,
        };
        Ok(AppStateView {
            initialised: self.data_dir.exists(),
            unlocked: self.unlocked.is_some(),
            practitioner,
        })
    }

    /// A new encrypted store for this device, unlocked.
    pub fn create(
        &mut self,
        practitioner: &str,
        passphrase_text: String,
    ) -> Result<AppStateView, AppError> {
        let practitioner = practitioner.trim();
        if practitioner.is_empty() {
            return Err(AppError::invalid("Enter your name: it goes on the notes you write."));
        }
        let passphrase = passphrase(passphrase_text, true)?;
        self.unlocked = Some(self.data_dir.create(&passphrase, Some(practitioner))?);
        self.state()
    }

    pub fn unlock(&mut self, passphrase_text: String) -> Result<AppStateView, AppError> {
        if !self.data_dir.exists() {
            return Err(AppError::new(
                ErrorKind::NotInitialised,
                "There are no records on this device yet: set Doorstep up first.",
            ));
        }
        let passphrase = passphrase(passphrase_text, false)?;
        let mut unlocked = self.data_dir.unlock(&passphrase)?;
        unlocked.store.apply_retention(&self.data_dir.files_dir())?;
        self.unlocked = Some(unlocked);
        self.state()
    }

    /// Drops the store and its keys, and the loaded models.
    pub fn lock(&mut self) -> AppStateView {
        self.unlocked = None;
        self.kit = None;
        self.engine = None;
        AppStateView { initialised: self.data_dir.exists(), unlocked: false, practitioner: None }
    }

    pub fn unlocked(&mut self) -> Result<&mut Unlocked, AppError> {
        self.unlocked.as_mut().ok_or_else(AppError::locked)
    }

    pub fn store(&mut self) -> Result<&mut Store, AppError> {
        Ok(&mut self.unlocked()?.store)
    }

    /// The store with what reading notes needs, each loaded on first use, and the search index
    /// brought up to date (new and edited notes tagged and embedded).
    pub fn workbench(&mut self) -> Result<Workbench<'_>, AppError> {
        let unlocked = self.unlocked.as_mut().ok_or_else(AppError::locked)?;
        if self.lexicon.is_none() {
            self.lexicon = Some(Lexicon::built_in()?);
        }
        if self.kit.is_none() {
            let dir = SearchKit::model_dir(&self.models_dir);
            self.kit = Some(SearchKit::load(Taxonomy::builtin()?, &dir)?);
        }
        let (Some(kit), Some(lexicon)) = (&self.kit, &self.lexicon) else {
            return Err(AppError::new(ErrorKind::Internal, "The search kit did not load."));
        };
        kit.index(&mut unlocked.store, None, |_| {})?;
        let files = unlocked.files_dir().to_owned();
        Ok(Workbench { store: &mut unlocked.store, files, kit, lexicon })
    }

    pub fn last_sync_error(&self) -> Option<String> {
        self.last_sync_error.clone()
    }

    pub fn set_last_sync_error(&mut self, error: Option<String>) {
        self.last_sync_error = error;
    }

    /// The Whisper engine for the chosen model, loaded once and kept until the model changes.
    pub fn engine(&mut self, model: &Path) -> Result<Arc<Engine>, AppError> {
        if let Some((path, engine)) = &self.engine
            && path == model
        {
            return Ok(Arc::clone(engine));
        }
        let engine = Arc::new(Engine::load(model)?);
        self.engine = Some((model.to_owned(), Arc::clone(&engine)));
        Ok(engine)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_is_created_locked_and_unlocked_and_a_wrong_passphrase_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let mut session = Session::new(dir.path().join("data"), dir.path().join("models"));
        assert!(!session.state().unwrap().initialised);
        let refused = session.unlock("whatever it is".into()).unwrap_err();
        assert_eq!(refused.kind, ErrorKind::NotInitialised);
        let short = session.create("Sam Okafor", "short".into()).unwrap_err();
        assert_eq!(short.kind, ErrorKind::InvalidInput);
        let made = session.create("Sam Okafor", "a long enough passphrase".into()).unwrap();
        assert!(made.unlocked && made.initialised);
        assert_eq!(made.practitioner.as_deref(), Some("Sam Okafor"));
        assert!(!session.lock().unlocked);
        assert_eq!(session.store().unwrap_err().kind, ErrorKind::Locked);
        let wrong = session.unlock("not the passphrase".into()).unwrap_err();
        assert_eq!(wrong.kind, ErrorKind::WrongPassphrase);
        assert!(session.unlock("a long enough passphrase".into()).unwrap().unlocked);
    }
}
