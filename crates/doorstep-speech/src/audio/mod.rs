//! Audio in: any file a practitioner's phone or laptop might hold, decoded and brought to what
//! Whisper hears (16 kHz mono f32) as a stream, so a long recording never sits in memory whole.

mod decode;
mod resample;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::time::Duration;

pub use decode::{AudioStream, SourceInfo};
pub use resample::StreamResampler;

/// Whisper's sample rate; everything downstream of decoding is at this rate, mono.
pub const SAMPLE_RATE: u32 = 16_000;

/// Longer than any visit note; a file claiming more is a mistake or an attack on memory and time.
pub const MAX_DURATION: Duration = Duration::from_secs(4 * 60 * 60);

/// Milliseconds of audio in `samples` samples at [`SAMPLE_RATE`].
pub fn samples_to_ms(samples: usize) -> u64 {
    samples as u64 * 1000 / u64::from(SAMPLE_RATE)
}

/// Samples at [`SAMPLE_RATE`] in `ms` milliseconds.
pub fn ms_to_samples(ms: u64) -> usize {
    usize::try_from(ms * u64::from(SAMPLE_RATE) / 1000).unwrap_or(usize::MAX)
}

#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    #[error("cannot read {path}: {source}")]
    Open { path: PathBuf, source: std::io::Error },
    #[error("{path} is empty")]
    EmptyFile { path: PathBuf },
    #[error("{path} holds no audio: it decodes to zero samples")]
    NoSamples { path: PathBuf },
    #[error(
        "{path} is not a supported audio file ({detail}); use WAV, FLAC, OGG/Vorbis, MP3 or M4A/AAC"
    )]
    Unsupported { path: PathBuf, detail: String },
    #[error("{path} has no audio track")]
    NoAudioTrack { path: PathBuf },
    #[error("{path} is corrupt after {decoded_ms} ms of audio: {detail}")]
    Corrupt { path: PathBuf, decoded_ms: u64, detail: String },
    #[error(
        "{path} is truncated: it stops after {decoded_ms} ms of the {expected_ms} ms its header promises"
    )]
    Truncated { path: PathBuf, decoded_ms: u64, expected_ms: u64 },
    #[error(
        "{path} is too long: {found_minutes} minutes, more than the {limit_minutes} minutes a note may be"
    )]
    TooLong { path: PathBuf, found_minutes: u64, limit_minutes: u64 },
    #[error("{path} has an impossible format: {detail}")]
    BadFormat { path: PathBuf, detail: String },
    #[error("resampling {from_hz} Hz audio failed: {detail}")]
    Resample { from_hz: u32, detail: String },
}

/// Decodes the whole of `path` to 16 kHz mono. For long files prefer [`AudioStream`].
pub fn load(path: &Path) -> Result<Vec<f32>, AudioError> {
    let mut stream = AudioStream::open(path)?;
    let mut samples = Vec::new();
    while let Some(chunk) = stream.next_chunk()? {
        samples.extend_from_slice(&chunk);
    }
    Ok(samples)
}
