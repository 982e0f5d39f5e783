//! `doorstep sync`, `doorstep sync status` and `doorstep device enrol`: thin commands over
//! doorstep-sync's client, run on a small tokio runtime of their own (the rest of the CLI is
//! synchronous). The device token never prints; an enrolment code prints only when asked for.

use anyhow::Context as _;
use doorstep_sync::client::{self, Retry, SyncOptions, SyncStatus};

use super::Context;
use crate::cli::SyncArgs;

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the sync runtime")
}

pub fn sync(cx: &Context, args: &SyncArgs) -> anyhow::Result<()> {
    // A device joining with an enrolment code may have only the account's key file so far.
    let mut unlocked = if args.enrol.is_some() && !cx.data_dir.database_path().exists() {
        let passphrase = cx.passphrases.unlock()?;
        cx.data_dir.create_store_for_key_file(&passphrase)?
    } else {
        cx.unlock()?
    };
    if let Some(code) = &args.enrol {
        client::join(&mut unlocked.store, code)?;
    }
    let key = unlocked.sync_key();
    let options =
        SyncOptions { server: args.server.clone(), device_name: None, retry: Retry::default() };
    let report = runtime()?
        .block_on(client::sync(&mut unlocked.store, &key, &options))
        .context("sync failed")?;
    if cx.out.json {
        return cx.out.json(&report);
    }
    let mut text = format!(
        "Synced with {}{}.\nSent {} new record(s) ({} already on the server); received {} ({} new).\n",
        report.status.server.as_deref().unwrap_or("the server"),
        if report.registered { " (this device registered and opened its space)" } else { "" },
        report.pushed,
        report.duplicates,
        report.pulled,
        report.applied,
    );
    text.push_str(&status_text(&report.status));
    cx.out.text(&text)
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
    format!(
        "Queued:        {} waiting to be sent, {} not yet sealed\nLast success:  {}\n\
         Safe to close: {}",
        status.queued,
        status.unqueued,
        status.last_success.map_or_else(|| "never".to_owned(), |t| t.to_rfc3339()),
        if status.safe_to_close { "yes" } else { "no: records are still only on this device" }
    )
}

pub fn enrol(cx: &Context, name: &str) -> anyhow::Result<()> {
    let mut unlocked = cx.unlock()?;
    let code = runtime()?
        .block_on(client::enrol_device(&mut unlocked.store, name, Retry::default()))
        .context("enrolling a device failed")?;
    if cx.out.json {
        return cx.out.json(&serde_json::json!({ "device": code.device, "code": code.reveal() }));
    }
    cx.out.text(&format!(
        "Enrolment code for {name} (a secret: give it only to that device, which also needs this \
         account's key file, and run `doorstep sync --enrol CODE` there):\n{}",
        code.reveal()
    ))
}
