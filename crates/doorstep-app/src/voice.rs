//! Voice notes: audio, from a file or from the app's own recording, transcribed with the case's
//! vocabulary and kept as a draft for review. Transcription is checkpointed in the store, so a
//! killed app resumes where it stopped; the audio stays sealed beside the database.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use chrono::Local;
use doorstep_core::Unlocked;
use doorstep_core::ids::{PersonId, RecordingId, TranscriptionJobId};
use doorstep_core::keys::SecretKey;
use doorstep_core::model::{NewNote, Note, NoteSource};
use doorstep_core::store::{NewSegment, RECORDINGS_DIR, Store};
use doorstep_speech::audio::AudioStream;
use doorstep_speech::models::{Manifest, choose_model};
use doorstep_speech::record::{RecordingWriter, read_recording};
use doorstep_speech::transcribe::job::settings_fingerprint;
use doorstep_speech::transcribe::{
    DecodeOptions, Engine, Job, MAX_PROMPT_TOKENS, ProgressFn, Segment, StoreCheckpoint,
    Transcript, Vocabulary,
};

use crate::error::{AppError, ErrorKind};
use crate::review;
use crate::session::Session;
use crate::views::NoteDetail;

/// Keeps a transcript as a draft voice note, with its recording, closing its job.
pub fn keep_voice_note(
    store: &mut Store,
    subject: PersonId,
    transcript: &Transcript,
    recording: RecordingId,
    job: Option<TranscriptionJobId>,
) -> Result<Note, doorstep_core::Error> {
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
    store.add_voice_note(new, &note_segments(&transcript.segments), Some(recording), job)
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

/// The Whisper prompt for a case: the sector's vocabulary with the person's names, their
/// household and the people and services on their ecomap, and any `terms` asked for.
pub fn case_prompt(
    store: &Store,
    engine: &Engine,
    subject: PersonId,
    terms: Vec<String>,
) -> Result<String, AppError> {
    let case = store.case_vocabulary(subject)?;
    let vocabulary =
        Vocabulary::sector().with_names(case.names).with_names(case.services).with_names(terms);
    Ok(vocabulary.prompt(MAX_PROMPT_TOKENS, |text| engine.token_count(text))?)
}

/// What transcribing into the store needs.
pub struct VoiceJob<'a> {
    pub store: &'a mut Store,
    /// The data directory's sealed files.
    pub files: PathBuf,
    pub key: SecretKey,
    pub engine: Arc<Engine>,
    pub options: DecodeOptions,
    pub progress: Option<ProgressFn>,
}

impl<'a> VoiceJob<'a> {
    /// A job on the unlocked store, sealing audio with its file key.
    pub fn new(
        unlocked: &'a mut Unlocked,
        engine: Arc<Engine>,
        options: DecodeOptions,
        progress: Option<ProgressFn>,
    ) -> Self {
        let files = unlocked.files_dir().to_owned();
        let key = unlocked.file_key();
        Self { store: &mut unlocked.store, files, key, engine, options, progress }
    }

    /// The transcription job, checkpointed in the store under `audio_hash`, and its id.
    fn start(
        &mut self,
        audio_hash: &[u8; 32],
        expected_ms: Option<u64>,
    ) -> Result<(Job<'_>, TranscriptionJobId), AppError> {
        let settings = settings_fingerprint(&self.engine, &self.options);
        let checkpoint =
            StoreCheckpoint::open(self.store, audio_hash, &settings, expected_ms.unwrap_or(0))?;
        let id = checkpoint.job();
        let job = Job::new(
            Arc::clone(&self.engine),
            self.options.clone(),
            Box::new(checkpoint),
            Arc::new(AtomicBool::new(false)),
            self.progress.clone(),
            expected_ms,
        )?;
        Ok((job, id))
    }
}

impl std::fmt::Debug for VoiceJob<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VoiceJob").field("files", &self.files).finish_non_exhaustive()
    }
}

/// A kept voice note and how it was made.
#[derive(Debug)]
pub struct VoiceNote {
    pub note: Note,
    pub recording: RecordingId,
    pub transcript: Transcript,
    pub audio_ms: u64,
}

fn no_speech(what: &str) -> AppError {
    AppError::invalid(format!("No speech was heard in {what}; nothing was stored."))
}

/// Transcribes a decoded audio file into a draft note about `subject`, sealing its audio as a
/// recording on the way. `audio_hash` identifies the audio, so an interrupted run resumes.
pub fn ingest_stream(
    mut job: VoiceJob<'_>,
    mut stream: AudioStream,
    audio_hash: [u8; 32],
    subject: PersonId,
    what: &str,
) -> Result<VoiceNote, AppError> {
    let expected_ms = stream.info().declared_ms;
    // The audio is sealed under a name of its own until the note exists; a killed run's
    // leftover for the same file is replaced.
    let dir = job.files.join(RECORDINGS_DIR);
    std::fs::create_dir_all(&dir)?;
    let pending = dir.join(format!("ingest-{}.part", hex::encode(&audio_hash[..8])));
    if pending.exists() {
        std::fs::remove_file(&pending)?;
    }
    let mut writer = RecordingWriter::create(&pending, &job.key)?;
    let (mut transcription, job_id) = job.start(&audio_hash, expected_ms)?;
    while let Some(chunk) = stream.next_chunk()? {
        writer.push(&chunk)?;
        transcription.push(&chunk)?;
    }
    let transcript = transcription.finish()?;
    let (_, samples) = writer.finish()?;
    if transcript.text.trim().is_empty() {
        std::fs::remove_file(&pending)?;
        return Err(no_speech(what));
    }
    let store = job.store;
    let recording = store.start_recording(doorstep_speech::audio::SAMPLE_RATE)?;
    std::fs::rename(&pending, recording.path(&job.files))?;
    let audio_ms = doorstep_speech::audio::samples_to_ms(usize::try_from(samples).unwrap_or(0));
    store.finish_recording(recording.id, audio_ms)?;
    let note = keep_voice_note(store, subject, &transcript, recording.id, Some(job_id))?;
    Ok(VoiceNote { note, recording: recording.id, transcript, audio_ms })
}

/// Transcribes a finished recording made on this device into a draft note about `subject`.
pub fn transcribe_recording(
    mut job: VoiceJob<'_>,
    recording: RecordingId,
    subject: PersonId,
) -> Result<VoiceNote, AppError> {
    let row = job.store.recording(recording)?.ok_or_else(|| {
        AppError::new(ErrorKind::NotFound, format!("There is no recording {recording}."))
    })?;
    if let Some(note) = row.note {
        return Err(AppError::invalid(format!(
            "Recording {recording} is already transcribed, as note {note}."
        )));
    }
    let samples = read_recording(&row.path(&job.files), &job.key)?;
    let audio_ms = doorstep_speech::audio::samples_to_ms(samples.len());
    let mut audio_hash = [0u8; 32];
    audio_hash[..16].copy_from_slice(recording.as_uuid().as_bytes());
    let (mut transcription, job_id) = job.start(&audio_hash, Some(audio_ms))?;
    transcription.push(&samples)?;
    let transcript = transcription.finish()?;
    if transcript.text.trim().is_empty() {
        return Err(no_speech("the recording"));
    }
    let note = keep_voice_note(job.store, subject, &transcript, recording, Some(job_id))?;
    Ok(VoiceNote { note, recording, transcript, audio_ms })
}

/// Where the audio to transcribe comes from.
#[derive(Debug, Clone, Copy)]
pub enum Audio<'a> {
    File(&'a Path),
    /// A recording made in the app, by id.
    Recording(&'a str),
}

/// Transcription progress as the UI hears it.
#[derive(Debug, Clone, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", tag = "event", content = "data")]
pub enum TranscribeEvent {
    #[serde(rename_all = "camelCase")]
    Progress { done_ms: u64, total_ms: Option<u64> },
}

/// Transcribes `audio` into a draft about `subject` with the chosen model and the case's
/// vocabulary, and returns it as the Review screen shows it.
pub fn transcribe(
    session: &mut Session,
    audio: Audio<'_>,
    subject: &str,
    on_event: impl Fn(TranscribeEvent) + Send + Sync + 'static,
) -> Result<NoteDetail, AppError> {
    let stream = match audio {
        Audio::File(path) => Some(AudioStream::open(path)?),
        Audio::Recording(_) => None,
    };
    let progress: ProgressFn = Arc::new(move |p| {
        let total_ms = p
            .percent
            .filter(|&percent| percent > 0.0)
            .map(|percent| (p.done_ms as f64 * 100.0 / f64::from(percent)).round() as u64);
        on_event(TranscribeEvent::Progress { done_ms: p.done_ms, total_ms });
    });
    let model = crate::settings::chosen_model(session)?;
    let path = choose_model(
        model.as_deref(),
        session.models_dir(),
        &Manifest::builtin().map_err(internal)?,
    )
    .map_err(|e| AppError::new(ErrorKind::ModelMissing, crate::error::sentence(&e)))?;
    let engine = session.engine(&path)?;
    let unlocked = session.unlocked()?;
    let person = unlocked.store.find_person(subject)?;
    let options = DecodeOptions {
        prompt: case_prompt(&unlocked.store, &engine, person.id, Vec::new())?,
        ..DecodeOptions::default()
    };
    let job = VoiceJob::new(unlocked, engine, options, Some(progress));
    let made = match (audio, stream) {
        (Audio::File(path), Some(stream)) => {
            let hash = file_hash(path)?;
            ingest_stream(job, stream, hash, person.id, &path.display().to_string())?
        }
        (Audio::Recording(id), _) => {
            let id: RecordingId = id
                .parse()
                .map_err(|_| AppError::invalid(format!("{id:?} is not a recording id.")))?;
            transcribe_recording(job, id, person.id)?
        }
        (Audio::File(_), None) => return Err(internal("no audio stream")),
    };
    review::note(session, &made.note.id.to_string())
}

fn internal(e: impl std::fmt::Display) -> AppError {
    AppError::new(ErrorKind::Internal, crate::error::sentence(e))
}

/// The SHA-256 of a file, identifying its audio for resuming.
pub fn file_hash(path: &Path) -> Result<[u8; 32], AppError> {
    use doorstep_speech::models::{Algorithm, digest_file};
    let digest = digest_file(path, Algorithm::Sha256)
        .map_err(|e| AppError::invalid(format!("Cannot read {}: {e}.", path.display())))?;
    let mut hash = [0u8; 32];
    hex::decode_to_slice(&digest.hex, &mut hash).map_err(internal)?;
    Ok(hash)
}
