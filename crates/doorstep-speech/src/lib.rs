//! Doorstep's on-device speech: audio decoding and capture, Whisper models (converted, listed,
//! downloaded) and transcription.
//!
//! Knows nothing of Tauri: progress and levels are plain callbacks, cancellation an atomic flag.
//! The store is reached only through doorstep-core's sealed files and the checkpoint trait.

pub mod audio;
pub mod convert;
pub mod models;
pub mod record;
pub mod transcribe;
