//! Reviewing a note: reading it with its transcript, themes and ecomap suggestions, hearing a
//! segment again, correcting the text, marking the person's own words, judging each theme, and
//! approving it (which confirms the ecomap ties kept and lets retention delete the audio).

use std::io::Cursor;

use base64::Engine as _;
use chrono::Local;
use doorstep_core::model::{NewNote, NoteSource, TagReview, TextSpan, ThemeId};
use serde::Deserialize;

use crate::ecomap::PersonMap;
use crate::error::AppError;
use crate::session::{Session, Workbench};
use crate::views::NoteDetail;

/// A note with everything the Review screen shows.
pub fn detail(bench: &mut Workbench<'_>, id: &str) -> Result<NoteDetail, AppError> {
    let note = bench.store.find_note(id)?;
    let person = bench.store.person(note.subject)?;
    let recording = bench.store.recording_of_note(note.id)?;
    let suggestions = if note.status == doorstep_core::model::NoteStatus::Draft {
        PersonMap::for_note(bench.store, &note, bench.lexicon, &bench.kit.taxonomy)?
            .suggested_by(note.id)
    } else {
        Vec::new()
    };
    Ok(NoteDetail::of(&note, &person.name, &bench.kit.taxonomy, recording.as_ref(), suggestions))
}

pub fn note(session: &mut Session, id: &str) -> Result<NoteDetail, AppError> {
    detail(&mut session.workbench()?, id)
}

/// A typed note, kept as a draft for review.
pub fn add_note(
    session: &mut Session,
    subject: &str,
    text: &str,
    date: Option<&str>,
) -> Result<NoteDetail, AppError> {
    let date = match date.map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => Some(chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
            AppError::invalid(format!("{d:?} is not a date: write it as 2026-03-14."))
        })?),
        None => Some(Local::now().date_naive()),
    };
    let store = session.store()?;
    let person = store.find_person(subject)?;
    let note = store.add_note(NewNote {
        subject: person.id,
        visit: None,
        date,
        service: None,
        text: text.to_owned(),
        source: NoteSource::Typed,
        author: store.practitioner()?.unwrap_or_else(|| "unknown".into()),
        external_id: None,
    })?;
    self::note(session, &note.id.to_string())
}

pub fn edit_note(session: &mut Session, id: &str, text: &str) -> Result<NoteDetail, AppError> {
    let store = session.store()?;
    let note = store.find_note(id)?;
    store.edit_note_text(note.id, text)?;
    self::note(session, id)
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SpanArg {
    pub start: usize,
    pub end: usize,
}

pub fn set_own_words(
    session: &mut Session,
    id: &str,
    spans: &[SpanArg],
) -> Result<NoteDetail, AppError> {
    let store = session.store()?;
    let note = store.find_note(id)?;
    let spans: Vec<TextSpan> = spans.iter().map(|s| TextSpan::new(s.start, s.end)).collect();
    store.set_own_words(note.id, &spans)?;
    self::note(session, id)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Confirm,
    Reject,
}

pub fn review_theme(
    session: &mut Session,
    note_id: &str,
    theme: &str,
    decision: Decision,
) -> Result<NoteDetail, AppError> {
    let mut bench = session.workbench()?;
    let known = bench
        .kit
        .taxonomy
        .by_id(theme)
        .ok_or_else(|| AppError::invalid(format!("There is no theme {theme:?}.")))?;
    let id = ThemeId(known.id.to_string());
    let note = bench.store.find_note(note_id)?;
    let review = match decision {
        Decision::Confirm => TagReview::Confirmed,
        Decision::Reject => TagReview::Rejected,
    };
    bench.store.review_tag(note.id, &id, &review)?;
    detail(&mut bench, note_id)
}

/// Approves a draft. The note's ecomap suggestions whose `who` is not in `keep` are rejected;
/// the person's map, with the rest, is confirmed as a new version that has read this note (and
/// only this one: other notes wait for their own review or the Person screen).
pub fn approve_note(
    session: &mut Session,
    id: &str,
    keep: &[String],
) -> Result<NoteDetail, AppError> {
    let mut bench = session.workbench()?;
    let note = bench.store.find_note(id)?;
    let map = PersonMap::for_note(bench.store, &note, bench.lexicon, &bench.kit.taxonomy)?;
    let suggested = map.suggested_by(note.id);
    bench.store.approve_note(note.id, &bench.files)?;
    if !suggested.is_empty() {
        let reject: Vec<String> = suggested
            .into_iter()
            .map(|t| t.who)
            .filter(|who| !keep.iter().any(|k| k.eq_ignore_ascii_case(who)))
            .collect();
        map.confirm(bench.store, &reject, &[])?;
    }
    detail(&mut bench, id)
}

/// One transcript segment's audio as a `data:audio/wav` URL, for the Review screen to play.
pub fn segment_audio(session: &mut Session, note_id: &str, index: u32) -> Result<String, AppError> {
    let unlocked = session.unlocked()?;
    let note = unlocked.store.find_note(note_id)?;
    let segment = note.segments.iter().find(|s| s.index == index).ok_or_else(|| {
        AppError::new(crate::ErrorKind::NotFound, format!("The note has no segment {index}."))
    })?;
    let recording = unlocked
        .store
        .recording_of_note(note.id)?
        .filter(|r| r.state != doorstep_core::store::RecordingState::Deleted)
        .ok_or_else(|| {
            AppError::new(
                crate::ErrorKind::NotFound,
                "This note's audio is not kept (it was typed, or deleted after approval).",
            )
        })?;
    let samples = doorstep_speech::record::read_recording(
        &recording.path(unlocked.files_dir()),
        &unlocked.file_key(),
    )?;
    let rate = u64::from(recording.sample_rate);
    let at = |ms: u64| usize::try_from(ms * rate / 1000).unwrap_or(usize::MAX).min(samples.len());
    let wav = wav_bytes(&samples[at(segment.start_ms)..at(segment.end_ms)], recording.sample_rate)?;
    Ok(format!("data:audio/wav;base64,{}", base64::engine::general_purpose::STANDARD.encode(wav)))
}

/// 16-bit mono WAV of `samples`.
pub fn wav_bytes(samples: &[f32], sample_rate: u32) -> Result<Vec<u8>, AppError> {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let failed = |e: hound::Error| AppError::new(crate::ErrorKind::Internal, e.to_string());
    let mut out = Cursor::new(Vec::with_capacity(samples.len() * 2 + 44));
    let mut writer = hound::WavWriter::new(&mut out, spec).map_err(failed)?;
    for &s in samples {
        #[allow(clippy::cast_possible_truncation)]
        let value = (s.clamp(-1.0, 1.0) * f32::from(i16::MAX)) as i16;
        writer.write_sample(value).map_err(failed)?;
    }
    writer.finalize().map_err(failed)?;
    Ok(out.into_inner())
}
