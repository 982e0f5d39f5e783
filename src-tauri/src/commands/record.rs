//! Record: native capture with levels streamed to the UI, then transcription (of the recording
//! or of an audio file) with its progress streamed too.

use std::path::PathBuf;

use doorstep_app::capture::{self, RecordEvent, Started, Stopped};
use doorstep_app::views::NoteDetail;
use doorstep_app::voice::{self, Audio, TranscribeEvent};
use doorstep_app::{AppError, ErrorKind};
use tauri::State;
use tauri::ipc::Channel;

use crate::Shared;

#[tauri::command]
pub async fn start_recording(
    state: State<'_, Shared>,
    subject: Option<String>,
    on_event: Channel<RecordEvent>,
) -> Result<Started, AppError> {
    let _ = subject;
    state
        .with_recording(move |session, slot| {
            if slot.is_some() {
                return Err(AppError::new(ErrorKind::Busy, "A recording is already going."));
            }
            let active = capture::start(session, move |event| {
                let _ = on_event.send(event);
            })?;
            let started = active.started();
            *slot = Some(active);
            Ok(started)
        })
        .await
}

fn not_recording() -> AppError {
    AppError::new(ErrorKind::InvalidInput, "Nothing is being recorded.")
}

// Tauri hands commands their state by value.
#[allow(clippy::needless_pass_by_value)]
#[tauri::command]
pub fn pause_recording(state: State<'_, Shared>) -> Result<(), AppError> {
    state.recording()?.as_ref().ok_or_else(not_recording)?.pause();
    Ok(())
}

// Tauri hands commands their state by value.
#[allow(clippy::needless_pass_by_value)]
#[tauri::command]
pub fn resume_recording(state: State<'_, Shared>) -> Result<(), AppError> {
    state.recording()?.as_ref().ok_or_else(not_recording)?.resume();
    Ok(())
}

#[tauri::command]
pub async fn stop_recording(state: State<'_, Shared>) -> Result<Stopped, AppError> {
    state.with_recording(|session, slot| slot.take().ok_or_else(not_recording)?.stop(session)).await
}

fn forward(channel: Channel<TranscribeEvent>) -> impl Fn(TranscribeEvent) + Send + Sync + 'static {
    move |event| {
        let _ = channel.send(event);
    }
}

#[tauri::command]
pub async fn transcribe_recording(
    state: State<'_, Shared>,
    recording_id: String,
    subject: String,
    on_event: Channel<TranscribeEvent>,
) -> Result<NoteDetail, AppError> {
    state
        .run(move |s| {
            voice::transcribe(s, Audio::Recording(&recording_id), &subject, forward(on_event))
        })
        .await
}

#[tauri::command]
pub async fn ingest_file(
    state: State<'_, Shared>,
    path: PathBuf,
    subject: String,
    on_event: Channel<TranscribeEvent>,
) -> Result<NoteDetail, AppError> {
    state.run(move |s| voice::transcribe(s, Audio::File(&path), &subject, forward(on_event))).await
}
