//! The level meter: peak and RMS of the last few tens of milliseconds in dBFS, so the
//! practitioner can see the phone is hearing them before they talk for ten minutes.

use serde::Serialize;

/// What silence (and anything quieter) reads as; digital zero has no finite dBFS.
pub const SILENCE_DBFS: f32 = -100.0;

/// One reading of the meter. 0 dBFS is full scale; a full-scale sine has an RMS of -3 dBFS.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Level {
    pub peak_dbfs: f32,
    pub rms_dbfs: f32,
}

impl Level {
    /// The level of `samples` taken as one window.
    pub fn of(samples: &[f32]) -> Self {
        let mut meter = Window::default();
        meter.add(samples);
        meter.level()
    }
}

fn dbfs(amplitude: f64) -> f32 {
    if amplitude <= 0.0 || !amplitude.is_finite() {
        return SILENCE_DBFS;
    }
    ((20.0 * amplitude.log10()) as f32).max(SILENCE_DBFS)
}

#[derive(Debug, Default)]
struct Window {
    count: usize,
    peak: f32,
    sum_squares: f64,
}

impl Window {
    fn add(&mut self, samples: &[f32]) {
        for &s in samples {
            self.peak = self.peak.max(s.abs());
            self.sum_squares += f64::from(s) * f64::from(s);
        }
        self.count += samples.len();
    }

    fn level(&self) -> Level {
        let rms = if self.count == 0 { 0.0 } else { (self.sum_squares / self.count as f64).sqrt() };
        Level { peak_dbfs: dbfs(f64::from(self.peak)), rms_dbfs: dbfs(rms) }
    }
}

/// Reports a [`Level`] for every `window` samples pushed through it, however they are chunked.
#[derive(Debug)]
pub(crate) struct LevelMeter {
    window: usize,
    current: Window,
}

impl LevelMeter {
    pub(crate) fn new(window: usize) -> Self {
        Self { window: window.max(1), current: Window::default() }
    }

    pub(crate) fn push(&mut self, mut samples: &[f32], report: &mut dyn FnMut(Level)) {
        while !samples.is_empty() {
            let take = (self.window - self.current.count).min(samples.len());
            self.current.add(&samples[..take]);
            samples = &samples[take..];
            if self.current.count == self.window {
                report(self.current.level());
                self.current = Window::default();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sine(amplitude: f32, n: usize) -> Vec<f32> {
        (0..n).map(|i| amplitude * (i as f32 * 2.0 * std::f32::consts::PI / 40.0).sin()).collect()
    }

    #[test]
    fn levels_are_in_dbfs() {
        let full = Level::of(&sine(1.0, 1600));
        assert!(full.peak_dbfs.abs() < 0.01, "{full:?}");
        assert!((full.rms_dbfs + 3.01).abs() < 0.05, "{full:?}");
        let half = Level::of(&sine(0.5, 1600));
        assert!((half.peak_dbfs + 6.02).abs() < 0.01, "{half:?}");
        assert!((half.rms_dbfs + 9.03).abs() < 0.05, "{half:?}");
        let square = Level::of(&[0.25, -0.25, 0.25, -0.25]);
        assert!((square.peak_dbfs - square.rms_dbfs).abs() < 1e-4);
        let silence = Level::of(&[0.0; 100]);
        assert_eq!(silence, Level { peak_dbfs: SILENCE_DBFS, rms_dbfs: SILENCE_DBFS });
        assert_eq!(Level::of(&[]).rms_dbfs, SILENCE_DBFS);
        assert_eq!(Level::of(&[1e-9]).peak_dbfs, SILENCE_DBFS, "floored");
    }

    #[test]
    fn the_meter_reports_once_per_window_whatever_the_chunking() {
        let mut meter = LevelMeter::new(100);
        let mut readings = Vec::new();
        let loud = sine(0.5, 250);
        for chunk in loud.chunks(33) {
            meter.push(chunk, &mut |level| readings.push(level));
        }
        assert_eq!(readings.len(), 2, "250 samples make two full windows of 100");
        for level in &readings {
            assert!(level.peak_dbfs > -6.1 && level.rms_dbfs < level.peak_dbfs, "{level:?}");
        }
        meter.push(&[0.0; 50], &mut |level| readings.push(level));
        assert_eq!(readings.len(), 3, "the held 50 samples and 50 more fill a window");
    }
}
