//! What can go wrong while recording or reading a recording back, in words a practitioner (or
//! whoever supports them) can act on.

use std::path::PathBuf;

use doorstep_core::sealed::SealedFileError;

use crate::audio::AudioError;

#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error("no microphone or other input device was found")]
    NoInputDevice,
    #[error("cannot {action} the input device: {source}")]
    Device { action: &'static str, source: cpal::Error },
    #[error("the input device delivers {0} samples, which Doorstep cannot record")]
    UnsupportedFormat(cpal::SampleFormat),
    #[error("the input device reports an impossible format: {channels} channels at {rate} Hz")]
    BadFormat { channels: u16, rate: u32 },
    #[error(transparent)]
    Resample(#[from] AudioError),
    #[error(transparent)]
    Sealed(#[from] SealedFileError),
    #[error("cannot {action} {path}: {source}")]
    Io { action: &'static str, path: PathBuf, source: std::io::Error },
    #[error("{path} does not hold 16-bit audio (it has an odd number of bytes)")]
    NotAudio { path: PathBuf },
    #[error("{path} is being recorded by another Doorstep process")]
    InUse { path: PathBuf },
    #[error("the thread writing the recording stopped unexpectedly")]
    WriterGone,
}
