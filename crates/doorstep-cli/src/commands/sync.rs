//! `doorstep sync` and `doorstep sync status`: thin commands over doorstep-sync's client, run
//! on a small tokio runtime of their own (the rest of the CLI is synchronous). The device token
//! never prints.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::Context as _;
use doorstep_sync::client::{self, OnProgress, Progress, SyncOptions, SyncReport, SyncStatus};
use serde::Serialize;

use super::Context;
use super::recovery::read_public;
use crate::cli::SyncArgs;

/// What `sync --json` prints: the round's report, and whether this sync sealed the store to the
/// organisation's recovery key.
#[derive(Serialize)]
struct Synced {
    #[serde(flatten)]
    report: SyncReport,
    recovery_key_set: bool,
}

pub(super) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the sync runtime")
}

pub fn sync(cx: &Context, args: &SyncArgs) -> anyhow::Result<()> {
    let recovery = args.recovery_key.as_deref().map(read_public).transpose()?;
    // A device joining with an enrolment code may have only the account's key file so far.
    let mut unlocked = if args.enrol.is_some() && !cx.data_dir.database_path().exists() {
        let passphrase = cx.passphrases.unlock()?;
        cx.data_dir.create_store_for_key_file(&passphrase)?
    } else {
        cx.unlock()?
    };
    if let Some(code) = &args.enrol {
        client::join(&mut unlocked, code)?;
    }
    let recovery_key_set = match &recovery {
        Some(org) => cx.data_dir.set_recovery_key(&unlocked, org)?,
        None => false,
    };
    let bar = cx.out.progress_percent("Sending");
    let options = SyncOptions {
        server: args.server.clone(),
        retry: args.retry(),
        progress: Some(show_progress(&bar)),
        ..SyncOptions::default()
    };
    let report = runtime()?.block_on(client::sync(&mut unlocked, &options));
    bar.finish_and_clear();
    let report = report.context("sync failed")?;
    if cx.out.json {
        return cx.out.json(&Synced { report, recovery_key_set });
    }
    let mut text = String::new();
    if let (true, Some(org)) = (recovery_key_set, &recovery) {
        text.push_str(&format!(
            "This store is now recoverable with the organisation's key {org}.\n"
        ));
    }
    text.push_str(&format!(
        "Synced with {}{}.\nSent {} new record(s) ({} already on the server); received {} ({} new).\n",
        report.status.server.as_deref().unwrap_or("the server"),
        if report.registered { " (this device registered and opened its space)" } else { "" },
        report.pushed,
        report.duplicates,
        report.pulled,
        report.applied,
    ));
    if report.audio_queued > 0 {
        text.push_str(&format!(
            "Sealed {} piece(s) of audio to send after the text.\n",
            report.audio_queued
        ));
    }
    if report.recordings_received > 0 {
        text.push_str(&format!(
            "Received {} recording(s) whole, kept sealed with their notes.\n",
            report.recordings_received
        ));
    }
    for problem in report.audio_unreadable.iter().chain(&report.audio_damaged) {
        text.push_str(&format!(
            "Recording {} did not travel: {}.\n",
            problem.recording, problem.reason
        ));
    }
    if report.released > 0 {
        text.push_str(&format!(
            "{} record(s) set aside earlier could be taken in now.\n",
            report.released
        ));
    }
    if !report.set_aside.is_empty() {
        text.push_str(&format!(
            "Set aside {} envelope(s) that could not be opened or taken in; later records were \
             not held up, and these are tried again at every sync:\n",
            report.set_aside.len()
        ));
        for set_aside in &report.set_aside {
            text.push_str(&format!("  - {}\n", set_aside.reason));
        }
    }
    text.push_str(&status_text(&report.status));
    cx.out.text(&text)
}

/// Moves `bar` as envelopes are acknowledged (a share of what was waiting), then counts what
/// is received.
fn show_progress(bar: &indicatif::ProgressBar) -> OnProgress {
    let bar = bar.clone();
    let sent = AtomicU64::new(0);
    OnProgress(Arc::new(move |progress| match progress {
        Progress::Pushed { count, remaining } => {
            let sent = sent.fetch_add(count as u64, Ordering::Relaxed) + count as u64;
            bar.set_position(sent * 100 / (sent + remaining).max(1));
        }
        Progress::Pulled { count } => {
            bar.set_message(format!("Received {count} more"));
        }
    }))
}

pub fn status(cx: &Context) -> anyhow::Result<()> {
    let mut unlocked = cx.unlock()?;
    let status = client::status(&mut unlocked.store)?;
    if cx.out.json {
        return cx.out.json(&status);
    }
    cx.out.text(&format!(
        "Server:        {}\nDevice:        {}\n{}",
        status.server.as_deref().unwrap_or("(none yet: run doorstep sync --server URL)"),
        status.device,
        status_text(&status)
    ))
}

fn status_text(status: &SyncStatus) -> String {
    let audio = match status.queued_audio {
        0 => String::new(),
        n => format!(" ({n} of them pieces of audio, sent after the text)"),
    };
    let mut text = format!(
        "Queued:        {} waiting to be sent{audio}, {} not yet sealed\nLast success:  {}\n\
         Safe to close: {}",
        status.queued,
        status.unqueued,
        status.last_success.map_or_else(|| "never".to_owned(), |t| t.to_rfc3339()),
        if status.safe_to_close { "yes" } else { "no: records are still only on this device" }
    );
    for incoming in &status.incoming_audio {
        text.push_str(&format!(
            "\nReceiving:     recording {}, {} of {} pieces so far (its note is here)",
            incoming.recording, incoming.received, incoming.pieces
        ));
    }
    if status.set_aside > 0 {
        text.push_str(&format!(
            "\nSet aside:     {} received envelope(s) could not be opened or taken in",
            status.set_aside
        ));
    }
    text
}
