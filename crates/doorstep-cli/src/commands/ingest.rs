//! `doorstep ingest`: an audio file becomes a draft voice note about a person, its transcript
//! checkpointed in the store as it goes and its audio sealed beside the database.

use std::path::Path;
use std::time::Instant;

use anyhow::Context as _;
use doorstep_app::voice::{VoiceJob, file_hash, ingest_stream};
use doorstep_speech::audio::AudioStream;
use serde::Serialize;

use super::Context;
use super::transcribe::{decode_options, load_engine, progress_bar};
use crate::cli::SpeechArgs;

#[derive(Serialize)]
struct Ingested {
    note: String,
    subject: String,
    recording: String,
    audio_ms: u64,
    words: usize,
    windows: usize,
    resumed_windows: usize,
    elapsed_ms: u64,
}

pub fn ingest(cx: &Context, file: &Path, subject: &str, speech: &SpeechArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let stream = AudioStream::open(file)?;
    let mut unlocked = cx.unlock()?;
    let person = unlocked.store.find_person(subject)?;
    let case = unlocked.store.case_vocabulary(person.id)?;
    let engine = load_engine(cx, speech.model.as_deref())?;
    let mut case_words = case.names;
    case_words.extend(case.services);
    let options = decode_options(&engine, speech, case_words)?;

    let audio_hash = file_hash(file)?;
    let (bar, progress) = progress_bar(cx);
    let job = VoiceJob::new(&mut unlocked, engine, options, Some(progress));
    let what = file.display().to_string();
    let made = ingest_stream(job, stream, audio_hash, person.id, &what)
        .with_context(|| format!("transcribing {what}"))?;
    bar.finish_and_clear();
    let (note, transcript, audio_ms) = (made.note, made.transcript, made.audio_ms);
    let recording = made.recording;
    let report = Ingested {
        note: note.id.to_string(),
        subject: person.name,
        recording: recording.to_string(),
        audio_ms,
        words: transcript.text.split_whitespace().count(),
        windows: transcript.windows,
        resumed_windows: transcript.resumed_windows,
        elapsed_ms: started.elapsed().as_millis() as u64,
    };
    if cx.out.json {
        return cx.out.json(&report);
    }
    let resumed = match report.resumed_windows {
        0 => String::new(),
        n => format!(", {n} windows resumed from an interrupted run"),
    };
    cx.out.text(&format!(
        "Voice note {} about {}: {} words from {:.1} s of audio{resumed}\n\n{}",
        report.note,
        report.subject,
        report.words,
        audio_ms as f64 / 1000.0,
        note.text
    ))
}
