//! Cuts a stream of 16 kHz audio into the windows Whisper transcribes: speech only, each at
//! most one Whisper context (30 s) long, with long silences taken out.
//!
//! A window is a run of speech regions placed end to end; `pieces` maps each stretch of the
//! window back to where it came from, so timestamps land on the recording's own timeline. The
//! same samples always give the same windows, whatever size the chunks arrive in: that is what
//! lets a killed job resume at the window it was on.

use std::collections::VecDeque;

use super::vad::{FRAME, VadConfig, VoiceDetector, frame_db};
use crate::audio::SAMPLE_RATE;

const FRAMES_PER_SECOND: usize = SAMPLE_RATE as usize / FRAME;

/// How windows are cut, in 20 ms frames.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WindowConfig {
    pub vad: VadConfig,
    /// The most audio one window may hold (Whisper sees 30 s at a time).
    pub max_frames: usize,
    /// A pause at least this long ends a speech region; the silence is left out.
    pub gap_frames: usize,
    /// Audio kept before a region's first speech frame...
    pub preroll_frames: usize,
    /// ...and after its last.
    pub hangover_frames: usize,
    /// Regions with less speech than this are clicks and bumps, dropped.
    pub min_speech_frames: usize,
    /// When one region fills a window, it is cut at its quietest frame within this much of
    /// the window's end.
    pub cut_search_frames: usize,
    /// While recording: close a window at the first pause once it holds this much, so little
    /// is left to transcribe when recording stops. `None` packs windows full, which is
    /// cheapest (Whisper's cost per window barely depends on how much audio it holds).
    pub close_after_frames: Option<usize>,
}

impl Default for WindowConfig {
    fn default() -> Self {
        Self {
            vad: VadConfig::default(),
            max_frames: 29 * FRAMES_PER_SECOND,
            gap_frames: FRAMES_PER_SECOND,
            preroll_frames: FRAMES_PER_SECOND / 4,
            hangover_frames: FRAMES_PER_SECOND * 2 / 5,
            min_speech_frames: 5,
            cut_search_frames: 8 * FRAMES_PER_SECOND,
            close_after_frames: None,
        }
    }
}

impl WindowConfig {
    /// For transcribing while recording.
    pub fn live() -> Self {
        Self { close_after_frames: Some(6 * FRAMES_PER_SECOND), ..Self::default() }
    }
}

/// A stretch of window audio and where it sits in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    /// Offset in the window, in samples.
    pub at: usize,
    /// Offset in the source, in samples.
    pub source: usize,
    pub len: usize,
}

/// Audio ready for Whisper.
#[derive(Debug, Clone, PartialEq)]
pub struct Window {
    pub index: usize,
    pub audio: Vec<f32>,
    pub pieces: Vec<Piece>,
}

impl Window {
    /// Maps a time in the window (samples) to the source timeline (samples).
    pub fn to_source(&self, at: usize) -> usize {
        let piece = self
            .pieces
            .iter()
            .rev()
            .find(|p| p.at <= at)
            .or(self.pieces.first())
            .copied()
            .unwrap_or(Piece { at: 0, source: 0, len: 0 });
        piece.source + (at.saturating_sub(piece.at)).min(piece.len)
    }

    /// Where the window starts and ends in the source, in samples.
    pub fn source_span(&self) -> (usize, usize) {
        let start = self.pieces.first().map_or(0, |p| p.source);
        let end = self.pieces.last().map_or(0, |p| p.source + p.len);
        (start, end)
    }
}

/// Speech being gathered: frames from `source` on, with their levels.
#[derive(Debug)]
struct Region {
    source: usize,
    audio: Vec<f32>,
    levels: Vec<f32>,
    speech_frames: usize,
    /// Frames since the last speech frame.
    quiet_run: usize,
}

impl Region {
    fn frames(&self) -> usize {
        self.levels.len()
    }

    /// Drops the trailing silence beyond the hangover.
    fn trim_tail(&mut self, hangover: usize) {
        let keep = self.frames() - self.quiet_run.saturating_sub(hangover);
        self.levels.truncate(keep);
        self.audio.truncate(keep * FRAME);
    }

    /// Splits off everything from frame `at` on as a new region.
    fn split_off(&mut self, at: usize) -> Region {
        let rest = Region {
            source: self.source + at * FRAME,
            audio: self.audio.split_off(at * FRAME),
            levels: self.levels.split_off(at),
            speech_frames: 1,
            quiet_run: self.quiet_run.min(self.frames().saturating_sub(at)),
        };
        self.quiet_run = 0;
        rest
    }
}

/// Turns pushed samples into windows.
#[derive(Debug)]
pub struct Windower {
    config: WindowConfig,
    vad: VoiceDetector,
    partial: Vec<f32>,
    next_source: usize,
    /// Samples pushed, not counting the padding of the last frame.
    pushed: usize,
    preroll: VecDeque<(usize, Vec<f32>, f32)>,
    region: Option<Region>,
    window_audio: Vec<f32>,
    window_pieces: Vec<Piece>,
    ready: VecDeque<Window>,
    next_index: usize,
}

impl Windower {
    pub fn new(config: WindowConfig) -> Self {
        Self {
            vad: VoiceDetector::new(config.vad),
            config,
            partial: Vec::with_capacity(FRAME),
            next_source: 0,
            pushed: 0,
            preroll: VecDeque::new(),
            region: None,
            window_audio: Vec::new(),
            window_pieces: Vec::new(),
            ready: VecDeque::new(),
            next_index: 0,
        }
    }

    /// Feeds samples; windows that are complete can then be taken with [`Self::next_window`].
    pub fn push(&mut self, samples: &[f32]) {
        self.pushed += samples.len();
        let mut rest = samples;
        while !rest.is_empty() {
            let take = (FRAME - self.partial.len()).min(rest.len());
            self.partial.extend_from_slice(&rest[..take]);
            rest = &rest[take..];
            if self.partial.len() == FRAME {
                let frame = std::mem::replace(&mut self.partial, Vec::with_capacity(FRAME));
                self.frame(frame);
            }
        }
    }

    /// Ends the stream: the last, partial frame is padded with silence.
    pub fn finish(&mut self) {
        if !self.partial.is_empty() {
            let mut frame = std::mem::take(&mut self.partial);
            frame.resize(FRAME, 0.0);
            self.frame(frame);
        }
        self.close_region();
        self.emit_window();
    }

    pub fn next_window(&mut self) -> Option<Window> {
        self.ready.pop_front()
    }

    /// Samples seen so far.
    pub fn samples_seen(&self) -> usize {
        self.pushed
    }

    fn frame(&mut self, frame: Vec<f32>) {
        let source = self.next_source;
        self.next_source += FRAME;
        let level = frame_db(&frame);
        let speech = self.vad.is_speech(level);
        let config = self.config;
        match self.region.as_mut() {
            None if speech => {
                let mut region = Region {
                    source: self.preroll.front().map_or(source, |p| p.0),
                    audio: Vec::new(),
                    levels: Vec::new(),
                    speech_frames: 1,
                    quiet_run: 0,
                };
                for (_, audio, level) in self.preroll.drain(..) {
                    region.audio.extend(audio);
                    region.levels.push(level);
                }
                region.audio.extend(frame);
                region.levels.push(level);
                self.region = Some(region);
            }
            None => {
                self.preroll.push_back((source, frame, level));
                if self.preroll.len() > config.preroll_frames {
                    self.preroll.pop_front();
                }
            }
            Some(region) => {
                region.audio.extend(frame);
                region.levels.push(level);
                if speech {
                    region.speech_frames += 1;
                    region.quiet_run = 0;
                } else {
                    region.quiet_run += 1;
                }
                if region.quiet_run >= config.gap_frames {
                    self.close_region();
                }
            }
        }
        self.make_room();
    }

    /// Keeps the window plus the open region within one Whisper context.
    fn make_room(&mut self) {
        let max = self.config.max_frames;
        let Some(region) = self.region.as_ref() else { return };
        let window_frames = self.window_audio.len() / FRAME;
        if window_frames + region.frames() <= max {
            return;
        }
        if window_frames > 0 {
            self.emit_window();
            return;
        }
        // One region longer than a window: cut it where it is quietest, near the end.
        let Some(mut region) = self.region.take() else { return };
        let lo = max.saturating_sub(self.config.cut_search_frames).max(1);
        let cut =
            (lo..max).min_by(|&a, &b| region.levels[a].total_cmp(&region.levels[b])).unwrap_or(max);
        let rest = region.split_off(cut);
        self.add_to_window(region);
        self.emit_window();
        self.region = Some(rest);
    }

    fn close_region(&mut self) {
        let Some(mut region) = self.region.take() else { return };
        region.trim_tail(self.config.hangover_frames);
        if region.speech_frames >= self.config.min_speech_frames {
            if (self.window_audio.len() / FRAME) + region.frames() > self.config.max_frames {
                self.emit_window();
            }
            self.add_to_window(region);
            if self.config.close_after_frames.is_some_and(|n| self.window_audio.len() / FRAME >= n)
            {
                self.emit_window();
            }
        }
    }

    fn add_to_window(&mut self, region: Region) {
        self.window_pieces.push(Piece {
            at: self.window_audio.len(),
            source: region.source,
            len: region.audio.len(),
        });
        self.window_audio.extend(region.audio);
    }

    fn emit_window(&mut self) {
        if self.window_pieces.is_empty() {
            return;
        }
        self.ready.push_back(Window {
            index: self.next_index,
            audio: std::mem::take(&mut self.window_audio),
            pieces: std::mem::take(&mut self.window_pieces),
        });
        self.next_index += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(seconds: f32) -> Vec<f32> {
        let n = (seconds * SAMPLE_RATE as f32) as usize;
        (0..n)
            .map(|i| 0.3 * (i as f32 * 0.2).sin() * (1.0 + (i as f32 * 0.0005).sin()) / 2.0)
            .collect()
    }

    fn silence(seconds: f32) -> Vec<f32> {
        vec![0.0; (seconds * SAMPLE_RATE as f32) as usize]
    }

    fn windows_of(audio: &[f32], chunk: usize) -> Vec<Window> {
        windows_with(WindowConfig::default(), audio, chunk)
    }

    fn windows_with(config: WindowConfig, audio: &[f32], chunk: usize) -> Vec<Window> {
        let mut w = Windower::new(config);
        for c in audio.chunks(chunk) {
            w.push(c);
        }
        w.finish();
        std::iter::from_fn(|| w.next_window()).collect()
    }

    #[test]
    fn silence_alone_gives_no_window() {
        assert!(windows_of(&silence(20.0), 4000).is_empty());
    }

    #[test]
    fn long_silences_are_taken_out_and_timestamps_map_back() {
        let audio = [silence(3.0), tone(4.0), silence(10.0), tone(5.0), silence(2.0)].concat();
        let windows = windows_of(&audio, 1234);
        assert_eq!(windows.len(), 1);
        let w = &windows[0];
        assert_eq!(w.pieces.len(), 2);
        let secs = |s: usize| s as f32 / SAMPLE_RATE as f32;
        // The window holds the speech plus padding, not the ten seconds between.
        assert!(secs(w.audio.len()) < 10.5, "{} s", secs(w.audio.len()));
        assert!((secs(w.pieces[0].source) - 2.75).abs() < 0.05);
        assert!((secs(w.pieces[1].source) - 16.75).abs() < 0.05);
        // One second into the second piece is one second into the second tone, at 18 s.
        let t = w.pieces[1].at + SAMPLE_RATE as usize;
        assert!((secs(w.to_source(t)) - 17.75).abs() < 0.05);
    }

    #[test]
    fn windows_never_exceed_whisper_context_and_cover_all_speech() {
        let audio = [tone(70.0), silence(1.5), tone(20.0)].concat();
        let windows = windows_of(&audio, 16_000);
        assert!(windows.len() >= 4);
        let total: usize = windows.iter().map(|w| w.audio.len()).sum();
        for w in &windows {
            assert!(w.audio.len() <= 29 * SAMPLE_RATE as usize);
        }
        // All 90 s of tone is kept (the pause is left out).
        assert!((total as f32 / SAMPLE_RATE as f32 - 90.4).abs() < 0.6, "{total}");
        // Windows follow one another without overlap.
        for pair in windows.windows(2) {
            assert!(pair[0].source_span().1 <= pair[1].source_span().0);
        }
    }

    #[test]
    fn live_windows_close_at_the_first_pause_after_six_seconds() {
        let audio =
            [tone(4.0), silence(1.5), tone(3.0), silence(1.5), tone(4.0), silence(1.5)].concat();
        assert_eq!(windows_of(&audio, 1000).len(), 1);
        let live = windows_with(WindowConfig::live(), &audio, 1000);
        assert_eq!(live.len(), 2);
        assert_eq!(live[0].pieces.len(), 2);
    }

    #[test]
    fn chunk_size_does_not_change_the_windows() {
        let audio = [silence(1.0), tone(40.0), silence(3.0), tone(12.0)].concat();
        let a = windows_of(&audio, 320);
        let b = windows_of(&audio, 7777);
        let c = windows_of(&audio, audio.len());
        assert_eq!(a, b);
        assert_eq!(a, c);
    }
}
