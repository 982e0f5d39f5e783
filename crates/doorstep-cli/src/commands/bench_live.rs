//! `doorstep bench live`: how soon the transcript is ready after a recording stops.
//!
//! Plays a file into the live transcriber at the pace it would be spoken (or faster, with
//! `--speed`), as the recorder would hand it over, then measures from the end of the audio to
//! the finished transcript. Also reports whether transcription kept up while "recording".

use std::path::Path;
use std::time::{Duration, Instant};

use doorstep_speech::audio::{AudioStream, SAMPLE_RATE, samples_to_ms};
use doorstep_speech::transcribe::LiveTranscriber;
use serde::Serialize;

use super::Context;
use super::transcribe::{decode_options, load_engine};
use crate::cli::SpeechArgs;

#[derive(Serialize)]
struct LiveBench {
    model: String,
    threads: usize,
    speed: f32,
    audio_ms: u64,
    words: usize,
    windows: usize,
    /// From the end of the audio to the transcript being ready.
    ready_after_stop_ms: u64,
    peak_rss_mib: f64,
}

pub fn live(cx: &Context, file: &Path, speech: &SpeechArgs, speed: f32) -> anyhow::Result<()> {
    let mut stream = AudioStream::open(file)?;
    let engine = load_engine(cx, speech.model.as_deref())?;
    let options = decode_options(&engine, speech, Vec::new())?;
    let threads = options.threads;
    let (transcriber, feed) = LiveTranscriber::start(engine.clone(), options, None);
    let started = Instant::now();
    let mut fed = 0usize;
    let chunk = SAMPLE_RATE as usize / 10;
    while let Some(decoded) = stream.next_chunk()? {
        for piece in decoded.chunks(chunk) {
            fed += piece.len();
            let due =
                Duration::from_secs_f64(fed as f64 / f64::from(SAMPLE_RATE) / f64::from(speed));
            if let Some(wait) = due.checked_sub(started.elapsed()) {
                std::thread::sleep(wait);
            }
            feed.send(piece);
        }
    }
    drop(feed);
    let stopped = Instant::now();
    let transcript = transcriber.finish()?;
    let report = LiveBench {
        model: engine.info().name.clone(),
        threads,
        speed,
        audio_ms: samples_to_ms(fed),
        words: transcript.text.split_whitespace().count(),
        windows: transcript.windows,
        ready_after_stop_ms: stopped.elapsed().as_millis() as u64,
        peak_rss_mib: super::bench::peak_rss_mib(),
    };
    if cx.out.json {
        return cx.out.json(&report);
    }
    cx.out.text(&format!(
        "{:.1} min of audio at {}x speed, {} ({} threads): {} windows, {} words; transcript ready \
         {:.2} s after the audio stopped; peak memory {:.0} MiB",
        report.audio_ms as f64 / 60_000.0,
        speed,
        report.model,
        threads,
        report.windows,
        report.words,
        report.ready_after_stop_ms as f64 / 1000.0,
        report.peak_rss_mib,
    ))
}
