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
use serde::Serialize;

use super::Context;
use crate::output::table;

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

pub fn record(cx: &Context, seconds: Option<u64>, device_format: bool) -> anyhow::Result<()> {
    let mut unlocked = cx.unlock()?;
    let files = unlocked.files_dir().to_owned();
    let key = unlocked.file_key();
    let store = &mut unlocked.store;
    let (recovered, not_recovered) = recover(store, &files, &key)?;
    for failure in &not_recovered {
        eprintln!("doorstep: could not recover recording {}: {}", failure.id, failure.error);
    }

    let stop = stop_on_signals()?;
    create_private_dir(&files.join(RECORDINGS_DIR))?;
    let row = store.start_recording(SAMPLE_RATE)?;
    let (levels, level_readings) = mpsc::channel();
    let format = if device_format { CaptureFormat::DeviceDefault } else { CaptureFormat::Whisper };
    let options = RecordOptions::default().format(format).on_level(move |level| {
        let _ = levels.send(level);
    });
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
    // If finishing fails the row stays `recording`: what was sealed is recovered next time.
    let finished = capture
        .finish()
        .context("the recording failed; what was captured will be recovered on the next start")?;
    let recording = store
        .finish_recording(row.id, millis(finished.duration()))?
        .context("the recording's row disappeared while recording")?;

    let report = Recorded {
        recovered,
        not_recovered,
        recording,
        dropped_ms: millis(finished.dropped),
        stream_error: finished.stream_error.as_ref().map(ToString::to_string),
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
