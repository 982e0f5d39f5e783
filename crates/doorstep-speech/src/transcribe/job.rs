//! A transcription job: audio pushed in as it is decoded or captured, windows transcribed as
//! they complete, each saved through a [`Checkpoint`] before the next starts.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use serde::{Deserialize, Serialize};
use whisper_rs::WhisperState;

use super::cleanup::same_words;
use super::windows::{Window, WindowConfig, Windower};
use super::{DecodeOptions, Engine, Segment, TranscribeError, Transcript};
use crate::audio::{AudioStream, samples_to_ms};

/// Whatever keeps a checkpoint store's error.
pub type CheckpointError = Box<dyn std::error::Error + Send + Sync>;

/// One transcribed window, as checkpointed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WindowResult {
    pub index: usize,
    pub start_ms: u64,
    pub end_ms: u64,
    pub segments: Vec<Segment>,
}

/// Where finished windows are kept while a job runs.
pub trait Checkpoint {
    /// Windows an earlier run of the same job finished.
    fn load(&mut self) -> Result<Vec<WindowResult>, CheckpointError>;
    /// Keeps a finished window; must be durable when it returns.
    fn save(&mut self, window: &WindowResult) -> Result<(), CheckpointError>;
}

/// For jobs that need no resuming (a short file transcribed at the command line).
#[derive(Debug, Default)]
pub struct NoCheckpoint;

impl Checkpoint for NoCheckpoint {
    fn load(&mut self) -> Result<Vec<WindowResult>, CheckpointError> {
        Ok(Vec::new())
    }
    fn save(&mut self, _: &WindowResult) -> Result<(), CheckpointError> {
        Ok(())
    }
}

/// Where a job has got to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    /// 0 to 100; `None` while the length of the audio is unknown (live recording).
    pub percent: Option<f32>,
    /// Audio transcribed so far.
    pub done_ms: u64,
    pub windows_done: usize,
}

pub type ProgressFn = Arc<dyn Fn(Progress) + Send + Sync>;

/// The settings that must match for a checkpoint to be reused: the model, the decoding and
/// the windowing. A job resumed with different ones starts again.
pub fn settings_fingerprint(engine: &Engine, options: &DecodeOptions) -> String {
    let info = engine.info();
    serde_json::json!({
        "model": info.name,
        "model_bytes": info.bytes,
        "beam": options.beam,
        "language": options.language,
        "prompt": options.prompt,
        "windows": 1,
    })
    .to_string()
}

/// A transcription under way, checkpointing into something that lives at least `'c`.
pub struct Job<'c> {
    engine: Arc<Engine>,
    state: WhisperState,
    options: DecodeOptions,
    windower: Windower,
    done: BTreeMap<usize, WindowResult>,
    checkpoint: Box<dyn Checkpoint + Send + 'c>,
    cancel: Arc<AtomicBool>,
    progress: Option<ProgressFn>,
    expected_ms: Option<u64>,
    segments: Vec<Segment>,
    windows: usize,
    resumed_windows: usize,
    done_ms: u64,
}

impl std::fmt::Debug for Job<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job").field("windows", &self.windows).finish_non_exhaustive()
    }
}

impl<'c> Job<'c> {
    /// Starts (or resumes, if `checkpoint` holds finished windows) a job. `expected_ms`, when
    /// the length is known, turns progress into a percentage.
    pub fn new(
        engine: Arc<Engine>,
        options: DecodeOptions,
        checkpoint: Box<dyn Checkpoint + Send + 'c>,
        cancel: Arc<AtomicBool>,
        progress: Option<ProgressFn>,
        expected_ms: Option<u64>,
    ) -> Result<Self, TranscribeError> {
        let windows = WindowConfig::default();
        Self::with_windows(engine, options, windows, checkpoint, cancel, progress, expected_ms)
    }

    /// As [`Job::new`], cutting windows as `windows` says.
    pub fn with_windows(
        engine: Arc<Engine>,
        options: DecodeOptions,
        windows: WindowConfig,
        mut checkpoint: Box<dyn Checkpoint + Send + 'c>,
        cancel: Arc<AtomicBool>,
        progress: Option<ProgressFn>,
        expected_ms: Option<u64>,
    ) -> Result<Self, TranscribeError> {
        let done = checkpoint
            .load()
            .map_err(TranscribeError::Checkpoint)?
            .into_iter()
            .map(|w| (w.index, w))
            .collect();
        Ok(Self {
            state: engine.new_state()?,
            engine,
            options,
            windower: Windower::new(windows),
            done,
            checkpoint,
            cancel,
            progress,
            expected_ms,
            segments: Vec::new(),
            windows: 0,
            resumed_windows: 0,
            done_ms: 0,
        })
    }

    /// Feeds 16 kHz mono audio; any window it completes is transcribed before this returns.
    pub fn push(&mut self, samples: &[f32]) -> Result<(), TranscribeError> {
        self.windower.push(samples);
        self.drain()
    }

    /// Ends the audio, transcribes what is left and returns the whole transcript.
    pub fn finish(mut self) -> Result<Transcript, TranscribeError> {
        self.windower.finish();
        self.drain()?;
        let audio_ms = samples_to_ms(self.windower.samples_seen());
        // The last frame is padded with silence; no segment may end in the padding.
        for segment in &mut self.segments {
            segment.start_ms = segment.start_ms.min(audio_ms);
            segment.end_ms = segment.end_ms.min(audio_ms);
            for word in &mut segment.words {
                word.start_ms = word.start_ms.min(audio_ms);
                word.end_ms = word.end_ms.min(audio_ms);
            }
        }
        self.report(audio_ms);
        let text = self.segments.iter().map(|s| s.text.as_str()).collect::<Vec<_>>().join(" ");
        Ok(Transcript {
            text,
            segments: self.segments,
            model: self.engine.info().name.clone(),
            audio_ms,
            windows: self.windows,
            resumed_windows: self.resumed_windows,
        })
    }

    fn drain(&mut self) -> Result<(), TranscribeError> {
        while let Some(window) = self.windower.next_window() {
            let result = match self.done.remove(&window.index) {
                Some(saved) => {
                    self.resumed_windows += 1;
                    saved
                }
                None => {
                    let result = self.transcribe(&window)?;
                    self.checkpoint.save(&result).map_err(TranscribeError::Checkpoint)?;
                    self.windows += 1;
                    result
                }
            };
            self.done_ms = result.end_ms;
            self.report(result.end_ms);
            for segment in result.segments {
                if self.segments.last().is_some_and(|last| same_words(&last.text, &segment.text)) {
                    continue;
                }
                self.segments.push(segment);
            }
        }
        Ok(())
    }

    fn transcribe(&mut self, window: &Window) -> Result<WindowResult, TranscribeError> {
        let (start, end) = window.source_span();
        let (start_ms, end_ms) = (samples_to_ms(start), samples_to_ms(end));
        let on_progress: Box<dyn FnMut(i32)> = match (&self.progress, self.expected_ms) {
            (Some(progress), Some(expected)) if expected > 0 => {
                let progress = Arc::clone(progress);
                let windows_done = self.windows + self.resumed_windows;
                let done_ms = self.done_ms;
                Box::new(move |p: i32| {
                    let at = start_ms.max(done_ms) as f32
                        + (end_ms.saturating_sub(start_ms)) as f32 * p.clamp(0, 100) as f32 / 100.0;
                    progress(Progress {
                        percent: Some((100.0 * at / expected as f32).min(100.0)),
                        done_ms,
                        windows_done,
                    });
                })
            }
            _ => Box::new(|_| {}),
        };
        let segments = self.engine.transcribe_window(
            &mut self.state,
            window,
            &self.options,
            &self.cancel,
            on_progress,
        )?;
        Ok(WindowResult { index: window.index, start_ms, end_ms, segments })
    }

    fn report(&self, done_ms: u64) {
        if let Some(progress) = &self.progress {
            progress(Progress {
                percent: self
                    .expected_ms
                    .filter(|e| *e > 0)
                    .map(|e| (100.0 * done_ms as f32 / e as f32).min(100.0)),
                done_ms,
                windows_done: self.windows + self.resumed_windows,
            });
        }
    }
}

/// Transcribes a decoded file from start to end.
pub fn transcribe_stream(
    mut stream: AudioStream,
    mut job: Job<'_>,
) -> Result<Transcript, TranscribeError> {
    while let Some(chunk) = stream.next_chunk()? {
        job.push(&chunk)?;
    }
    job.finish()
}
