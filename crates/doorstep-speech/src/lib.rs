//! Doorstep's on-device speech: Whisper models in whisper.cpp's format, and (as the speech work
//! lands) audio decoding, recording and transcription.
//!
//! Knows nothing of Tauri or the store; the CLI and the app drive it.

pub mod convert;
