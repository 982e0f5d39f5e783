//! `doorstep record`: captures a voice note from the microphone into the store, sealed to disk as
//! it is spoken, and first recovers any recording a crash cut short.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use doorstep_core::keys::SecretKey;
use doorstep_core::store::{RECORDINGS_DIR, Recording, Store};
use doorstep_speech::audio::{MAX_DURATION, SAMPLE_RATE};
use doorstep_speech::record::{
    CaptureFormat, Level, RecordError, RecordOptions, Recording as Capture, SILENCE_DBFS,
    seal_recovered,
};
use doorstep_speech::transcribe::{LiveFeed, LiveTranscriber};
use serde::Serialize;

use super::Context;
use super::transcribe::{decode_options, load_engine};
use crate::cli::RecordArgs;
use crate::output::table;
use doorstep_app::voice::keep_voice_note;

const POLL: Duration = Duration::from_millis(50);

#[derive(Serialize)]
struct Unrecovered {
    id: String,
    error: String,
}

#[derive(Serialize)]
struct Recorded {
    /// Recordings a crash had cut short, recovered before this one started.
    recovered: Vec<Recording>,
    /// Recordings that could not be recovered (they stay as they were, to try again).
    not_recovered: Vec<Unrecovered>,
    recording: Recording,
    /// Audio lost because the disk could not keep up.
    dropped_ms: u64,
    /// Why the recording stopped early, if the device failed.
    stream_error: Option<String>,
    /// The voice note transcribed while recording, with `--subject`.
    note: Option<LiveNote>,
}

#[derive(Serialize)]
struct LiveNote {
    id: String,
    subject: String,
    text: String,
    /// From pressing stop to the transcript being ready.
    ready_after_stop_ms: u64,
}

/// Who a live transcription is about, and how to transcribe it.
struct LiveSetup {
    person: doorstep_core::model::Person,
    transcriber: LiveTranscriber,
    feed: LiveFeed,
}

impl LiveSetup {
    fn new(cx: &Context, store: &Store, args: &RecordArgs, subject: &str) -> anyhow::Result<Self> {
        let person = store.find_person(subject)?;
        let case = store.case_vocabulary(person.id)?;
        let engine = load_engine(cx, args.speech.model.as_deref())?;
        let mut words = case.names;
        words.extend(case.services);
        let options = decode_options(&engine, &args.speech, words)?;
        let (transcriber, feed) = LiveTranscriber::start(engine, options, None);
        Ok(Self { person, transcriber, feed })
    }
}

/// Waits for the live transcript and keeps it as a voice note with the recording.
fn finish_live(
    live: LiveTranscriber,
    person: &doorstep_core::model::Person,
    store: &mut Store,
    recording: &Recording,
    stopped: Instant,
) -> anyhow::Result<Option<LiveNote>> {
    let transcript = live.finish().context("transcribing the recording")?;
    let ready_after_stop_ms = millis(stopped.elapsed());
    if transcript.text.trim().is_empty() {
        eprintln!("doorstep: no speech was heard; the recording is kept without a note");
        return Ok(None);
    }
    let note = keep_voice_note(store, person.id, &transcript, recording.id, None)?;
    Ok(Some(LiveNote {
        id: note.id.to_string(),
        subject: person.name.clone(),
        text: note.text,
        ready_after_stop_ms,
    }))
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

fn show_ms(ms: Option<u64>) -> String {
    ms.map_or_else(|| "-".into(), |ms| format!("{:.1} s", ms as f64 / 1000.0))
}

/// Recovers every recording still marked in progress, unless another process is recording it.
fn recover(
    store: &mut Store,
    files: &Path,
    key: &SecretKey,
) -> anyhow::Result<(Vec<Recording>, Vec<Unrecovered>)> {
    let mut recovered = Vec::new();
    let mut failed = Vec::new();
    for row in store.unfinished_recordings()? {
        match seal_recovered(&row.path(files), key) {
            Ok(samples) => {
                let ms = samples * 1000 / u64::from(SAMPLE_RATE);
                recovered.extend(store.recover_recording(row.id, ms)?);
            }
            Err(RecordError::InUse { .. }) => {}
            Err(e) => failed.push(Unrecovered { id: row.id.to_string(), error: e.to_string() }),
        }
    }
    Ok((recovered, failed))
}

fn create_private_dir(path: &Path) -> anyhow::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(path).with_context(|| format!("cannot create {}", path.display()))
}

/// SIGINT and SIGTERM ask for a clean finish; a second one ends the process at once.
fn stop_on_signals() -> anyhow::Result<Arc<AtomicBool>> {
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register_conditional_shutdown(signal, 1, Arc::clone(&stop))?;
        signal_hook::flag::register(signal, Arc::clone(&stop))?;
    }
    Ok(stop)
}

/// The level meter on the terminal, drawn only for a person watching one.
struct Meter {
    shown: bool,
}

impl Meter {
    const WIDTH: usize = 30;
    const FLOOR_DBFS: f32 = -60.0;

    fn new(cx: &Context) -> Self {
        Self { shown: !cx.out.json && std::io::stderr().is_terminal() }
    }

    fn show(&self, level: Level, recorded: Duration) {
        if !self.shown {
            return;
        }
        let fraction = ((level.rms_dbfs - Self::FLOOR_DBFS) / -Self::FLOOR_DBFS).clamp(0.0, 1.0);
        let filled = (fraction * Self::WIDTH as f32).round() as usize;
        let db = if level.peak_dbfs <= SILENCE_DBFS {
            "silent".to_owned()
        } else {
            format!("peak {:>5.1} dBFS", level.peak_dbfs)
        };
        let secs = recorded.as_secs();
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r\x1b[K{:02}:{:02} [{}{}] {db}",
            secs / 60,
            secs % 60,
            "#".repeat(filled),
            " ".repeat(Self::WIDTH - filled)
        );
        let _ = err.flush();
    }

    fn clear(&self) {
        if self.shown {
            eprint!("\r\x1b[K");
        }
    }
}

pub fn record(cx: &Context, args: &RecordArgs) -> anyhow::Result<()> {
    let (seconds, device_format) = (args.seconds, args.device_format);
    let mut unlocked = cx.unlock()?;
    let files = unlocked.files_dir().to_owned();
    let key = unlocked.file_key();
    let store = &mut unlocked.store;
    let (recovered, not_recovered) = recover(store, &files, &key)?;
    for failure in &not_recovered {
        eprintln!("doorstep: could not recover recording {}: {}", failure.id, failure.error);
    }

    let live = match &args.subject {
        Some(subject) => Some(LiveSetup::new(cx, store, args, subject)?),
        None => None,
    };
    let stop = stop_on_signals()?;
    create_private_dir(&files.join(RECORDINGS_DIR))?;
    let row = store.start_recording(SAMPLE_RATE)?;
    let (levels, level_readings) = mpsc::channel();
    let format = if device_format { CaptureFormat::DeviceDefault } else { CaptureFormat::Whisper };
    let mut options = RecordOptions::default().format(format).on_level(move |level| {
        let _ = levels.send(level);
    });
    let (live, person) = match live {
        Some(LiveSetup { person, transcriber, feed }) => {
            options = options.on_audio(move |samples| feed.send(samples));
            (Some(transcriber), Some(person))
        }
        None => (None, None),
    };
    let capture = match Capture::start(&row.path(&files), &key, options) {
        Ok(capture) => capture,
        Err(e) => {
            store.discard_recording(row.id)?;
            return Err(e).context("cannot start recording");
        }
    };
    let limit = seconds.map_or(MAX_DURATION, Duration::from_secs).min(MAX_DURATION);
    let device = capture.device_format();
    eprintln!(
        "Recording {} from the default input ({} Hz, {} channel{}, {}): {}",
        row.id,
        device.sample_rate,
        device.channels,
        if device.channels == 1 { "" } else { "s" },
        device.sample_format,
        if seconds.is_some() {
            format!("stopping after {} s, or press Ctrl-C", limit.as_secs())
        } else {
            "press Ctrl-C to stop".to_owned()
        }
    );

    let meter = Meter::new(cx);
    let deadline = Instant::now() + limit;
    while !stop.load(Ordering::SeqCst) && !capture.is_interrupted() && Instant::now() < deadline {
        match level_readings.recv_timeout(POLL) {
            Ok(level) => meter.show(level, capture.recorded()),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => std::thread::sleep(POLL),
        }
    }
    meter.clear();
    let stopped = Instant::now();
    // If finishing fails the row stays `recording`: what was sealed is recovered next time.
    let finished = capture
        .finish()
        .context("the recording failed; what was captured will be recovered on the next start")?;
    let recording = store
        .finish_recording(row.id, millis(finished.duration()))?
        .context("the recording's row disappeared while recording")?;
    let note = match (live, &person) {
        (Some(live), Some(person)) => finish_live(live, person, store, &recording, stopped)?,
        _ => None,
    };

    let report = Recorded {
        recovered,
        not_recovered,
        recording,
        dropped_ms: millis(finished.dropped),
        stream_error: finished.stream_error.as_ref().map(ToString::to_string),
        note,
    };
    if cx.out.json {
        return cx.out.json(&report);
    }
    let mut text = String::new();
    for r in &report.recovered {
        text += &format!(
            "Recovered recording {} (cut short by a crash): {} kept, {}\n",
            r.id,
            show_ms(r.duration_ms),
            r.state
        );
    }
    let r = &report.recording;
    text += &format!("Recorded {}: {}, {}\n", r.id, show_ms(r.duration_ms), r.state);
    if report.dropped_ms > 0 {
        text += &format!(
            "Warning: {} of audio was lost because the disk could not keep up\n",
            show_ms(Some(report.dropped_ms))
        );
    }
    if let Some(error) = &report.stream_error {
        text += &format!("Warning: the input device failed and recording stopped early: {error}\n");
    }
    if let Some(note) = &report.note {
        text += &format!(
            "Voice note {} about {} (transcript ready {:.1} s after stop):\n\n{}\n",
            note.id,
            note.subject,
            note.ready_after_stop_ms as f64 / 1000.0,
            note.text
        );
    }
    cx.out.text(&text)
}

pub fn list(cx: &Context) -> anyhow::Result<()> {
    let unlocked = cx.unlock()?;
    let recordings = unlocked.store.recordings()?;
    if cx.out.json {
        return cx.out.json(&recordings);
    }
    let rows: Vec<Vec<String>> = recordings
        .iter()
        .map(|r| {
            vec![
                r.started_at.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M").to_string(),
                show_ms(r.duration_ms),
                r.state.to_string(),
                r.note.map(|n| n.to_string()).unwrap_or_else(|| "-".into()),
                r.id.to_string(),
            ]
        })
        .collect();
    cx.out.text(&table(&["STARTED", "LENGTH", "STATE", "NOTE", "ID"], &rows))
}

/// `doorstep record export ID --wav FILE`: the recording's audio, unsealed into a WAV file.
pub fn export(cx: &Context, id: &str, wav: &Path) -> anyhow::Result<()> {
    let unlocked = cx.unlock()?;
    let id: doorstep_core::ids::RecordingId =
        id.trim().parse().map_err(|_| anyhow::anyhow!("{id:?} is not a recording id"))?;
    let recording = unlocked
        .store
        .recording(id)?
        .ok_or_else(|| anyhow::anyhow!("there is no recording {id}"))?;
    if recording.state == doorstep_core::store::RecordingState::Deleted {
        anyhow::bail!("recording {id}'s audio was deleted under the retention setting");
    }
    let samples = doorstep_speech::record::read_recording(
        &recording.path(unlocked.files_dir()),
        &unlocked.file_key(),
    )?;
    let bytes = doorstep_app::review::wav_bytes(&samples, recording.sample_rate)?;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(wav)
        .with_context(|| format!("cannot create {} (it must not exist yet)", wav.display()))?;
    file.write_all(&bytes).with_context(|| format!("cannot write {}", wav.display()))?;
    if cx.out.json {
        return cx.out.json(&serde_json::json!({
            "recording": id.to_string(),
            "wav": wav.display().to_string(),
            "samples": samples.len(),
        }));
    }
    cx.out.text(&format!("Wrote {} ({} samples) to {}.", id, samples.len(), wav.display()))
}
