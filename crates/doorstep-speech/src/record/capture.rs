//! The device side: choosing the input format and the cpal callback.
//!
//! The callback runs on the audio thread, where blocking or I/O drops audio: it only converts the
//! samples to f32 and offers them to the writer over a bounded channel, never waiting. If the
//! writer falls that far behind, the chunk is counted as dropped instead.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::SyncSender;
use std::time::Duration;

use cpal::traits::DeviceTrait;
use cpal::{FromSample, Sample, SampleFormat, SizedSample, StreamConfig, SupportedStreamConfig};

use super::RecordError;
use crate::audio::SAMPLE_RATE;

/// Chunks the writer may fall behind by before audio is dropped: at the usual 10-20 ms a
/// callback, a minute or more of a stalled disk.
pub(crate) const QUEUE_CHUNKS: usize = 4096;

const BUILD_TIMEOUT: Duration = Duration::from_secs(10);

/// Which format to ask the device for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CaptureFormat {
    /// 16 kHz mono when the device offers it, else the device's default format.
    #[default]
    Whisper,
    /// Always the device's default format (converted to 16 kHz mono by Doorstep).
    DeviceDefault,
}

/// The format the device actually delivers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeviceFormat {
    pub channels: u16,
    pub sample_rate: u32,
    pub sample_format: SampleFormat,
}

/// What the audio callback sends the writer thread.
#[derive(Debug)]
pub(crate) enum Message {
    /// Interleaved samples at the device's rate.
    Audio(Vec<f32>),
    StreamError(cpal::Error),
    /// Recording paused: seal what is pending.
    Paused,
    Finish,
}

/// State the callback, the writer and the owner of the recording share.
#[derive(Debug, Default)]
pub(crate) struct Shared {
    pub(crate) paused: AtomicBool,
    pub(crate) kept_samples: AtomicU64,
    /// Device frames lost because the writer's queue was full.
    pub(crate) dropped_frames: AtomicU64,
    /// The stream failed or the writer stopped: recording cannot go on.
    pub(crate) interrupted: AtomicBool,
}

/// Lower is better; `None` for formats that are not PCM samples.
fn rank(format: SampleFormat) -> Option<u8> {
    use SampleFormat::*;
    Some(match format {
        F32 => 0,
        I16 => 1,
        I32 => 2,
        I24 => 3,
        F64 => 4,
        U16 => 5,
        I8 => 6,
        U8 => 7,
        U24 => 8,
        U32 => 9,
        I64 => 10,
        U64 => 11,
        _ => return None,
    })
}

pub(crate) fn choose_format(
    device: &cpal::Device,
    wanted: CaptureFormat,
) -> Result<SupportedStreamConfig, RecordError> {
    if wanted == CaptureFormat::Whisper {
        // A device that cannot list its formats may still open with its default one.
        let whisper = device.supported_input_configs().ok().and_then(|configs| {
            configs
                .filter(|c| c.channels() == 1)
                .filter_map(|c| Some((rank(c.sample_format())?, c)))
                .filter_map(|(rank, c)| Some((rank, c.try_with_sample_rate(SAMPLE_RATE)?)))
                .min_by_key(|(rank, _)| *rank)
                .map(|(_, config)| config)
        });
        if let Some(config) = whisper {
            return Ok(config);
        }
    }
    device
        .default_input_config()
        .map_err(|source| RecordError::Device { action: "read the default format of", source })
}

/// Kinds of stream error after which audio still flows.
pub(crate) fn is_transient(error: &cpal::Error) -> bool {
    matches!(
        error.kind(),
        cpal::ErrorKind::Xrun | cpal::ErrorKind::DeviceChanged | cpal::ErrorKind::RealtimeDenied
    )
}

/// The data callback's state.
pub(crate) struct Feed {
    pub(crate) channels: u16,
    pub(crate) queue: SyncSender<Message>,
    pub(crate) shared: Arc<Shared>,
}

impl Feed {
    /// Offers one callback's samples to the writer; never blocks.
    pub(crate) fn push<T>(&self, data: &[T])
    where
        T: Sample,
        f32: FromSample<T>,
    {
        if self.shared.paused.load(Ordering::Acquire) || data.is_empty() {
            return;
        }
        let chunk: Vec<f32> = data.iter().map(|&s| f32::from_sample(s)).collect();
        if self.queue.try_send(Message::Audio(chunk)).is_err() {
            let frames = data.len() as u64 / u64::from(self.channels.max(1));
            self.shared.dropped_frames.fetch_add(frames, Ordering::Relaxed);
        }
    }
}

pub(crate) fn build_stream(
    device: &cpal::Device,
    config: &SupportedStreamConfig,
    feed: Feed,
) -> Result<cpal::Stream, RecordError> {
    let stream_config = StreamConfig {
        channels: config.channels(),
        sample_rate: config.sample_rate(),
        buffer_size: cpal::BufferSize::Default,
    };
    let errors = feed.queue.clone();
    let shared = Arc::clone(&feed.shared);
    let on_error = move |error: cpal::Error| {
        if !is_transient(&error) {
            shared.interrupted.store(true, Ordering::Release);
        }
        let _ = errors.try_send(Message::StreamError(error));
    };
    fn build<T>(
        device: &cpal::Device,
        config: StreamConfig,
        feed: Feed,
        on_error: impl FnMut(cpal::Error) + Send + 'static,
    ) -> Result<cpal::Stream, cpal::Error>
    where
        T: SizedSample,
        f32: FromSample<T>,
    {
        device.build_input_stream(
            config,
            move |data: &[T], _: &cpal::InputCallbackInfo| feed.push(data),
            on_error,
            Some(BUILD_TIMEOUT),
        )
    }
    use SampleFormat::*;
    let built = match config.sample_format() {
        F32 => build::<f32>(device, stream_config, feed, on_error),
        F64 => build::<f64>(device, stream_config, feed, on_error),
        I8 => build::<i8>(device, stream_config, feed, on_error),
        I16 => build::<i16>(device, stream_config, feed, on_error),
        I24 => build::<cpal::I24>(device, stream_config, feed, on_error),
        I32 => build::<i32>(device, stream_config, feed, on_error),
        I64 => build::<i64>(device, stream_config, feed, on_error),
        U8 => build::<u8>(device, stream_config, feed, on_error),
        U16 => build::<u16>(device, stream_config, feed, on_error),
        U24 => build::<cpal::U24>(device, stream_config, feed, on_error),
        U32 => build::<u32>(device, stream_config, feed, on_error),
        U64 => build::<u64>(device, stream_config, feed, on_error),
        other => return Err(RecordError::UnsupportedFormat(other)),
    };
    built.map_err(|source| RecordError::Device { action: "open", source })
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;

    use super::*;

    #[test]
    fn audio_while_paused_is_not_kept_and_a_full_queue_never_blocks() {
        let (queue, received) = mpsc::sync_channel(2);
        let shared = Arc::new(Shared::default());
        let feed = Feed { channels: 2, queue, shared: Arc::clone(&shared) };
        feed.push(&[i16::MAX, 0, 0, i16::MIN]);
        shared.paused.store(true, Ordering::Release);
        feed.push(&[1i16, 2, 3, 4]);
        shared.paused.store(false, Ordering::Release);
        feed.push(&[0.25f32, 0.25]);
        match received.try_recv() {
            Ok(Message::Audio(chunk)) => {
                assert_eq!(chunk, [i16::MAX as f32 / 32768.0, 0.0, 0.0, -1.0]);
            }
            other => panic!("{other:?}"),
        }
        match received.try_recv() {
            Ok(Message::Audio(chunk)) => {
                assert_eq!(chunk, [0.25, 0.25], "the paused chunk is gone");
            }
            other => panic!("{other:?}"),
        }
        assert!(received.try_recv().is_err());
        assert_eq!(shared.dropped_frames.load(Ordering::Relaxed), 0);

        for _ in 0..3 {
            feed.push(&[0.5f32; 8]);
        }
        assert_eq!(shared.dropped_frames.load(Ordering::Relaxed), 4, "one chunk of 4 frames");
    }

    #[test]
    fn formats_are_ranked_and_dsd_is_refused() {
        assert!(rank(SampleFormat::F32) < rank(SampleFormat::I16));
        assert!(rank(SampleFormat::I16) < rank(SampleFormat::U8));
        assert_eq!(rank(SampleFormat::DsdU8), None);
    }
}
