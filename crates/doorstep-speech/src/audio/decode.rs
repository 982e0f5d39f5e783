//! Container and codec decoding with symphonia, down-mixed to mono and resampled as it goes.

use std::fs::File;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use symphonia::core::codecs::audio::{AudioDecoder, AudioDecoderOptions};
use symphonia::core::errors::Error as SymphoniaError;
use symphonia::core::formats::probe::Hint;
use symphonia::core::formats::{FormatOptions, FormatReader, TrackType};
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;

use super::{AudioError, MAX_DURATION, StreamResampler};

/// Packets that fail to decode and are skipped before the file is called corrupt: encoders
/// leave the odd damaged frame, and one should not cost the practitioner the note.
const TOLERATED_BAD_PACKETS: u32 = 3;
/// How far short of its header's length a file may end and still count as whole.
const TRUNCATION_SLACK_MS: u64 = 250;

/// What the source file holds, before conversion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceInfo {
    pub sample_rate: u32,
    pub channels: usize,
    /// The length the container declares, when it declares one.
    pub declared_ms: Option<u64>,
}

/// A decoded file, read a packet at a time as 16 kHz mono chunks.
pub struct AudioStream {
    path: PathBuf,
    format: Box<dyn FormatReader>,
    decoder: Box<dyn AudioDecoder>,
    track_id: u32,
    info: SourceInfo,
    resampler: StreamResampler,
    interleaved: Vec<f32>,
    mono: Vec<f32>,
    source_frames: u64,
    bad_packets: u32,
    finished: bool,
}

impl std::fmt::Debug for AudioStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AudioStream").field("path", &self.path).field("info", &self.info).finish()
    }
}

impl AudioStream {
    pub fn open(path: &Path) -> Result<Self, AudioError> {
        let open_err = |source| AudioError::Open { path: path.to_owned(), source };
        let file = File::open(path).map_err(open_err)?;
        if file.metadata().map_err(open_err)?.len() == 0 {
            return Err(AudioError::EmptyFile { path: path.to_owned() });
        }
        let mut hint = Hint::new();
        if let Some(ext) = path.extension().and_then(|e| e.to_str()) {
            hint.with_extension(ext);
        }
        let source = MediaSourceStream::new(Box::new(file), Default::default());
        let format = symphonia::default::get_probe()
            .probe(&hint, source, FormatOptions::default(), MetadataOptions::default())
            .map_err(|e| match e {
                SymphoniaError::IoError(source) if source.kind() != ErrorKind::UnexpectedEof => {
                    open_err(source)
                }
                other => AudioError::Unsupported {
                    path: path.to_owned(),
                    detail: format!("not a recognised audio format: {other}"),
                },
            })?;
        let track = format
            .default_track(TrackType::Audio)
            .ok_or_else(|| AudioError::NoAudioTrack { path: path.to_owned() })?;
        let params = track
            .codec_params
            .as_ref()
            .and_then(|p| p.audio())
            .ok_or_else(|| AudioError::NoAudioTrack { path: path.to_owned() })?
            .clone();
        let bad = |detail: String| AudioError::BadFormat { path: path.to_owned(), detail };
        let sample_rate = params.sample_rate.ok_or_else(|| bad("no sample rate".into()))?;
        if !(1_000..=768_000).contains(&sample_rate) {
            return Err(bad(format!("a sample rate of {sample_rate} Hz")));
        }
        let channels = params.channels.as_ref().map_or(1, |c| c.count());
        if !(1..=32).contains(&channels) {
            return Err(bad(format!("{channels} channels")));
        }
        let declared_ms = track.num_frames.map(|n| n * 1000 / u64::from(sample_rate));
        if let Some(ms) = declared_ms {
            check_length(path, ms)?;
        }
        let track_id = track.id;
        let decoder = symphonia::default::get_codecs()
            .make_audio_decoder(&params, &AudioDecoderOptions::default())
            .map_err(|e| AudioError::Unsupported {
                path: path.to_owned(),
                detail: format!("no decoder for its codec: {e}"),
            })?;
        Ok(Self {
            path: path.to_owned(),
            format,
            decoder,
            track_id,
            info: SourceInfo { sample_rate, channels, declared_ms },
            resampler: StreamResampler::new(sample_rate)?,
            interleaved: Vec::new(),
            mono: Vec::new(),
            source_frames: 0,
            bad_packets: 0,
            finished: false,
        })
    }

    pub fn info(&self) -> &SourceInfo {
        &self.info
    }

    fn decoded_ms(&self) -> u64 {
        self.source_frames * 1000 / u64::from(self.info.sample_rate)
    }

    fn corrupt(&self, detail: impl std::fmt::Display) -> AudioError {
        AudioError::Corrupt {
            path: self.path.clone(),
            decoded_ms: self.decoded_ms(),
            detail: detail.to_string(),
        }
    }

    /// The next stretch of 16 kHz mono audio, or `None` at the end of the file.
    pub fn next_chunk(&mut self) -> Result<Option<Vec<f32>>, AudioError> {
        if self.finished {
            return Ok(None);
        }
        loop {
            let packet = match self.format.next_packet() {
                Ok(Some(packet)) => packet,
                Ok(None) => return self.end().map(Some),
                Err(SymphoniaError::IoError(e)) if e.kind() == ErrorKind::UnexpectedEof => {
                    return self.end().map(Some);
                }
                Err(SymphoniaError::IoError(e)) => {
                    return Err(AudioError::Open { path: self.path.clone(), source: e });
                }
                Err(e) => return Err(self.corrupt(e)),
            };
            if packet.track_id != self.track_id {
                continue;
            }
            let decoded = match self.decoder.decode(&packet) {
                Ok(buffer) => buffer,
                Err(SymphoniaError::DecodeError(_)) if self.bad_packets < TOLERATED_BAD_PACKETS => {
                    self.bad_packets += 1;
                    continue;
                }
                Err(e) => return Err(self.corrupt(e)),
            };
            let channels = decoded.spec().channels().count().max(1);
            decoded.copy_to_vec_interleaved(&mut self.interleaved);
            let frames = self.interleaved.len() / channels;
            self.source_frames += frames as u64;
            check_length(&self.path, self.decoded_ms())?;
            self.mono.clear();
            self.mono.extend(
                self.interleaved
                    .chunks_exact(channels)
                    .map(|f| f.iter().sum::<f32>() / channels as f32),
            );
            let mut out = Vec::new();
            self.resampler.push(&self.mono, &mut out)?;
            if !out.is_empty() {
                return Ok(Some(out));
            }
        }
    }

    fn end(&mut self) -> Result<Vec<f32>, AudioError> {
        self.finished = true;
        if self.source_frames == 0 {
            return Err(AudioError::NoSamples { path: self.path.clone() });
        }
        if let Some(expected_ms) = self.info.declared_ms {
            let decoded_ms = self.decoded_ms();
            if decoded_ms + TRUNCATION_SLACK_MS < expected_ms {
                return Err(AudioError::Truncated {
                    path: self.path.clone(),
                    decoded_ms,
                    expected_ms,
                });
            }
        }
        let mut out = Vec::new();
        self.resampler.finish(&mut out)?;
        Ok(out)
    }
}

fn check_length(path: &Path, ms: u64) -> Result<(), AudioError> {
    let limit_ms = MAX_DURATION.as_millis() as u64;
    if ms > limit_ms {
        return Err(AudioError::TooLong {
            path: path.to_owned(),
            found_minutes: ms / 60_000,
            limit_minutes: limit_ms / 60_000,
        });
    }
    Ok(())
}
