//! What the writer thread does with each chunk the device delivers: down-mix, resample to 16 kHz,
//! meter, hand to the live listener, and seal a frame to disk each time a second has gathered.
//!
//! Pure apart from the [`FrameSink`], so every step is tested without a device or a disk.

use doorstep_core::sealed::SealedWriter;

use super::level::LevelMeter;
use super::pcm::{downmix, to_s16le};
use super::recorder::{AudioCallback, LevelCallback};
use super::{FRAME_SAMPLES, LEVEL_INTERVAL_SAMPLES, RecordError};
use crate::audio::StreamResampler;

/// Where finished frames of s16le bytes go.
pub(crate) trait FrameSink {
    fn append(&mut self, s16le: &[u8]) -> Result<(), RecordError>;
}

impl FrameSink for SealedWriter {
    fn append(&mut self, s16le: &[u8]) -> Result<(), RecordError> {
        Ok(SealedWriter::append(self, s16le)?)
    }
}

pub(crate) struct Pipeline<S> {
    channels: usize,
    resampler: StreamResampler,
    meter: LevelMeter,
    on_level: Option<LevelCallback>,
    on_audio: Option<AudioCallback>,
    mono: Vec<f32>,
    resampled: Vec<f32>,
    /// Kept 16 kHz samples not yet sealed.
    pending: Vec<f32>,
    bytes: Vec<u8>,
    sink: S,
    kept: u64,
}

impl<S> std::fmt::Debug for Pipeline<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipeline")
            .field("channels", &self.channels)
            .field("kept", &self.kept)
            .field("pending", &self.pending.len())
            .finish_non_exhaustive()
    }
}

impl<S: FrameSink> Pipeline<S> {
    pub(crate) fn new(
        channels: u16,
        sample_rate: u32,
        sink: S,
        on_level: Option<LevelCallback>,
        on_audio: Option<AudioCallback>,
    ) -> Result<Self, RecordError> {
        if channels == 0 || sample_rate == 0 {
            return Err(RecordError::BadFormat { channels, rate: sample_rate });
        }
        Ok(Self {
            channels: usize::from(channels),
            resampler: StreamResampler::new(sample_rate)?,
            meter: LevelMeter::new(LEVEL_INTERVAL_SAMPLES),
            on_level,
            on_audio,
            mono: Vec::new(),
            resampled: Vec::new(),
            pending: Vec::with_capacity(FRAME_SAMPLES),
            bytes: Vec::with_capacity(FRAME_SAMPLES * 2),
            sink,
            kept: 0,
        })
    }

    /// 16 kHz samples kept so far, sealed or pending.
    pub(crate) fn kept(&self) -> u64 {
        self.kept
    }

    /// Takes one chunk of interleaved samples at the device's rate.
    pub(crate) fn push(&mut self, interleaved: &[f32]) -> Result<(), RecordError> {
        self.mono.clear();
        downmix(interleaved, self.channels, &mut self.mono);
        self.resampled.clear();
        self.resampler.push(&self.mono, &mut self.resampled)?;
        self.keep()
    }

    fn keep(&mut self) -> Result<(), RecordError> {
        let samples = std::mem::take(&mut self.resampled);
        if let Some(report) = self.on_level.as_mut() {
            self.meter.push(&samples, report);
        }
        if let Some(listener) = self.on_audio.as_mut()
            && !samples.is_empty()
        {
            listener(&samples);
        }
        self.kept += samples.len() as u64;
        let mut rest = samples.as_slice();
        while !rest.is_empty() {
            let take = (FRAME_SAMPLES - self.pending.len()).min(rest.len());
            self.pending.extend_from_slice(&rest[..take]);
            rest = &rest[take..];
            if self.pending.len() == FRAME_SAMPLES {
                self.seal_pending()?;
            }
        }
        self.resampled = samples;
        Ok(())
    }

    /// Seals whatever is pending as a (possibly short) frame, e.g. when recording pauses, so
    /// everything said before the pause is on disk.
    pub(crate) fn seal_pending(&mut self) -> Result<(), RecordError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        self.bytes.clear();
        to_s16le(&self.pending, &mut self.bytes);
        self.sink.append(&self.bytes)?;
        self.pending.clear();
        Ok(())
    }

    /// Flushes the resampler and the last partial frame; returns the sink and the samples kept.
    pub(crate) fn finish(mut self) -> Result<(S, u64), RecordError> {
        self.resampled.clear();
        self.resampler.finish(&mut self.resampled)?;
        self.keep()?;
        self.seal_pending()?;
        Ok((self.sink, self.kept))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::record::Level;
    use crate::record::pcm::from_s16le;

    #[derive(Default)]
    struct Frames(Vec<Vec<u8>>);

    impl FrameSink for Frames {
        fn append(&mut self, s16le: &[u8]) -> Result<(), RecordError> {
            self.0.push(s16le.to_vec());
            Ok(())
        }
    }

    fn tone(rate: u32, seconds: f32, channels: usize) -> Vec<f32> {
        let n = (rate as f32 * seconds) as usize;
        (0..n)
            .flat_map(|i| {
                let v = 0.5 * (i as f32 * 440.0 * 2.0 * std::f32::consts::PI / rate as f32).sin();
                std::iter::repeat_n(v, channels)
            })
            .collect()
    }

    #[test]
    fn frames_are_one_second_and_the_tail_is_kept() {
        let mut pipeline = Pipeline::new(1, 16_000, Frames::default(), None, None).unwrap();
        let audio = tone(16_000, 2.5, 1);
        for chunk in audio.chunks(441) {
            pipeline.push(chunk).unwrap();
        }
        assert_eq!(pipeline.sink.0.len(), 2, "two whole seconds sealed while recording");
        assert!(pipeline.sink.0.iter().all(|f| f.len() == FRAME_SAMPLES * 2));
        let (frames, kept) = pipeline.finish().unwrap();
        assert_eq!(kept, 40_000);
        assert_eq!(frames.0.len(), 3);
        assert_eq!(frames.0[2].len(), 8_000 * 2, "the last half second");
        let back: Vec<f32> = frames.0.iter().flat_map(|f| from_s16le(f).unwrap()).collect();
        assert_eq!(back.len(), audio.len());
        assert!(back.iter().zip(&audio).all(|(a, b)| (a - b).abs() < 1e-4));
    }

    #[test]
    fn pausing_seals_what_was_said_before_it() {
        let mut pipeline = Pipeline::new(1, 16_000, Frames::default(), None, None).unwrap();
        pipeline.push(&tone(16_000, 0.3, 1)).unwrap();
        assert!(pipeline.sink.0.is_empty());
        pipeline.seal_pending().unwrap();
        assert_eq!(pipeline.sink.0.len(), 1);
        assert_eq!(pipeline.sink.0[0].len(), 4_800 * 2);
        pipeline.seal_pending().unwrap();
        assert_eq!(pipeline.sink.0.len(), 1, "nothing pending, no empty frame");
    }

    #[test]
    fn stereo_48k_becomes_16k_mono_for_the_listener_the_meter_and_the_file() {
        let heard = Arc::new(Mutex::new(Vec::<f32>::new()));
        let levels = Arc::new(Mutex::new(Vec::<Level>::new()));
        let (h, l) = (Arc::clone(&heard), Arc::clone(&levels));
        let mut pipeline = Pipeline::new(
            2,
            48_000,
            Frames::default(),
            Some(Box::new(move |level| l.lock().unwrap().push(level))),
            Some(Box::new(move |samples: &[f32]| h.lock().unwrap().extend_from_slice(samples))),
        )
        .unwrap();
        for chunk in tone(48_000, 1.5, 2).chunks(960) {
            pipeline.push(chunk).unwrap();
        }
        let (frames, kept) = pipeline.finish().unwrap();
        assert_eq!(kept, 24_000, "1.5 s at 16 kHz");
        let heard = heard.lock().unwrap();
        assert_eq!(heard.len(), 24_000, "the listener hears every kept sample");
        let sealed: Vec<f32> = frames.0.iter().flat_map(|f| from_s16le(f).unwrap()).collect();
        assert_eq!(sealed.len(), 24_000);
        // A 440 Hz tone crosses zero 880 times a second, at any sample rate.
        let crossings = heard[1600..22_400].windows(2).filter(|w| (w[0] < 0.0) != (w[1] < 0.0));
        let per_second = crossings.count() as f32 / 1.3;
        assert!((per_second - 880.0).abs() < 10.0, "{per_second} crossings a second");
        let levels = levels.lock().unwrap();
        assert_eq!(levels.len(), 24_000 / LEVEL_INTERVAL_SAMPLES);
        let steady = &levels[2..levels.len() - 2];
        assert!(steady.iter().all(|l| (l.peak_dbfs + 6.0).abs() < 0.5), "{steady:?}");
    }
}
