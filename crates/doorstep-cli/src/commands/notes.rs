//! `doorstep note ...`

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use anyhow::{Context as _, bail};
use chrono::{Local, NaiveDate};
use doorstep_core::model::{NewNote, Note, NoteSource, TextSpan};
use doorstep_core::store::ImportOptions;

use super::Context;
use crate::cli::NoteBody;
use crate::output::{preview, table};

fn read_body(body: &NoteBody) -> anyhow::Result<String> {
    match (&body.text, &body.file) {
        (Some(text), _) => Ok(text.clone()),
        (None, Some(path)) if path == Path::new("-") => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .context("reading the note from standard input")?;
            Ok(text)
        }
        (None, Some(path)) => std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the note file {}", path.display())),
        (None, None) => bail!("give the note's text with --text or --file"),
    }
}

pub fn add(
    cx: &Context,
    subject: &str,
    date: Option<NaiveDate>,
    body: &NoteBody,
    visit: Option<&str>,
    service: Option<String>,
) -> anyhow::Result<()> {
    let text = read_body(body)?;
    let mut unlocked = cx.unlock()?;
    let store = &mut unlocked.store;
    let subject = store.find_person(subject)?;
    let visit = visit
        .map(|v| v.parse())
        .transpose()
        .map_err(|e: doorstep_core::ids::IdParseError| anyhow::anyhow!(e))?;
    let author = store.practitioner()?.unwrap_or_else(|| "unknown".into());
    let note = store.add_note(NewNote {
        subject: subject.id,
        visit,
        date: Some(date.unwrap_or_else(|| Local::now().date_naive())),
        service,
        text,
        source: NoteSource::Typed,
        author,
        external_id: None,
    })?;
    if cx.out.json {
        return cx.out.json(&note);
    }
    cx.out.text(&format!("Added a note about {} ({})", subject.name, note.id))
}

pub fn show(cx: &Context, id: &str) -> anyhow::Result<()> {
    let unlocked = cx.unlock()?;
    let note = unlocked.store.find_note(id)?;
    if cx.out.json {
        return cx.out.json(&note);
    }
    let subject = unlocked.store.person(note.subject)?;
    let mut text = format!(
        "Note {}{}\n  about: {}\n  date: {}\n  service: {}\n  source: {}, {}\n  author: {}\n\n{}\n",
        note.id,
        note.external_id.as_deref().map(|e| format!(" ({e})")).unwrap_or_default(),
        subject.name,
        note.date.map(|d| d.to_string()).unwrap_or_else(|| "undated".into()),
        note.service.as_deref().unwrap_or("-"),
        note.source,
        note.status,
        note.author,
        note.text
    );
    if !note.own_words.is_empty() {
        text += "\nIn their own words:\n";
        for span in &note.own_words {
            if let Some(words) = span.slice(&note.text) {
                text += &format!("  “{words}”\n");
            }
        }
    }
    cx.out.text(&text)
}

/// Prints a note after a change: its JSON, or one line saying what was done.
fn changed(cx: &Context, note: &Note, done: &str) -> anyhow::Result<()> {
    if cx.out.json {
        return cx.out.json(note);
    }
    cx.out.text(&format!("{done} note {} ({}); the next sync shares it.", note.id, note.status))
}

pub fn edit(cx: &Context, id: &str, body: &NoteBody) -> anyhow::Result<()> {
    let text = read_body(body)?;
    let mut unlocked = cx.unlock()?;
    let id = unlocked.store.find_note(id)?.id;
    let note = unlocked.store.edit_note_text(id, &text)?;
    changed(cx, &note, "Edited")
}

pub fn own_words(cx: &Context, id: &str, spans: &[TextSpan]) -> anyhow::Result<()> {
    let mut unlocked = cx.unlock()?;
    let id = unlocked.store.find_note(id)?.id;
    let note = unlocked.store.set_own_words(id, spans)?;
    changed(cx, &note, "Marked the person's own words in")
}

pub fn approve(cx: &Context, id: &str) -> anyhow::Result<()> {
    let mut unlocked = cx.unlock()?;
    let id = unlocked.store.find_note(id)?.id;
    let files = unlocked.files_dir().to_owned();
    let note = unlocked.store.approve_note(id, &files)?;
    changed(cx, &note, "Approved")
}

pub fn history(cx: &Context, id: &str) -> anyhow::Result<()> {
    let unlocked = cx.unlock()?;
    let note = unlocked.store.find_note(id)?;
    let versions = unlocked.store.note_history(note.id)?;
    if cx.out.json {
        return cx.out.json(&serde_json::json!({ "note": note.id, "versions": versions }));
    }
    if versions.is_empty() {
        return cx.out.text("No version of this note has been shared yet: it is only here.");
    }
    let rows: Vec<Vec<String>> = versions
        .iter()
        .map(|v| {
            vec![
                v.stamp.time().map_or_else(|| "before sync".into(), |t| t.to_rfc3339()),
                v.status.to_string(),
                v.author.to_string(),
                preview(&v.text, 50),
            ]
        })
        .collect();
    cx.out.text(&table(&["WRITTEN", "STATUS", "DEVICE", "BEGINS"], &rows))
}

pub fn list(cx: &Context, subject: Option<&str>) -> anyhow::Result<()> {
    let unlocked = cx.unlock()?;
    let store = &unlocked.store;
    let subject = subject.map(|s| store.find_person(s)).transpose()?;
    let notes = store.notes(subject.map(|p| p.id))?;
    if cx.out.json {
        return cx.out.json(&notes);
    }
    let rows: Vec<Vec<String>> = notes
        .iter()
        .map(|n| {
            vec![
                n.date.map(|d| d.to_string()).unwrap_or_else(|| "undated".into()),
                n.subject_name.clone(),
                n.external_id.clone().unwrap_or_default(),
                preview(&n.preview, 50),
                n.id.to_string(),
            ]
        })
        .collect();
    cx.out.text(&table(&["DATE", "SUBJECT", "EXTERNAL", "BEGINS", "ID"], &rows))
}

pub fn import(cx: &Context, path: &Path, batch_size: u32) -> anyhow::Result<()> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut unlocked = cx.unlock()?;
    let source = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    let author = format!("imported from {source}");
    let options = ImportOptions { batch_size: batch_size as usize, author };
    let bar = cx.out.progress_bytes(size, "Importing");
    let report = unlocked.store.import_notes(BufReader::new(file), &options, |p| {
        bar.set_position(p.bytes_read);
    })?;
    bar.finish_and_clear();
    if cx.out.json {
        cx.out.json(&report)?;
    } else {
        cx.out.text(&format!(
            "Added {} notes ({} already present, {} new people).",
            report.added, report.already_present, report.people_created
        ))?;
        for error in &report.malformed {
            eprintln!("{}: line {}: {}", path.display(), error.line, error.problem);
        }
    }
    if !report.malformed.is_empty() {
        bail!(
            "{} malformed line(s) in {} were skipped (first: line {}); the good lines were imported",
            report.malformed.len(),
            path.display(),
            report.malformed[0].line
        );
    }
    Ok(())
}
