//! Transcription with Whisper (whisper.cpp through whisper-rs): windows of speech cut by
//! voice-activity detection, each decoded with the case's vocabulary prompt and no context
//! carried over, checkpointed as they finish so a killed job resumes where it was.

mod cleanup;
pub mod engine;
pub mod job;
mod live;
pub mod prompt;
mod sector;
mod stored;
pub mod vad;
pub mod windows;
mod words;

use serde::{Deserialize, Serialize};

pub use engine::{DecodeOptions, Engine, ModelInfo};
pub use job::{Checkpoint, CheckpointError, Job, NoCheckpoint, Progress, ProgressFn, WindowResult};
pub use live::{LiveFeed, LiveTranscriber};
pub use prompt::{MAX_PROMPT_TOKENS, MAX_TERMS_TOKENS, SECTOR_TERMS, Vocabulary};
pub use stored::StoreCheckpoint;

/// A word, how sure Whisper was of it (mean probability of its tokens), and when it was said
/// (from Whisper's token timestamps: good to a few hundred milliseconds).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Word {
    pub text: String,
    pub confidence: f32,
    #[serde(default)]
    pub start_ms: u64,
    #[serde(default)]
    pub end_ms: u64,
}

/// A stretch of transcript with its place in the recording.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    pub start_ms: u64,
    pub end_ms: u64,
    pub text: String,
    /// Mean probability of the segment's tokens, 0 to 1.
    pub confidence: f32,
    #[serde(default)]
    pub words: Vec<Word>,
}

/// A finished transcription.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transcript {
    pub text: String,
    pub segments: Vec<Segment>,
    pub model: String,
    pub audio_ms: u64,
    /// Windows transcribed in this run, and windows taken from an earlier, interrupted run.
    pub windows: usize,
    pub resumed_windows: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum TranscribeError {
    #[error("cannot read the model {path}: {source}")]
    ModelUnreadable { path: std::path::PathBuf, source: std::io::Error },
    #[error("{path} is not a Whisper model in whisper.cpp's ggml format")]
    NotAModel { path: std::path::PathBuf },
    #[error(
        "the model {path} could not be loaded ({detail}); it may be damaged: check it with `doorstep models verify`"
    )]
    ModelLoad { path: std::path::PathBuf, detail: String },
    #[error(transparent)]
    Audio(#[from] crate::audio::AudioError),
    #[error("whisper failed: {0}")]
    Whisper(whisper_rs::WhisperError),
    #[error("the transcription was cancelled")]
    Cancelled,
    #[error("the transcription worker crashed")]
    WorkerPanicked,
    #[error("the checkpoint store failed: {0}")]
    Checkpoint(#[source] CheckpointError),
}
