//! Recording in the app: the microphone is captured natively (cpal, through doorstep-speech),
//! not in the webview, on a thread of its own that owns the audio stream, so the UI and the
//! session stay free while the practitioner talks. Levels stream out about ten times a second;
//! pause, resume and stop go in through a channel. The recording's row is written before capture
//! starts, so a killed app's audio is recovered on the next start.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

use doorstep_core::ids::RecordingId;
use doorstep_core::store::RECORDINGS_DIR;
use doorstep_speech::audio::SAMPLE_RATE;
use doorstep_speech::record::{
    CaptureFormat, Finished, Level, RecordOptions, Recording, SILENCE_DBFS,
};
use serde::Serialize;

use crate::error::{AppError, ErrorKind};
use crate::session::Session;

/// The longest recording kept: past this it stops by itself (a forgotten recorder in a pocket).
const MAX_DURATION: Duration = Duration::from_secs(3 * 60 * 60);
const POLL: Duration = Duration::from_millis(100);

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", tag = "event", content = "data")]
pub enum RecordEvent {
    /// `rms` and `peak` from 0 (silence, -100 dBFS) to 1 (full scale).
    #[serde(rename_all = "camelCase")]
    Level {
        rms: f32,
        peak: f32,
        elapsed_ms: u64,
    },
    Paused,
    Resumed,
    #[serde(rename_all = "camelCase")]
    Stopped {
        recording_id: String,
        audio_ms: u64,
    },
    Error(AppError),
}

fn unit(dbfs: f32) -> f32 {
    ((dbfs - SILENCE_DBFS) / -SILENCE_DBFS).clamp(0.0, 1.0)
}

enum Control {
    Pause,
    Resume,
    Stop,
}

/// A recording in progress.
#[derive(Debug)]
pub struct ActiveRecording {
    id: RecordingId,
    control: Sender<Control>,
    thread: Option<JoinHandle<Result<Finished, AppError>>>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Started {
    pub recording_id: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Stopped {
    pub recording_id: String,
    pub audio_ms: u64,
}

/// Starts recording from the default input; `on_event` hears levels and state changes.
pub fn start(
    session: &mut Session,
    on_event: impl Fn(RecordEvent) + Send + 'static,
) -> Result<ActiveRecording, AppError> {
    let unlocked = session.unlocked()?;
    let files = unlocked.files_dir().to_owned();
    let key = unlocked.file_key();
    std::fs::create_dir_all(files.join(RECORDINGS_DIR))?;
    let row = unlocked.store.start_recording(SAMPLE_RATE)?;
    let path = row.path(&files);
    let (control, commands) = mpsc::channel();
    let (ready, started) = mpsc::channel();
    let thread = std::thread::Builder::new().name("doorstep-recorder".into()).spawn(move || {
        let (levels, readings) = mpsc::channel();
        let options = RecordOptions::default().format(CaptureFormat::Whisper).on_level(
            move |level: Level| {
                let _ = levels.send(level);
            },
        );
        let capture = match Recording::start(&path, &key, options) {
            Ok(capture) => {
                let _ = ready.send(Ok(()));
                capture
            }
            Err(e) => {
                let error = AppError::from(e);
                let _ = ready.send(Err(error.clone()));
                return Err(error);
            }
        };
        run(&capture, &commands, &readings, &on_event);
        capture.finish().map_err(AppError::from)
    })?;
    match started.recv() {
        Ok(Ok(())) => Ok(ActiveRecording { id: row.id, control, thread: Some(thread) }),
        Ok(Err(e)) => {
            let _ = thread.join();
            session.store()?.discard_recording(row.id)?;
            Err(microphone_error(&e))
        }
        Err(_) => {
            session.store()?.discard_recording(row.id)?;
            Err(AppError::new(ErrorKind::AudioDevice, "The recorder stopped before it started."))
        }
    }
}

fn microphone_error(e: &AppError) -> AppError {
    AppError::new(
        ErrorKind::AudioDevice,
        format!(
            "{} Check that Doorstep may use the microphone and that one is connected.",
            e.message
        ),
    )
}

/// The recorder thread's loop: levels out, commands in, until stopped, interrupted or too long.
fn run(
    capture: &Recording,
    commands: &Receiver<Control>,
    readings: &Receiver<Level>,
    on_event: &impl Fn(RecordEvent),
) {
    loop {
        match commands.try_recv() {
            Ok(Control::Pause) => {
                capture.pause();
                on_event(RecordEvent::Paused);
            }
            Ok(Control::Resume) => {
                capture.resume();
                on_event(RecordEvent::Resumed);
            }
            Ok(Control::Stop) | Err(mpsc::TryRecvError::Disconnected) => return,
            Err(mpsc::TryRecvError::Empty) => {}
        }
        if capture.is_interrupted() || capture.recorded() >= MAX_DURATION {
            return;
        }
        match readings.recv_timeout(POLL) {
            Ok(level) => on_event(RecordEvent::Level {
                rms: unit(level.rms_dbfs),
                peak: unit(level.peak_dbfs),
                elapsed_ms: u64::try_from(capture.recorded().as_millis()).unwrap_or(u64::MAX),
            }),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => std::thread::sleep(POLL),
        }
    }
}

impl ActiveRecording {
    pub fn started(&self) -> Started {
        Started { recording_id: self.id.to_string() }
    }

    pub fn pause(&self) {
        let _ = self.control.send(Control::Pause);
    }

    pub fn resume(&self) {
        let _ = self.control.send(Control::Resume);
    }

    /// Stops and seals the recording and marks its row finished. If sealing fails the row stays
    /// `recording`, and what was written is recovered on the next start.
    pub fn stop(mut self, session: &mut Session) -> Result<Stopped, AppError> {
        let _ = self.control.send(Control::Stop);
        let finished = self
            .thread
            .take()
            .ok_or_else(|| {
                AppError::new(ErrorKind::Internal, "The recording was already stopped.")
            })?
            .join()
            .map_err(|_| {
                AppError::new(
                    ErrorKind::AudioDevice,
                    "The recorder crashed; the audio will be recovered at the next unlock.",
                )
            })??;
        let audio_ms = u64::try_from(finished.duration().as_millis()).unwrap_or(u64::MAX);
        session.store()?.finish_recording(self.id, audio_ms)?;
        Ok(Stopped { recording_id: self.id.to_string(), audio_ms })
    }
}
