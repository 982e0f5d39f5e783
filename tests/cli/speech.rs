//! Speech end to end with the real tiny.en model: `doorstep transcribe` (JSON and subtitles),
//! its errors, `doorstep ingest` (a sealed draft voice note, resumed after SIGKILL), `doorstep
//! record --subject` through a PulseAudio null sink, and `doorstep bench live`.
//!
//! The models come from DOORSTEP_MODELS_DIR, or ~/.cache/doorstep/models (scripts/models.sh
//! makes them). Every Whisper run uses one thread: the test harness runs two tests at once on
//! CI's two cores, and whisper.cpp's worker threads spin on a barrier, so two processes of two
//! threads each run several times slower than two of one.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use doorstep_core::DataDir;
use doorstep_core::keys::Passphrase;
use doorstep_speech::record::read_recording;
use serde_json::Value;

use crate::common::{PASSPHRASE, Store, contains, eval_notes};

const MODEL: &str = "tiny.en";
const THREADS: &str = "1";
pub(crate) const SUBJECT: &str = "Margaret Holt";
const RATE: usize = 16_000;
/// The transcriber pads the last 20 ms frame of the audio with silence and counts the padding
/// as audio, so its timeline may run up to a frame past the end of the file.
const FRAME_MS: u64 = 20;

/// The directory holding the test models, checked to hold tiny.en.
fn models_dir() -> PathBuf {
    let dir = std::env::var_os("DOORSTEP_MODELS_DIR").map(PathBuf::from).unwrap_or_else(|| {
        let home = std::env::var_os("HOME").unwrap_or_default();
        PathBuf::from(home).join(".cache/doorstep/models")
    });
    let model = dir.join("ggml-tiny.en.bin");
    assert!(
        model.is_file(),
        "{} is missing: run scripts/models.sh to make the test models (or point \
         DOORSTEP_MODELS_DIR at them)",
        model.display()
    );
    dir
}

/// A clip of the evaluation corpus.
pub(crate) fn audio(name: &str) -> PathBuf {
    eval_notes().with_file_name("audio").join(name)
}

/// `--model tiny.en --threads 1`.
fn speech_args() -> [&'static str; 4] {
    ["--model", MODEL, "--threads", THREADS]
}

/// `doorstep` on `store`, finding the test models.
fn doorstep(store: &Store) -> Command {
    let mut cmd = store.cmd();
    cmd.env("DOORSTEP_MODELS_DIR", models_dir());
    cmd
}

/// The environment `Store::cmd` gives, for a process started in the background.
fn background(store: &Store) -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("doorstep"));
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", store.home.path())
        .env("DOORSTEP_DATA_DIR", store.dir())
        .env("DOORSTEP_PASSPHRASE", PASSPHRASE)
        .env("DOORSTEP_MODELS_DIR", models_dir());
    cmd
}

/// Runs `doorstep --json ARGS` with the test models, expecting success.
fn json(store: &Store, args: &[&str]) -> Value {
    let out = doorstep(store).arg("--json").args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Runs `doorstep ARGS` expecting plain-text success.
fn text(store: &Store, args: &[&str]) -> String {
    let out = doorstep(store).args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// A store with Margaret Holt on its caseload.
pub(crate) fn store_with_subject() -> Store {
    let store = Store::new();
    store.cmd().args(["person", "add", SUBJECT]).assert().success();
    store
}

/// `doorstep ingest FILE --subject "Margaret Holt"` with tiny.en, expecting success.
pub(crate) fn ingest(store: &Store, file: &Path) -> Value {
    let file = file.to_str().unwrap();
    json(store, &[&["ingest", file, "--subject", SUBJECT][..], &speech_args()].concat())
}

/// The samples of a 16 kHz mono 16-bit WAV.
pub(crate) fn samples(path: &Path) -> Vec<i16> {
    let mut reader =
        hound::WavReader::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let spec = reader.spec();
    assert_eq!((spec.channels, spec.sample_rate, spec.bits_per_sample), (1, 16_000, 16));
    reader.samples::<i16>().map(Result::unwrap).collect()
}

fn write_wav(path: &Path, samples: &[i16]) {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 16_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut writer = hound::WavWriter::create(path, spec).unwrap();
    for &s in samples {
        writer.write_sample(s).unwrap();
    }
    writer.finalize().unwrap();
}

fn ms(value: &Value) -> u64 {
    value.as_u64().unwrap_or_else(|| panic!("not a count of milliseconds: {value}"))
}

/// Confidence must be a probability, and not zero: a word was heard.
fn assert_confidence(value: &Value, what: &str) {
    let c = value.as_f64().unwrap_or_else(|| panic!("{what}: no confidence"));
    assert!(c > 0.0 && c <= 1.0, "{what}: confidence {c} is not in (0, 1]");
}

/// Segments in time order, inside the audio, each with its words.
fn assert_well_timed(segments: &[Value], audio_ms: u64) {
    assert!(!segments.is_empty(), "no segments");
    let mut last = (0, 0);
    for (i, segment) in segments.iter().enumerate() {
        let (start, end) = (ms(&segment["start_ms"]), ms(&segment["end_ms"]));
        assert!(start <= end && end <= audio_ms, "segment {i}: {start}..{end} of {audio_ms} ms");
        assert!(start >= last.0 && end >= last.1, "segment {i} is out of order: {segments:#?}");
        last = (start, end);
        let text = segment["text"].as_str().unwrap();
        assert!(!text.trim().is_empty(), "segment {i} is empty");
        assert_confidence(&segment["confidence"], &format!("segment {i}"));
        let words = segment["words"].as_array().unwrap();
        let joined: Vec<&str> = words.iter().map(|w| w["text"].as_str().unwrap()).collect();
        assert_eq!(joined.join(" "), text.split_whitespace().collect::<Vec<_>>().join(" "));
        for word in words {
            assert_confidence(&word["confidence"], &format!("segment {i}, {word}"));
        }
    }
}

fn assert_says(text: &str, phrases: &[&str]) {
    let lower = text.to_lowercase();
    for phrase in phrases {
        assert!(lower.contains(&phrase.to_lowercase()), "{phrase:?} not heard in {text:?}");
    }
}

/// What tiny.en gets right in a01 ("Visited Margaret Holt at 2 Elm Grove...").
const A01_PHRASES: [&str; 3] = ["Margaret Holt", "blood pressure", "14 March"];

/// `HH:MM:SS,mmm` (or `.mmm`) in milliseconds.
fn subtitle_time(time: &str, decimal: u8) -> u64 {
    let b = time.as_bytes();
    let well_formed = b.len() == 12
        && (b[2], b[5], b[8]) == (b':', b':', decimal)
        && b.iter().enumerate().all(|(i, c)| [2, 5, 8].contains(&i) || c.is_ascii_digit());
    assert!(well_formed, "{time:?} is not a timestamp with {:?}", decimal as char);
    let n = |range: std::ops::Range<usize>| time[range].parse::<u64>().unwrap();
    let (h, m, s, milli) = (n(0..2), n(3..5), n(6..8), n(9..12));
    assert!(m < 60 && s < 60, "{time:?}");
    ((h * 60 + m) * 60 + s) * 1000 + milli
}

/// A cue: its timing line parsed, and its text.
fn cue(timing: &str, text: &[&str], decimal: u8) -> (u64, u64, String) {
    let (start, end) =
        timing.split_once(" --> ").unwrap_or_else(|| panic!("not a timing line: {timing:?}"));
    let text = text.join("\n");
    assert!(!text.trim().is_empty(), "a cue with no text at {timing}");
    (subtitle_time(start, decimal), subtitle_time(end, decimal), text)
}

fn cues_of_srt(srt: &str) -> Vec<(u64, u64, String)> {
    assert!(srt.ends_with("\n\n"), "{srt:?}");
    srt.split_terminator("\n\n")
        .enumerate()
        .map(|(i, block)| {
            let lines: Vec<&str> = block.lines().collect();
            assert!(lines.len() >= 3, "cue {} is incomplete: {block:?}", i + 1);
            assert_eq!(lines[0], (i + 1).to_string(), "cues are numbered from 1: {srt}");
            cue(lines[1], &lines[2..], b',')
        })
        .collect()
}

fn cues_of_vtt(vtt: &str) -> Vec<(u64, u64, String)> {
    let body = vtt.strip_prefix("WEBVTT\n\n").unwrap_or_else(|| panic!("no WEBVTT header: {vtt}"));
    assert!(body.ends_with("\n\n"), "{vtt:?}");
    body.split_terminator("\n\n")
        .map(|block| {
            let lines: Vec<&str> = block.lines().collect();
            assert!(lines.len() >= 2, "cue incomplete: {block:?}");
            cue(lines[0], &lines[1..], b'.')
        })
        .collect()
}

#[test]
fn transcribe_gives_timed_confident_words_as_json_srt_and_vtt() {
    let home = Store::empty();
    let a01 = audio("a01.wav");
    let file = a01.to_str().unwrap();
    let out = json(&home, &[&["transcribe", file][..], &speech_args()].concat());
    assert_eq!(out["model"], MODEL);
    let audio_ms = ms(&out["audio_ms"]);
    let expected_ms = samples(&a01).len() as u64 * 1000 / RATE as u64;
    assert!(
        audio_ms >= expected_ms && audio_ms < expected_ms + FRAME_MS,
        "{audio_ms} ms, the clip is {expected_ms}"
    );
    assert!(ms(&out["windows"]) >= 1);
    let text = out["text"].as_str().unwrap();
    assert_says(text, &A01_PHRASES);
    let segments = out["segments"].as_array().unwrap();
    assert_well_timed(segments, audio_ms);
    let joined: Vec<&str> = segments.iter().map(|s| s["text"].as_str().unwrap()).collect();
    assert_eq!(joined.join(" "), text, "the text is the segments' text");
    assert!(out["prompt"].as_str().unwrap().contains("GP"), "the sector vocabulary steers it");

    // The same decoding, as subtitles: one cue per segment, at the segment's times.
    let expected: Vec<(u64, u64, String)> = segments
        .iter()
        .map(|s| (ms(&s["start_ms"]), ms(&s["end_ms"]), s["text"].as_str().unwrap().to_owned()))
        .collect();
    let srt = text_of_transcription(&home, file, "--srt");
    assert_eq!(cues_of_srt(&srt), expected, "{srt}");
    let vtt = text_of_transcription(&home, file, "--vtt");
    assert_eq!(cues_of_vtt(&vtt), expected, "{vtt}");
}

fn text_of_transcription(home: &Store, file: &str, format: &str) -> String {
    text(home, &[&["transcribe", file, format][..], &speech_args()].concat())
}

/// Runs `doorstep ARGS`, expecting the ordinary failure (exit code 1, one error line naming
/// the problem, no panic) with all of `expected` in the message.
fn fails(cmd: &mut Command, args: &[&str], expected: &[&str]) {
    let out = cmd.args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
    assert!(out.stdout.is_empty(), "{args:?} printed {}", String::from_utf8_lossy(&out.stdout));
    assert!(!stderr.contains("panicked"), "{args:?} panicked: {stderr}");
    assert!(stderr.starts_with("doorstep: error: "), "{args:?}: {stderr}");
    for part in expected {
        assert!(stderr.contains(part), "{args:?}: {part:?} not in {stderr:?}");
    }
}

#[test]
fn bad_audio_and_bad_models_are_named_and_exit_1() {
    let home = Store::empty();
    let dir = home.home.path();
    let a01 = audio("a01.wav");
    let good = a01.to_str().unwrap();
    let transcribe = |file: &Path, expected: &[&str]| {
        let file = file.to_str().unwrap();
        fails(
            &mut doorstep(&home),
            &[&["transcribe", file][..], &speech_args()].concat(),
            &[&[file][..], expected].concat(),
        );
    };

    let empty = dir.join("empty.wav");
    std::fs::write(&empty, b"").unwrap();
    transcribe(&empty, &["is empty"]);

    let not_audio = dir.join("minutes.wav");
    std::fs::write(&not_audio, "Minutes of the core group meeting, 3 March.\n".repeat(50)).unwrap();
    transcribe(&not_audio, &["is not a supported audio file"]);

    // Cut in half: the header still promises the whole clip.
    let whole = std::fs::read(&a01).unwrap();
    let half = dir.join("half.wav");
    std::fs::write(&half, &whole[..whole.len() / 2]).unwrap();
    transcribe(&half, &["is truncated", "its header promises"]);

    transcribe(&dir.join("no-such-clip.wav"), &["cannot read", "No such file"]);

    // A file that exists but is not a model.
    let fake = dir.join("ggml-fake.bin");
    std::fs::write(&fake, vec![0x5a; 64 * 1024]).unwrap();
    let fake = fake.to_str().unwrap();
    fails(
        &mut doorstep(&home),
        &["transcribe", good, "--model", fake, "--threads", THREADS],
        &[fake, "is not a Whisper model"],
    );

    fails(
        &mut doorstep(&home),
        &["transcribe", good, "--model", "no-such-model", "--threads", THREADS],
        &["no model named \"no-such-model\"", "known models: ", "tiny.en", "base"],
    );

    // A known model that is not installed, named or chosen by default, says how to get it.
    let no_models = dir.join("no-models");
    std::fs::create_dir(&no_models).unwrap();
    let mut cmd = home.cmd();
    cmd.env("DOORSTEP_MODELS_DIR", &no_models);
    fails(
        &mut cmd,
        &["transcribe", good, "--model", "tiny.en"],
        &["model tiny.en is not installed", "doorstep models download tiny.en"],
    );
    let mut cmd = home.cmd();
    fails(
        &mut cmd,
        &["--models-dir", no_models.to_str().unwrap(), "transcribe", good],
        &["is not installed", "doorstep models download "],
    );
}

/// Decrypts a sealed recording the way the app will, with the store's key.
fn read_back(store: &Store, file: &str) -> Vec<f32> {
    let passphrase = Passphrase::new(PASSPHRASE.into()).unwrap();
    let unlocked = DataDir::new(store.dir()).unlock(&passphrase).unwrap();
    read_recording(&unlocked.files_dir().join(file), &unlocked.file_key()).unwrap()
}

/// Files left under files/recordings by an ingest that did not finish.
fn leftovers(store: &Store) -> Vec<PathBuf> {
    store
        .files()
        .into_iter()
        .map(|(path, _)| path)
        .filter(|p| p.extension().is_some_and(|e| e == "part"))
        .collect()
}

#[test]
fn ingest_keeps_a_sealed_draft_voice_note_with_timed_segments() {
    let store = store_with_subject();
    let a01 = audio("a01.wav");
    let report = ingest(&store, &a01);
    assert_eq!(report["subject"], SUBJECT);
    assert_eq!(report["resumed_windows"], 0);
    assert_eq!(report["windows"], 1, "{report:#}");
    let clip = samples(&a01);
    let audio_ms = ms(&report["audio_ms"]);
    assert_eq!(audio_ms, clip.len() as u64 * 1000 / RATE as u64);
    assert!(report["words"].as_u64().unwrap() > 40, "{report:#}");

    let id = report["note"].as_str().unwrap();
    let note = json(&store, &["note", "show", id]);
    assert_eq!(note["id"], id);
    assert_eq!(note["source"], "voice");
    assert_eq!(note["status"], "draft");
    let person = json(&store, &["person", "show", SUBJECT]);
    assert_eq!(note["subject"], person["id"]);
    let text = note["text"].as_str().unwrap();
    assert_says(text, &A01_PHRASES);
    assert_eq!(text.split_whitespace().count() as u64, report["words"].as_u64().unwrap());
    let segments = note["segments"].as_array().unwrap();
    assert!(!segments.is_empty());
    let chars: Vec<char> = text.chars().collect();
    let mut last = (0, 0);
    for (i, segment) in segments.iter().enumerate() {
        assert_eq!(segment["index"], i);
        let (start, end) = (ms(&segment["start_ms"]), ms(&segment["end_ms"]));
        assert!(start <= end && end < audio_ms + FRAME_MS, "segment {i}: {start}..{end} ms");
        assert!(start >= last.0 && end >= last.1, "segments out of order: {segments:#?}");
        last = (start, end);
        assert_confidence(&segment["confidence"], &format!("segment {i}"));
        // Its span is where its words are in the note's text.
        let span = &segment["span"];
        let (from, to) = (span["start"].as_u64().unwrap(), span["end"].as_u64().unwrap());
        assert!(from < to && to as usize <= chars.len(), "segment {i}: span {span}");
        let spanned: String = chars[from as usize..to as usize].iter().collect();
        assert_eq!(spanned, segment["text"].as_str().unwrap(), "segment {i}");
    }

    let recordings = json(&store, &["record", "list"]);
    let recordings = recordings.as_array().unwrap();
    assert_eq!(recordings.len(), 1, "{recordings:#?}");
    let recording = &recordings[0];
    assert_eq!(recording["id"], report["recording"]);
    assert_eq!(recording["note"], id);
    assert_eq!(recording["state"], "finished");
    assert_eq!(recording["duration_ms"], audio_ms);
    let file = recording["file"].as_str().unwrap();
    let sealed = std::fs::read(store.dir().join("files").join(file)).unwrap();
    assert!(leftovers(&store).is_empty(), "{:?}", leftovers(&store));

    // The sealed audio is the clip, sample for sample, and only in sealed form on disk.
    let heard = read_back(&store, file);
    assert_eq!(heard.len(), clip.len());
    let worst = heard.iter().zip(&clip).map(|(&h, &c)| (h - f32::from(c) / 32768.0).abs());
    let worst = worst.fold(0.0, f32::max);
    assert!(worst <= 1.5 / 32768.0, "the sealed audio differs from the clip by {worst}");
    let plain: Vec<u8> = clip[RATE..RATE + 16].iter().flat_map(|s| s.to_le_bytes()).collect();
    assert!(!contains(&sealed, &plain), "plain audio in the sealed recording");

    // Nothing said is on disk in plain text: each sentence of the transcript is a canary.
    let sentences: Vec<&str> =
        text.split(['.', ',']).map(str::trim).filter(|s| s.len() >= 12).collect();
    assert!(sentences.len() >= 3, "{text:?}");
    for (path, bytes) in store.files() {
        for secret in sentences.iter().copied().chain([SUBJECT, "blood pressure"]) {
            assert!(
                !contains(&bytes, secret.as_bytes()),
                "{secret:?} in plain text in {}",
                path.display()
            );
        }
    }
}

/// a01, a03 and a05, each followed by 3 s of silence: three visits, a window each.
fn three_visits(dir: &Path) -> PathBuf {
    let mut all = Vec::new();
    for clip in ["a01.wav", "a03.wav", "a05.wav"] {
        all.extend(samples(&audio(clip)));
        all.extend(std::iter::repeat_n(0i16, 3 * RATE));
    }
    let path = dir.join("three-visits.wav");
    write_wav(&path, &all);
    path
}

/// The length of the store's write-ahead log, once there is one. SQLite appends each committed
/// transaction to it: an ingest grows it once when it opens its transcription job, then once
/// as each window is checkpointed (the log is folded back only when the last connection
/// closes).
fn wal_len(store: &Store) -> Option<u64> {
    std::fs::metadata(store.dir().join("doorstep.db-wal")).ok().map(|m| m.len())
}

/// Starts ingesting `wav` into `store` and kills it (SIGKILL: no handler runs) half way through
/// its second window: it waits for the job to be opened (the log grows, then stays still),
/// then for the first window to be checkpointed (it grows again), then half as long again.
/// Returns how long the first window took.
fn ingest_killed_after_first_window(store: &Store, wav: &Path) -> Duration {
    const STILL: Duration = Duration::from_millis(300);
    let mut child = background(store)
        .args(["--json", "ingest", wav.to_str().unwrap(), "--subject", SUBJECT])
        .args(speech_args())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(600);
    let (mut len, mut changed) = (wal_len(store), Instant::now());
    let mut opened: Option<(u64, Instant)> = None;
    let first_window = loop {
        assert!(child.try_wait().unwrap().is_none(), "the ingest ended before it was killed");
        assert!(Instant::now() < deadline, "no window was checkpointed: log at {len:?}");
        std::thread::sleep(Duration::from_millis(2));
        let now = wal_len(store);
        if now != len {
            (len, changed) = (now, Instant::now());
            match (opened, now) {
                (Some((at_open, since)), Some(now)) if now > at_open => break since.elapsed(),
                _ => {}
            }
        } else if opened.is_none() && len.is_some_and(|l| l > 0) && changed.elapsed() > STILL {
            opened = Some((len.unwrap(), changed));
        }
    };
    std::thread::sleep(first_window / 2);
    assert!(child.try_wait().unwrap().is_none(), "the ingest ended before it was killed");
    child.kill().unwrap();
    child.wait().unwrap();
    first_window
}

#[test]
fn ingest_killed_mid_transcription_resumes_at_the_window_it_was_on() {
    let work = tempfile::tempdir().unwrap();
    let wav = three_visits(work.path());

    let whole = store_with_subject();
    let uninterrupted = ingest(&whole, &wav);
    let windows = uninterrupted["windows"].as_u64().unwrap();
    assert!(windows >= 3, "the file must need a window per visit: {uninterrupted:#}");
    assert_eq!(uninterrupted["resumed_windows"], 0);
    let expected = json(&whole, &["note", "show", uninterrupted["note"].as_str().unwrap()]);
    let expected_text = expected["text"].as_str().unwrap();
    assert_says(expected_text, &["Margaret", "blood pressure", "hardship fund", "Robert Singh"]);

    let store = store_with_subject();
    let first_window = ingest_killed_after_first_window(&store, &wav);
    // A crash leaves the job to resume, and neither a note nor a recording.
    assert_eq!(store.note_count(), 0);
    assert_eq!(store.json(&["record", "list"]), serde_json::json!([]));

    let resumed = ingest(&store, &wav);
    let resumed_windows = resumed["resumed_windows"].as_u64().unwrap();
    eprintln!(
        "killed {:?} into the second window: {resumed_windows} of {windows} windows resumed, {} \
         transcribed again",
        first_window / 2,
        resumed["windows"]
    );
    // The kill came after the first window's checkpoint was committed: if it is not reused,
    // either resuming is broken or the ingest now writes before opening its job (see wal_len).
    assert!(resumed_windows >= 1, "nothing was resumed: {resumed:#}");
    assert!(resumed_windows < windows, "the kill came after the last window: {resumed:#}");
    assert_eq!(resumed_windows + resumed["windows"].as_u64().unwrap(), windows, "{resumed:#}");
    assert_eq!(resumed["audio_ms"], uninterrupted["audio_ms"]);
    let note = json(&store, &["note", "show", resumed["note"].as_str().unwrap()]);
    assert_eq!(note["text"], expected_text, "the resumed note differs from the uninterrupted one");
    assert_eq!(note["segments"], expected["segments"]);
    assert_eq!(store.note_count(), 1, "one note, not one per run");
    let recordings = store.json(&["record", "list"]);
    assert_eq!(recordings.as_array().unwrap().len(), 1, "{recordings:#}");
    assert_eq!(recordings[0]["note"], note["id"]);
    assert_eq!(recordings[0]["duration_ms"], resumed["audio_ms"]);
    assert!(leftovers(&store).is_empty(), "{:?}", leftovers(&store));
}

// `record --subject` through PulseAudio, as tests/cli/record.rs does it (its helpers are
// private to it, so the few needed are repeated here).

const PAPLAY_RAW: [&str; 4] = ["--raw", "--format=s16le", "--rate=16000", "--channels=1"];

/// A running PulseAudio server.
struct Pulse {
    /// Its socket, given to `doorstep` as PULSE_SERVER: the tests run it with a private HOME.
    server: String,
}

fn pactl(args: &[&str]) -> Option<String> {
    let out = std::process::Command::new("pactl").args(args).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// PulseAudio, started if need be; `None` (and a message saying the test is skipped) only when it
/// cannot be started.
fn pulse() -> Option<Pulse> {
    let mut info = pactl(&["info"]);
    if info.is_none() {
        let started = std::process::Command::new("pulseaudio")
            .args(["-D", "--exit-idle-time=-1"])
            .stderr(Stdio::null())
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while info.is_none() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(100));
            info = pactl(&["info"]);
        }
        if info.is_none() {
            eprintln!(
                "SKIPPED: PulseAudio is not running and cannot be started ({started:?}); \
                 install pulseaudio and pulseaudio-utils (scripts/test.sh does)"
            );
            return None;
        }
    }
    let server = info?.lines().find_map(|l| l.strip_prefix("Server String: ").map(str::to_owned));
    Some(Pulse { server: server.unwrap_or_else(|| panic!("pactl info names no server")) })
}

/// A null sink of this test's own, unloaded when dropped; its monitor is what `doorstep` hears.
struct Sink {
    name: String,
    module: String,
    /// Plays silence into the sink throughout: an idle null sink renders in blocks of up to two
    /// seconds, and a recorder joining its monitor then would hear nothing for that long.
    keep_alive: Child,
}

impl Sink {
    fn new(test: &str) -> Self {
        let name = format!("doorstep_{test}_{}", std::process::id());
        let module = pactl(&[
            "load-module",
            "module-null-sink",
            &format!("sink_name={name}"),
            "format=s16le",
            "rate=16000",
            "channels=1",
        ])
        .unwrap_or_else(|| panic!("pactl load-module module-null-sink failed"))
        .trim()
        .to_owned();
        let keep_alive = std::process::Command::new("paplay")
            .args(PAPLAY_RAW)
            .args(["--latency-msec=20", &format!("--device={name}")])
            .arg("/dev/zero")
            .spawn()
            .unwrap_or_else(|e| panic!("paplay: {e}"));
        let running = |sinks: String| {
            sinks.lines().any(|l| l.split('\t').nth(1) == Some(&name) && l.ends_with("RUNNING"))
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while !pactl(&["list", "short", "sinks"]).is_some_and(running) {
            assert!(Instant::now() < deadline, "the null sink {name} never started running");
            std::thread::sleep(Duration::from_millis(50));
        }
        // The block the sink was rendering when the silence started can last two seconds more.
        std::thread::sleep(Duration::from_millis(2_500));
        Self { name, module, keep_alive }
    }

    /// Starts playing `samples` (16 kHz mono) into the sink.
    fn play(&self, samples: &[i16]) -> Child {
        let mut paplay = std::process::Command::new("paplay")
            .args(PAPLAY_RAW)
            .args(["--latency-msec=250", &format!("--device={}", self.name)])
            .stdin(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("paplay: {e}"));
        let bytes: Vec<u8> = samples.iter().flat_map(|s| s.to_le_bytes()).collect();
        let mut stdin = paplay.stdin.take().unwrap();
        std::thread::spawn(move || {
            let _ = stdin.write_all(&bytes);
        });
        paplay
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.keep_alive.kill();
        let _ = self.keep_alive.wait();
        let _ = pactl(&["unload-module", &self.module]);
    }
}

fn stderr_lines(stderr: ChildStderr) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// Starts `doorstep --json record ARGS` hearing `sink`'s monitor and returns once it says it is
/// recording.
fn start_recording(
    store: &Store,
    pulse: &Pulse,
    sink: &Sink,
    args: &[&str],
) -> (Child, mpsc::Receiver<String>) {
    let mut child = background(store)
        .env("PULSE_SERVER", &pulse.server)
        .env("PULSE_SOURCE", format!("{}.monitor", sink.name))
        .args(["--json", "record"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let lines = stderr_lines(child.stderr.take().unwrap());
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        match lines.recv_timeout(Duration::from_millis(100)) {
            Ok(line) if line.starts_with("Recording ") => return (child, lines),
            Ok(line) => eprintln!("doorstep: {line}"),
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                let out = child.wait_with_output().unwrap();
                panic!("doorstep record exited before recording: {:?}", out.status);
            }
        }
        assert!(Instant::now() < deadline, "doorstep record never started recording");
    }
}

#[test]
fn recording_with_a_subject_transcribes_while_recording() {
    let Some(pulse) = pulse() else { return };
    let sink = Sink::new("speech");
    let store = store_with_subject();
    let clip = samples(&audio("a01.wav"));
    let args = [&["--seconds", "35", "--subject", SUBJECT][..], &speech_args()].concat();
    let (child, lines) = start_recording(&store, &pulse, &sink, &args);
    std::thread::sleep(Duration::from_millis(700));
    let mut paplay = sink.play(&clip);
    let out = child.wait_with_output().unwrap();
    let _ = paplay.wait();
    let stderr: Vec<String> = lines.try_iter().collect();
    assert!(out.status.success(), "doorstep record failed: {}", stderr.join("\n"));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();

    assert_eq!(report["recording"]["state"], "finished", "{report:#}");
    let note = &report["note"];
    assert_eq!(note["subject"], SUBJECT, "{report:#}");
    assert_says(note["text"].as_str().unwrap(), &["Margaret", "blood pressure"]);
    let ready = note["ready_after_stop_ms"].as_u64();
    eprintln!("record --subject: transcript ready {ready:?} ms after stop");
    assert!(ready.is_some(), "{report:#}");

    let kept = json(&store, &["note", "show", note["id"].as_str().unwrap()]);
    assert_eq!(kept["source"], "voice");
    assert_eq!(kept["text"], note["text"]);
    let recordings = json(&store, &["record", "list"]);
    assert_eq!(recordings[0]["id"], report["recording"]["id"]);
    assert_eq!(recordings[0]["note"], note["id"]);
}

#[test]
fn bench_live_reports_how_soon_the_transcript_is_ready() {
    let home = Store::empty();
    let a01 = audio("a01.wav");
    let args = [&["bench", "live", a01.to_str().unwrap(), "--speed", "4"][..], &speech_args()];
    let report = json(&home, &args.concat());
    let ready = report["ready_after_stop_ms"].as_u64();
    eprintln!("bench live at 4x: transcript ready {ready:?} ms after the audio stopped");
    assert!(ready.is_some(), "{report:#}");
    assert!(report["words"].as_u64().unwrap() > 40, "{report:#}");
    assert_eq!(report["model"], MODEL);
    assert_eq!(report["threads"], 1);
    assert!(ms(&report["audio_ms"]).abs_diff(24_500) < 100, "{report:#}");
}
