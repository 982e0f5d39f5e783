//! `doorstep ingest`: an audio file becomes a draft voice note about a person, its transcript
//! checkpointed in the store as it goes and its audio sealed beside the database.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use anyhow::Context as _;
use chrono::Local;
use doorstep_core::ids::{PersonId, RecordingId, TranscriptionJobId};
use doorstep_core::model::{NewNote, Note, NoteSource};
use doorstep_core::store::{NewSegment, RECORDINGS_DIR, Store};
use doorstep_speech::audio::AudioStream;
use doorstep_speech::models::{Algorithm, digest_file};
use doorstep_speech::record::RecordingWriter;
use doorstep_speech::transcribe::job::settings_fingerprint;
use doorstep_speech::transcribe::{Job, Segment, StoreCheckpoint, Transcript};
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

/// Keeps a transcript as a draft voice note, with its recording, closing its job.
pub fn keep_voice_note(
    store: &mut Store,
    subject: PersonId,
    transcript: &Transcript,
    recording: RecordingId,
    job: Option<TranscriptionJobId>,
) -> anyhow::Result<Note> {
    let new = NewNote {
        subject,
        visit: None,
        date: Some(Local::now().date_naive()),
        service: None,
        text: transcript.text.clone(),
        source: NoteSource::Voice,
        author: store.practitioner()?.unwrap_or_else(|| "unknown".into()),
        external_id: None,
    };
    Ok(store.add_voice_note(new, &note_segments(&transcript.segments), Some(recording), job)?)
}

fn note_segments(segments: &[Segment]) -> Vec<NewSegment> {
    segments
        .iter()
        .map(|s| NewSegment {
            start_ms: s.start_ms,
            end_ms: s.end_ms,
            text: s.text.clone(),
            confidence: s.confidence,
        })
        .collect()
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

    let digest = digest_file(file, Algorithm::Sha256)
        .with_context(|| format!("reading {}", file.display()))?;
    let mut audio_hash = [0u8; 32];
    hex::decode_to_slice(&digest.hex, &mut audio_hash).context("hashing the audio")?;
    let expected_ms = stream.info().declared_ms;

    // The audio is sealed under a name of its own until the note exists; a killed run's
    // leftover for the same file is replaced.
    let files = unlocked.files_dir().to_owned();
    let key = unlocked.file_key();
    std::fs::create_dir_all(files.join(RECORDINGS_DIR))?;
    let pending = files.join(RECORDINGS_DIR).join(format!("ingest-{}.part", &digest.hex[..16]));
    if pending.exists() {
        std::fs::remove_file(&pending)?;
    }
    let mut writer = RecordingWriter::create(&pending, &key)?;

    let settings = settings_fingerprint(&engine, &options);
    let checkpoint = StoreCheckpoint::open(
        &mut unlocked.store,
        &audio_hash,
        &settings,
        expected_ms.unwrap_or(0),
    )?;
    let job_id = checkpoint.job();
    let (bar, progress) = progress_bar(cx);
    let mut job = Job::new(
        Arc::clone(&engine),
        options,
        Box::new(checkpoint),
        Arc::new(AtomicBool::new(false)),
        Some(progress),
        expected_ms,
    )?;
    let mut stream = stream;
    while let Some(chunk) = stream.next_chunk()? {
        writer.push(&chunk)?;
        job.push(&chunk)?;
    }
    let transcript = job.finish().with_context(|| format!("transcribing {}", file.display()))?;
    bar.finish_and_clear();
    let (_, samples) = writer.finish()?;
    if transcript.text.trim().is_empty() {
        std::fs::remove_file(&pending)?;
        anyhow::bail!("no speech was heard in {}; nothing was stored", file.display());
    }

    let store = &mut unlocked.store;
    let recording = store.start_recording(doorstep_speech::audio::SAMPLE_RATE)?;
    std::fs::rename(&pending, recording.path(&files))?;
    let audio_ms = doorstep_speech::audio::samples_to_ms(samples as usize);
    store.finish_recording(recording.id, audio_ms)?;
    let note = keep_voice_note(store, person.id, &transcript, recording.id, Some(job_id))?;
    let report = Ingested {
        note: note.id.to_string(),
        subject: person.name,
        recording: recording.id.to_string(),
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
