//! Recording a voice note from the microphone, in the car after a visit, without losing it.
//!
//! Audio is captured with cpal at 16 kHz mono (or in the device's own format, then down-mixed and
//! resampled), handed by the audio callback to a writer thread, and sealed to disk as it comes:
//! one encrypted frame of s16le samples about every second, each pushed to the disk, so a killed
//! app loses at most the last second. The writer also drives the level meter and hands the kept
//! samples to whoever transcribes while recording.
//!
//! The file format is doorstep-core's sealed file; this module knows nothing of the store or of
//! Tauri.

mod capture;
mod error;
mod file;
mod level;
mod pcm;
mod pipeline;
mod recorder;
mod writer;

use std::time::Duration;

pub use capture::{CaptureFormat, DeviceFormat};
pub use error::RecordError;
pub use file::{read_recording, recover_recording, seal_recovered};
pub use level::{Level, SILENCE_DBFS};
pub use recorder::{AudioCallback, Finished, LevelCallback, RecordOptions, Recording};
pub use writer::RecordingWriter;

use crate::audio::SAMPLE_RATE;

/// Samples in one sealed frame: a second of audio, the most a crash can lose.
pub const FRAME_SAMPLES: usize = SAMPLE_RATE as usize;

/// The level meter reports once per this many kept samples (80 ms).
pub const LEVEL_INTERVAL_SAMPLES: usize = SAMPLE_RATE as usize * 80 / 1000;

/// How long `samples` samples at 16 kHz last.
pub fn samples_duration(samples: u64) -> Duration {
    Duration::from_micros(samples * 1_000_000 / u64::from(SAMPLE_RATE))
}
