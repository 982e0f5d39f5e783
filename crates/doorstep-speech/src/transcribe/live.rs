//! Transcribing while recording: captured audio goes to a worker thread that transcribes each
//! window as soon as it is complete, so when the practitioner presses stop only the last
//! window is left to do.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;

use super::job::{Job, NoCheckpoint, ProgressFn};
use super::windows::WindowConfig;
use super::{DecodeOptions, Engine, TranscribeError, Transcript};

/// A worker transcribing audio as it arrives.
#[derive(Debug)]
pub struct LiveTranscriber {
    worker: JoinHandle<Result<Transcript, TranscribeError>>,
    cancel: Arc<AtomicBool>,
}

/// Hands captured 16 kHz mono audio to the worker; dropping every feed ends the audio.
#[derive(Debug, Clone)]
pub struct LiveFeed(Sender<Vec<f32>>);

impl LiveFeed {
    pub fn send(&self, samples: &[f32]) {
        // The worker only goes away after an error, which `finish` reports.
        let _ = self.0.send(samples.to_vec());
    }
}

fn run(
    engine: Arc<Engine>,
    options: DecodeOptions,
    audio: &Receiver<Vec<f32>>,
    cancel: Arc<AtomicBool>,
    progress: Option<ProgressFn>,
) -> Result<Transcript, TranscribeError> {
    let windows = WindowConfig::live();
    let mut job = Job::with_windows(
        engine,
        options,
        windows,
        Box::new(NoCheckpoint),
        cancel,
        progress,
        None,
    )?;
    for chunk in audio {
        job.push(&chunk)?;
    }
    job.finish()
}

impl LiveTranscriber {
    pub fn start(
        engine: Arc<Engine>,
        options: DecodeOptions,
        progress: Option<ProgressFn>,
    ) -> (Self, LiveFeed) {
        let (feed, audio) = channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&cancel);
        let worker = std::thread::spawn(move || run(engine, options, &audio, flag, progress));
        (Self { worker, cancel }, LiveFeed(feed))
    }

    /// Stops transcribing at once (the recording is kept; it can be transcribed later).
    pub fn cancel(&self) {
        self.cancel.store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// Waits for the last window once every [`LiveFeed`] is dropped.
    pub fn finish(self) -> Result<Transcript, TranscribeError> {
        self.worker.join().unwrap_or(Err(TranscribeError::WorkerPanicked))
    }
}
