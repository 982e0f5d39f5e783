//! The managed state: the session behind one lock and the recording in progress behind another,
//! so levels and stop reach the recorder while the session is busy. Work runs on Tauri's
//! blocking pool, never on the async runtime's threads.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use doorstep_app::capture::ActiveRecording;
use doorstep_app::{AppError, ErrorKind, Session};

#[derive(Debug, Clone)]
pub struct Shared {
    session: Arc<Mutex<Session>>,
    recording: Arc<Mutex<Option<ActiveRecording>>>,
}

fn poisoned() -> AppError {
    AppError::new(
        ErrorKind::Internal,
        "An earlier task failed part-way; close and reopen Doorstep (nothing stored is lost).",
    )
}

impl Shared {
    pub fn new(data_dir: PathBuf, models_dir: PathBuf) -> Self {
        Self {
            session: Arc::new(Mutex::new(Session::new(data_dir, models_dir))),
            recording: Arc::new(Mutex::new(None)),
        }
    }

    /// Runs `work` on the session, off the async runtime.
    pub async fn run<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Session) -> Result<T, AppError> + Send + 'static,
    {
        let session = Arc::clone(&self.session);
        tauri::async_runtime::spawn_blocking(move || {
            let mut session = session.lock().map_err(|_| poisoned())?;
            work(&mut session)
        })
        .await
        .map_err(|_| poisoned())?
    }

    /// Runs `work` on the session and the recording slot, off the async runtime.
    pub async fn with_recording<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Session, &mut Option<ActiveRecording>) -> Result<T, AppError>
            + Send
            + 'static,
    {
        let recording = Arc::clone(&self.recording);
        self.run(move |session| {
            let mut slot = recording.lock().map_err(|_| poisoned())?;
            work(session, &mut slot)
        })
        .await
    }

    /// The recording in progress, without waiting for the session.
    pub fn recording(&self) -> Result<MutexGuard<'_, Option<ActiveRecording>>, AppError> {
        self.recording.lock().map_err(|_| poisoned())
    }
}
