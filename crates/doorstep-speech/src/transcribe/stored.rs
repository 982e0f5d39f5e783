//! Checkpoints kept in the encrypted store, so a job killed part way (the app swiped away, the
//! phone out of battery) resumes at the window it was on.

use doorstep_core::ids::TranscriptionJobId;
use doorstep_core::store::{SavedWindow, Store};

use super::job::{Checkpoint, CheckpointError, WindowResult};

/// The store's record of one job.
#[derive(Debug)]
pub struct StoreCheckpoint<'s> {
    store: &'s mut Store,
    job: TranscriptionJobId,
    saved: Vec<SavedWindow>,
}

impl<'s> StoreCheckpoint<'s> {
    /// Finds the job for this audio and these settings (see
    /// [`super::job::settings_fingerprint`]), or starts one.
    pub fn open(
        store: &'s mut Store,
        audio_hash: &[u8; 32],
        settings: &str,
        audio_ms: u64,
    ) -> Result<Self, doorstep_core::Error> {
        let found = store.open_transcription(audio_hash, settings, audio_ms)?;
        Ok(Self { store, job: found.job, saved: found.windows })
    }

    pub fn job(&self) -> TranscriptionJobId {
        self.job
    }
}

impl Checkpoint for StoreCheckpoint<'_> {
    fn load(&mut self) -> Result<Vec<WindowResult>, CheckpointError> {
        let mut windows = Vec::with_capacity(self.saved.len());
        for saved in std::mem::take(&mut self.saved) {
            windows.push(WindowResult {
                index: usize::try_from(saved.index)?,
                start_ms: saved.start_ms,
                end_ms: saved.end_ms,
                segments: serde_json::from_str(&saved.segments)?,
            });
        }
        Ok(windows)
    }

    fn save(&mut self, window: &WindowResult) -> Result<(), CheckpointError> {
        let saved = SavedWindow {
            index: u32::try_from(window.index)?,
            start_ms: window.start_ms,
            end_ms: window.end_ms,
            segments: serde_json::to_string(&window.segments)?,
        };
        Ok(self.store.save_transcription_window(self.job, &saved)?)
    }
}
