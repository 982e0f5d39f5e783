//! `doorstep record` capturing real audio, not a mock: each test loads a PulseAudio null sink,
//! points the recorder's default source at the sink's monitor, plays a clip of the evaluation
//! corpus into the sink while recording, then decrypts the recording and finds the clip in it.
//! The default source is set per process (PULSE_SOURCE) rather than server-wide with `pactl
//! set-default-source`, so tests running at once each hear only their own sink.
//!
//! cpal's ALSA host reaches PulseAudio through libasound2-plugins' `default` device. The tests
//! start PulseAudio if it is not running (scripts/test.sh does too, so CI always runs them) and
//! skip, saying why, only when it cannot be started at all.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use doorstep_core::DataDir;
use doorstep_core::keys::Passphrase;
use doorstep_speech::record::read_recording;
use serde_json::Value;

use crate::common::{PASSPHRASE, Store, contains, eval_notes};

const RATE: usize = 16_000;
const PAPLAY_RAW: [&str; 4] = ["--raw", "--format=s16le", "--rate=16000", "--channels=1"];

/// A running PulseAudio server.
struct Pulse {
    /// Its socket, given to `doorstep` as PULSE_SERVER: the tests run it with a private HOME.
    server: String,
}

fn pactl(args: &[&str]) -> Option<String> {
    let out = Command::new("pactl").args(args).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// PulseAudio, started if need be; `None` (and a message saying the test is skipped) only when it
/// cannot be started.
fn pulse() -> Option<Pulse> {
    let mut info = pactl(&["info"]);
    if info.is_none() {
        let started = Command::new("pulseaudio")
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
                "SKIPPED: PulseAudio is not running and cannot be started ({}); \
                 install pulseaudio and pulseaudio-utils (scripts/test.sh does)",
                match started {
                    Ok(status) => format!("pulseaudio -D exited with {status}"),
                    Err(e) => format!("pulseaudio: {e}"),
                }
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
        // At the clip's rate, so what `doorstep` hears is what was played, unresampled.
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
        let keep_alive = Command::new("paplay")
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

    fn monitor(&self) -> String {
        format!("{}.monitor", self.name)
    }

    /// Starts playing `samples` (16 kHz mono) into the sink.
    fn play(&self, samples: &[i16]) -> Child {
        // A generous buffer: an underrun would put gaps in the clip that are not the recorder's.
        let mut paplay = Command::new("paplay")
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

/// `doorstep` on `store`, hearing `sink`'s monitor as its default source.
fn doorstep(store: &Store, pulse: &Pulse, sink: &Sink) -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("doorstep"));
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", store.home.path())
        .env("DOORSTEP_DATA_DIR", store.dir())
        .env("DOORSTEP_PASSPHRASE", PASSPHRASE)
        .env("PULSE_SERVER", &pulse.server)
        .env("PULSE_SOURCE", sink.monitor());
    cmd
}

/// Starts `doorstep record ARGS` and returns once it says it is recording (capture has started),
/// with the moment it said so.
fn start_recording(cmd: &mut Command, args: &[&str]) -> (Child, Instant, mpsc::Receiver<String>) {
    let mut child = cmd
        .args(["--json", "record"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let lines = stderr_lines(child.stderr.take().unwrap());
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        match lines.recv_timeout(Duration::from_millis(100)) {
            Ok(line) if line.starts_with("Recording ") => return (child, Instant::now(), lines),
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

fn finish(child: Child, lines: &mpsc::Receiver<String>) -> Value {
    let out = child.wait_with_output().unwrap();
    let stderr: Vec<String> = lines.try_iter().collect();
    assert!(out.status.success(), "doorstep record failed: {}", stderr.join("\n"));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The first `seconds` of an evaluation clip (16 kHz mono s16 WAV).
fn clip(name: &str, seconds: f32) -> Vec<i16> {
    let path = eval_notes().with_file_name("audio").join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(&bytes[..4], b"RIFF");
    let mut at = 12;
    let mut data = None;
    while at + 8 <= bytes.len() {
        let id = &bytes[at..at + 4];
        let len = u32::from_le_bytes(bytes[at + 4..at + 8].try_into().unwrap()) as usize;
        let body = &bytes[at + 8..(at + 8 + len).min(bytes.len())];
        if id == b"fmt " {
            let channels = u16::from_le_bytes([body[2], body[3]]);
            let rate = u32::from_le_bytes(body[4..8].try_into().unwrap());
            let bits = u16::from_le_bytes([body[14], body[15]]);
            assert_eq!((channels, rate, bits), (1, 16_000, 16), "{}", path.display());
        } else if id == b"data" {
            data = Some(body);
        }
        at += 8 + len + (len & 1);
    }
    let samples: Vec<i16> =
        data.unwrap().chunks_exact(2).map(|p| i16::from_le_bytes([p[0], p[1]])).collect();
    samples[..((seconds * RATE as f32) as usize).min(samples.len())].to_vec()
}

/// Decrypts a recording the way the app will, with the store's key.
fn read_back(store: &Store, recording: &Value) -> Vec<f32> {
    let passphrase = Passphrase::new(PASSPHRASE.into()).unwrap();
    let unlocked = DataDir::new(store.dir()).unlock(&passphrase).unwrap();
    let path: PathBuf = unlocked.files_dir().join(recording["file"].as_str().unwrap());
    read_recording(&path, &unlocked.file_key()).unwrap()
}

fn rms_dbfs(samples: &[f32]) -> f32 {
    let mean = samples.iter().map(|&s| f64::from(s) * f64::from(s)).sum::<f64>()
        / samples.len().max(1) as f64;
    (10.0 * mean.max(1e-12).log10()) as f32
}

fn pearson(a: &[f32], b: &[f32]) -> f32 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mean = |x: &[f32]| x.iter().map(|&v| f64::from(v)).sum::<f64>() / n as f64;
    let (ma, mb) = (mean(a), mean(b));
    let (mut ab, mut aa, mut bb) = (0.0, 0.0, 0.0);
    for (&x, &y) in a.iter().zip(b) {
        let (x, y) = (f64::from(x) - ma, f64::from(y) - mb);
        ab += x * y;
        aa += x * x;
        bb += y * y;
    }
    (ab / (aa * bb).sqrt().max(1e-12)) as f32
}

/// 10 ms RMS envelope.
fn envelope(samples: &[f32]) -> Vec<f32> {
    let hop = RATE / 100;
    samples
        .chunks(hop)
        .map(|c| (c.iter().map(|s| s * s).sum::<f32>() / hop as f32).sqrt())
        .collect()
}

/// A 4-sample moving average: a low-pass (first null at 4 kHz) that keeps speech and drops the
/// top octave, where resamplers legitimately differ.
fn low_pass(samples: &[f32]) -> Vec<f32> {
    samples.windows(4).map(|w| w.iter().sum::<f32>() / 4.0).collect()
}

/// Finds the clip in the recording: the envelopes place it to 10 ms, then each second of the
/// clip is matched sample by sample (within 20 ms of where the last one was found, since a
/// stream can slip). Returns where the clip starts and each second's correlation.
fn find_clip(recording: &[f32], clip: &[f32]) -> (usize, Vec<f32>) {
    let (rec_env, clip_env) = (envelope(recording), envelope(clip));
    let min_overlap = 100;
    assert!(rec_env.len() >= min_overlap, "recording too short: {} samples", recording.len());
    let (coarse, _) = (0..=rec_env.len() - min_overlap)
        .map(|lag| (lag, pearson(&clip_env, &rec_env[lag..])))
        .fold((0, f32::MIN), |best, this| if this.1 > best.1 { this } else { best });
    let (recording, clip) = (low_pass(recording), low_pass(clip));
    let mut expected = coarse * (RATE / 100);
    let mut start = None;
    let mut seconds = Vec::new();
    for (k, second) in clip.chunks_exact(RATE).enumerate() {
        let best = (expected.saturating_sub(320)..=expected + 320)
            .filter(|&at| at + RATE <= recording.len())
            .map(|at| (at, pearson(second, &recording[at..at + RATE])))
            .fold(None, |best: Option<(usize, f32)>, this| match best {
                Some(b) if b.1 >= this.1 => Some(b),
                _ => Some(this),
            });
        let Some((at, r)) = best else { break };
        start.get_or_insert_with(|| at.saturating_sub(k * RATE));
        seconds.push(r);
        expected = at + RATE;
    }
    (start.unwrap_or(expected), seconds)
}

fn as_f32(samples: &[i16]) -> Vec<f32> {
    samples.iter().map(|&s| f32::from(s) / 32768.0).collect()
}

/// Records 6 s while 4.5 s of a clip plays from 0.7 s in, and checks the clip is in the recording,
/// sample for sample, at the level it was played.
fn record_a_clip(test: &str, extra_args: &[&str]) {
    let Some(pulse) = pulse() else { return };
    let sink = Sink::new(test);
    let store = Store::new();
    let clip = clip("a01.wav", 4.5);
    let (child, started, lines) = start_recording(
        &mut doorstep(&store, &pulse, &sink),
        &[&["--seconds", "6"], extra_args].concat(),
    );
    std::thread::sleep(Duration::from_millis(700));
    let mut paplay = sink.play(&clip);
    let report = finish(child, &lines);
    let _ = paplay.wait();
    let recording = &report["recording"];
    assert_eq!(recording["state"], "finished", "{report:#}");
    let duration_ms = recording["duration_ms"].as_u64().unwrap();
    assert!(
        (5_500..=6_300).contains(&duration_ms),
        "6 s asked for, {duration_ms} ms recorded ({:?} wall clock)",
        started.elapsed()
    );
    assert_eq!(report["dropped_ms"], 0);

    let audio = read_back(&store, recording);
    let expected = duration_ms as usize * RATE / 1000;
    assert!(audio.len().abs_diff(expected) < RATE / 1000, "{} samples", audio.len());
    let clip = as_f32(&clip);
    let (offset, seconds) = find_clip(&audio, &clip);
    assert_eq!(seconds.len(), 4, "every second of the clip is in the recording: {seconds:?}");
    assert!(seconds.iter().all(|&r| r > 0.9), "the clip is not in the recording: r = {seconds:?}");
    assert!(offset >= RATE / 4, "the clip started {offset} samples in, before it was played");
    let heard = &audio[offset..(offset + clip.len()).min(audio.len())];
    let (heard_db, clip_db) = (rms_dbfs(heard), rms_dbfs(&clip[..heard.len()]));
    assert!(heard_db > -40.0, "the clip is far above silence: {heard_db} dBFS");
    assert!((heard_db - clip_db).abs() < 3.0, "heard at {heard_db} dBFS, played at {clip_db}");
    assert!(rms_dbfs(&audio[..RATE / 4]) < -70.0, "silence before the clip stays silent");
    // What was said is on disk only encrypted: unsealed, the frames hold exactly these samples.
    let sealed =
        std::fs::read(store.dir().join("files").join(recording["file"].as_str().unwrap())).unwrap();
    let spoken: Vec<u8> = audio[offset + RATE..offset + RATE + 16]
        .iter()
        .flat_map(|&s| ((s * 32768.0) as i16).to_le_bytes())
        .collect();
    assert!(!contains(&sealed, &spoken), "plain audio in the recording's file");
    eprintln!("{test}: {duration_ms} ms, clip at {offset} samples, r = {seconds:?}");
}

#[test]
fn a_recording_holds_the_audio_played_into_the_microphone() {
    record_a_clip("capture", &[]);
}

#[test]
fn audio_in_the_devices_own_format_is_converted_to_16k_mono() {
    record_a_clip("device_format", &["--device-format"]);
}

#[test]
fn a_recording_killed_mid_sentence_is_recovered_up_to_the_last_second() {
    let Some(pulse) = pulse() else { return };
    let sink = Sink::new("kill");
    let store = Store::new();
    let clip = clip("a01.wav", 8.0);
    let (mut child, started, _lines) = start_recording(&mut doorstep(&store, &pulse, &sink), &[]);
    // The clip starts a little after capture, so all of it lies inside the recording.
    std::thread::sleep(Duration::from_millis(200));
    let mut paplay = sink.play(&clip);
    std::thread::sleep(Duration::from_millis(4_300));
    child.kill().unwrap(); // SIGKILL: no handler runs, nothing is flushed
    let killed_after = started.elapsed();
    child.wait().unwrap();
    let _ = paplay.kill();
    let _ = paplay.wait();

    let listed = store.json(&["record", "list"]);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["state"], "recording", "{listed:#}");
    let id = listed[0]["id"].as_str().unwrap().to_owned();

    let (next, _, lines) =
        start_recording(&mut doorstep(&store, &pulse, &sink), &["--seconds", "1"]);
    let report = finish(next, &lines);
    let recovered = &report["recovered"];
    assert_eq!(recovered.as_array().unwrap().len(), 1, "{report:#}");
    assert_eq!(recovered[0]["id"], id.as_str());
    assert_eq!(recovered[0]["state"], "recovered");
    let recovered_ms = recovered[0]["duration_ms"].as_u64().unwrap();
    let killed_ms = killed_after.as_millis() as u64;
    assert!(
        recovered_ms + 1_600 >= killed_ms && recovered_ms <= killed_ms,
        "killed after {killed_ms} ms, {recovered_ms} ms recovered"
    );
    assert_eq!(report["recording"]["state"], "finished");

    // The recovered file is whole again and holds what was said before the kill.
    let audio = read_back(&store, &recovered[0]);
    assert_eq!(audio.len(), recovered_ms as usize * RATE / 1000);
    let clip = as_f32(&clip);
    let (offset, seconds) = find_clip(&audio, &clip);
    assert!(offset < RATE, "the clip started {offset} samples in");
    let whole_seconds = (audio.len() - offset) / RATE;
    assert!(seconds.len() >= whole_seconds, "every whole second was kept: {seconds:?}");
    assert!(
        seconds.iter().all(|&r| r > 0.9),
        "the clip is not in the recovered audio: {seconds:?}"
    );
    assert!(rms_dbfs(&audio[offset..]) > -40.0);
    eprintln!("killed after {killed_ms} ms, {recovered_ms} ms recovered, r = {seconds:?}");

    let listed = store.json(&["record", "list"]);
    let states: Vec<&str> =
        listed.as_array().unwrap().iter().map(|r| r["state"].as_str().unwrap()).collect();
    assert_eq!(states, ["finished", "recovered"]);
    assert!(Path::new(&store.dir()).join("files/recordings").is_dir());
}

#[test]
fn sigint_and_sigterm_finish_the_recording_cleanly() {
    let Some(pulse) = pulse() else { return };
    let sink = Sink::new("signal");
    let store = Store::new();
    let clip = clip("a01.wav", 3.0);
    for signal in ["-INT", "-TERM"] {
        let (child, started, lines) = start_recording(&mut doorstep(&store, &pulse, &sink), &[]);
        let mut paplay = sink.play(&clip);
        std::thread::sleep(Duration::from_millis(2_500));
        let sent = Command::new("kill").args([signal, &child.id().to_string()]).status().unwrap();
        assert!(sent.success());
        let signalled_ms = started.elapsed().as_millis() as u64;
        let report = finish(child, &lines);
        let _ = paplay.wait();
        let recording = &report["recording"];
        assert_eq!(recording["state"], "finished", "{signal}: {report:#}");
        let duration_ms = recording["duration_ms"].as_u64().unwrap();
        assert!(
            duration_ms + 500 >= signalled_ms && duration_ms <= signalled_ms + 200,
            "{signal} after {signalled_ms} ms, {duration_ms} ms recorded"
        );
        // Finished with its end marker, to the last sample: nothing waits for recovery.
        let audio = read_back(&store, recording);
        assert_eq!(audio.len(), duration_ms as usize * RATE / 1000);
        assert!(rms_dbfs(&audio) > -40.0, "{signal}: the clip was recorded");
    }
    let listed = store.json(&["record", "list"]);
    assert!(listed.as_array().unwrap().iter().all(|r| r["state"] == "finished"), "{listed:#}");
}
