//! Voice-activity detection: which 20 ms frames hold speech. Whisper invents text ("Thank you.",
//! "Bye.") when fed silence or road noise, so only speech, with a little padding, reaches it.
//!
//! Energy against an adaptive noise floor: cheap enough for a phone while recording, and it
//! follows a car's engine noise up and down. Decisions depend only on the samples, never on how
//! they were chunked, so a resumed job sees the same windows as the first run.

use crate::audio::SAMPLE_RATE;

/// Samples per analysis frame (20 ms).
pub const FRAME: usize = SAMPLE_RATE as usize / 50;

/// Tunables, in decibels relative to full scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VadConfig {
    /// A frame is speech when this far above the noise floor...
    pub above_floor_db: f32,
    /// ...and above this absolute level (digital silence has a floor of minus infinity).
    pub min_level_db: f32,
    /// Where the floor estimate starts.
    pub initial_floor_db: f32,
    /// The share of the gap to a louder frame the floor closes per frame: it falls at once to
    /// a quieter frame but rises slowly (about ten seconds), so words don't become the floor.
    pub floor_rise: f32,
}

impl Default for VadConfig {
    fn default() -> Self {
        Self {
            above_floor_db: 10.0,
            min_level_db: -50.0,
            initial_floor_db: -60.0,
            floor_rise: 0.002,
        }
    }
}

/// The level of one frame in dBFS, floored at -100.
pub fn frame_db(frame: &[f32]) -> f32 {
    let energy = frame.iter().map(|s| s * s).sum::<f32>() / frame.len().max(1) as f32;
    (10.0 * energy.max(1e-10).log10()).max(-100.0)
}

/// Classifies frames one at a time, tracking the noise floor.
#[derive(Debug, Clone)]
pub struct VoiceDetector {
    config: VadConfig,
    floor_db: f32,
}

impl VoiceDetector {
    pub fn new(config: VadConfig) -> Self {
        Self { config, floor_db: config.initial_floor_db }
    }

    /// Whether a frame at `level_db` is speech; updates the floor.
    pub fn is_speech(&mut self, level_db: f32) -> bool {
        if level_db < self.floor_db {
            self.floor_db = level_db;
        } else {
            self.floor_db += (level_db - self.floor_db) * self.config.floor_rise;
        }
        level_db > self.config.min_level_db && level_db > self.floor_db + self.config.above_floor_db
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speech_stands_out_from_silence_and_from_steady_noise() {
        let mut vad = VoiceDetector::new(VadConfig::default());
        // Digital silence, then speech-level frames.
        for _ in 0..50 {
            assert!(!vad.is_speech(-100.0));
        }
        assert!(vad.is_speech(-25.0));
        // Engine noise at -40 dB for ten seconds becomes the floor: it is not speech...
        let mut vad = VoiceDetector::new(VadConfig::default());
        let noisy: Vec<bool> = (0..1000).map(|i| vad.is_speech(-40.0 + (i % 3) as f32)).collect();
        assert!(noisy.iter().skip(500).all(|s| !s), "steady noise counted as speech");
        // ...but a voice over it is.
        assert!(vad.is_speech(-22.0));
    }

    #[test]
    fn levels_are_in_dbfs() {
        assert!((frame_db(&[1.0; FRAME]) - 0.0).abs() < 1e-3);
        assert!((frame_db(&[0.1; FRAME]) + 20.0).abs() < 1e-3);
        assert_eq!(frame_db(&[0.0; FRAME]), -100.0);
    }
}
