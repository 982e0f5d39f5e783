//! Sealing 16 kHz audio that comes from somewhere other than the microphone (an imported
//! file), in the same one-second frames as a live recording, so every recording reads alike.

use std::path::{Path, PathBuf};

use doorstep_core::keys::SecretKey;
use doorstep_core::sealed::SealedWriter;

use super::RecordError;
use super::pipeline::Pipeline;
use crate::audio::SAMPLE_RATE;

/// Writes a sealed recording from 16 kHz mono samples.
#[derive(Debug)]
pub struct RecordingWriter {
    pipeline: Pipeline<SealedWriter>,
}

impl RecordingWriter {
    /// Creates `path`, which must not exist.
    pub fn create(path: &Path, key: &SecretKey) -> Result<Self, RecordError> {
        let sealed = SealedWriter::create(path, key)?;
        Ok(Self { pipeline: Pipeline::new(1, SAMPLE_RATE, sealed, None, None)? })
    }

    pub fn push(&mut self, samples: &[f32]) -> Result<(), RecordError> {
        self.pipeline.push(samples)
    }

    /// Seals the tail and the end marker; returns the file and the samples it holds.
    pub fn finish(self) -> Result<(PathBuf, u64), RecordError> {
        let (sealed, samples) = self.pipeline.finish()?;
        Ok((sealed.finish()?, samples))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::read_recording;

    #[test]
    fn written_audio_reads_back_as_it_went_in() {
        let dir = tempfile::tempdir().unwrap();
        let key = doorstep_core::keys::DataKey::generate().unwrap().file_key();
        let path = dir.path().join("r.dsr");
        let audio: Vec<f32> = (0..40_000).map(|i| ((i as f32) * 0.01).sin() * 0.5).collect();
        let mut writer = RecordingWriter::create(&path, &key).unwrap();
        for chunk in audio.chunks(3_333) {
            writer.push(chunk).unwrap();
        }
        assert_eq!(writer.finish().unwrap().1, 40_000);
        let back = read_recording(&path, &key).unwrap();
        assert_eq!(back.len(), audio.len());
        assert!(back.iter().zip(&audio).all(|(a, b)| (a - b).abs() < 1e-4));
    }
}
