//! A recording in progress: starts the device and the writer thread, pauses, resumes and finishes.

use std::fmt;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::thread::JoinHandle;
use std::time::Duration;

use cpal::traits::{HostTrait, StreamTrait};
use doorstep_core::keys::SecretKey;
use doorstep_core::sealed::SealedWriter;

use super::capture::{
    CaptureFormat, DeviceFormat, Feed, Message, QUEUE_CHUNKS, Shared, build_stream, choose_format,
    is_transient,
};
use super::pipeline::Pipeline;
use super::{Level, RecordError, samples_duration};

/// Receives a [`Level`] every [`super::LEVEL_INTERVAL_SAMPLES`] kept samples.
pub type LevelCallback = Box<dyn FnMut(Level) + Send>;

/// Receives the 16 kHz mono samples as they are kept (never those dropped while paused), in
/// order, on the writer thread: keep it quick, e.g. forward them to a transcriber's channel.
pub type AudioCallback = Box<dyn FnMut(&[f32]) + Send>;

/// How to record, and who listens while it happens.
#[derive(Default)]
pub struct RecordOptions {
    format: CaptureFormat,
    on_level: Option<LevelCallback>,
    on_audio: Option<AudioCallback>,
}

impl fmt::Debug for RecordOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecordOptions")
            .field("format", &self.format)
            .field("on_level", &self.on_level.is_some())
            .field("on_audio", &self.on_audio.is_some())
            .finish()
    }
}

impl RecordOptions {
    pub fn format(mut self, format: CaptureFormat) -> Self {
        self.format = format;
        self
    }

    pub fn on_level(mut self, callback: impl FnMut(Level) + Send + 'static) -> Self {
        self.on_level = Some(Box::new(callback));
        self
    }

    pub fn on_audio(mut self, callback: impl FnMut(&[f32]) + Send + 'static) -> Self {
        self.on_audio = Some(Box::new(callback));
        self
    }
}

/// A finished recording.
#[derive(Debug)]
pub struct Finished {
    /// The sealed file, with its end marker.
    pub path: PathBuf,
    /// 16 kHz samples in the file.
    pub samples: u64,
    /// Audio lost because the disk could not keep up.
    pub dropped: Duration,
    /// The stream error that stopped the recording early, if one did.
    pub stream_error: Option<cpal::Error>,
}

impl Finished {
    pub fn duration(&self) -> Duration {
        samples_duration(self.samples)
    }
}

struct WriterSummary {
    samples: u64,
    stream_error: Option<cpal::Error>,
}

/// A recording in progress. Dropping it without [`Recording::finish`] still stops the device and
/// seals the file in the background, but only `finish` says whether that worked.
pub struct Recording {
    stream: cpal::Stream,
    /// Held while recording, so recovery in another process leaves this file alone.
    lock: File,
    control: SyncSender<Message>,
    shared: Arc<Shared>,
    writer: JoinHandle<Result<WriterSummary, RecordError>>,
    path: PathBuf,
    format: DeviceFormat,
}

impl fmt::Debug for Recording {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Recording")
            .field("path", &self.path)
            .field("format", &self.format)
            .field("shared", &self.shared)
            .finish_non_exhaustive()
    }
}

impl Recording {
    /// Opens the default input device and starts recording into a new sealed file at `path`
    /// (which must not exist).
    pub fn start(
        path: &Path,
        key: &SecretKey,
        options: RecordOptions,
    ) -> Result<Self, RecordError> {
        let host = cpal::default_host();
        let device = host.default_input_device().ok_or(RecordError::NoInputDevice)?;
        let config = choose_format(&device, options.format)?;
        let format = DeviceFormat {
            channels: config.channels(),
            sample_rate: config.sample_rate(),
            sample_format: config.sample_format(),
        };
        let (queue, received) = mpsc::sync_channel(QUEUE_CHUNKS);
        let shared = Arc::new(Shared::default());
        let feed =
            Feed { channels: format.channels, queue: queue.clone(), shared: Arc::clone(&shared) };
        // Everything that can fail without leaving a file behind comes before the file.
        let stream = build_stream(&device, &config, feed)?;
        let sealed = SealedWriter::create(path, key)?;
        // From here on a failure removes the file just made: it holds no audio yet.
        let started = (|| {
            let lock = lock(path)?;
            let pipeline = Pipeline::new(
                format.channels,
                format.sample_rate,
                sealed,
                options.on_level,
                options.on_audio,
            )?;
            let writer_shared = Arc::clone(&shared);
            let writer = std::thread::Builder::new()
                .name("doorstep-record-writer".into())
                .spawn(move || write(&received, pipeline, &writer_shared))
                .map_err(|source| RecordError::Io {
                    action: "start the writer for",
                    path: path.to_owned(),
                    source,
                })?;
            if let Err(source) = stream.play() {
                let _ = queue.send(Message::Finish);
                let _ = writer.join();
                return Err(RecordError::Device { action: "start", source });
            }
            Ok((lock, writer))
        })();
        let (lock, writer) = started.inspect_err(|_| remove_unstarted(path))?;
        Ok(Self { stream, lock, control: queue, shared, writer, path: path.to_owned(), format })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What the device delivers (before conversion to 16 kHz mono).
    pub fn device_format(&self) -> DeviceFormat {
        self.format
    }

    /// Stops keeping audio until [`Recording::resume`]; what was said so far is sealed to disk.
    pub fn pause(&self) {
        if !self.shared.paused.swap(true, Ordering::AcqRel) {
            let _ = self.control.try_send(Message::Paused);
        }
    }

    pub fn resume(&self) {
        self.shared.paused.store(false, Ordering::Release);
    }

    pub fn is_paused(&self) -> bool {
        self.shared.paused.load(Ordering::Acquire)
    }

    /// How much audio has been kept so far.
    pub fn recorded(&self) -> Duration {
        samples_duration(self.shared.kept_samples.load(Ordering::Relaxed))
    }

    /// Whether the device failed or the file could not be written: the recording cannot go on
    /// and should be finished, which keeps what was captured.
    pub fn is_interrupted(&self) -> bool {
        self.shared.interrupted.load(Ordering::Acquire)
    }

    /// Stops the device, seals the rest of the audio and writes the end marker.
    pub fn finish(self) -> Result<Finished, RecordError> {
        let Self { stream, lock, control, shared, writer, path, format } = self;
        // Dropping the stream joins cpal's audio thread, so no chunk can follow `Finish`.
        drop(stream);
        let _ = control.send(Message::Finish);
        let summary = writer.join().map_err(|_| RecordError::WriterGone)??;
        drop(lock);
        let dropped_frames = shared.dropped_frames.load(Ordering::Relaxed);
        Ok(Finished {
            path,
            samples: summary.samples,
            dropped: Duration::from_secs_f64(
                dropped_frames as f64 / f64::from(format.sample_rate.max(1)),
            ),
            stream_error: summary.stream_error,
        })
    }
}

/// Takes the advisory lock that marks `path` as being recorded; the system releases it if the
/// process dies.
fn lock(path: &Path) -> Result<File, RecordError> {
    let io = |action, source| RecordError::Io { action, path: path.to_owned(), source };
    let file = File::open(path).map_err(|e| io("open", e))?;
    file.lock().map_err(|e| io("lock", e))?;
    Ok(file)
}

/// Removes the file of a recording that never started; it holds no audio.
fn remove_unstarted(path: &Path) {
    let _ = std::fs::remove_file(path);
}

/// The writer thread: runs the pipeline until told to finish (or everyone hung up).
fn write(
    received: &Receiver<Message>,
    mut pipeline: Pipeline<SealedWriter>,
    shared: &Shared,
) -> Result<WriterSummary, RecordError> {
    let mut stream_error = None;
    let mut run = || -> Result<(), RecordError> {
        for message in received.iter() {
            match message {
                Message::Audio(chunk) => {
                    pipeline.push(&chunk)?;
                    shared.kept_samples.store(pipeline.kept(), Ordering::Relaxed);
                }
                Message::StreamError(error) => {
                    if !is_transient(&error) && stream_error.is_none() {
                        stream_error = Some(error);
                    }
                }
                Message::Paused => pipeline.seal_pending()?,
                Message::Finish => break,
            }
        }
        Ok(())
    };
    let result = run().and_then(|()| {
        let (sealed, samples) = pipeline.finish()?;
        sealed.finish()?;
        shared.kept_samples.store(samples, Ordering::Relaxed);
        Ok(WriterSummary { samples, stream_error })
    });
    if result.is_err() {
        shared.interrupted.store(true, Ordering::Release);
    }
    result
}
