//! `doorstep wipe`: crypto-shreds this device's store (see `DataDir::wipe`), after checking
//! that nothing written here would be lost with it.
//!
//! Without --yes the passphrase is needed, to count what is still only on this device (queued
//! envelopes, and records not even sealed yet); anything there refuses the wipe. With --yes the
//! wipe goes ahead regardless, and without a passphrase (a lost device's store may have to be
//! wiped by someone who does not know it); the count is then given only when the passphrase is
//! in DOORSTEP_PASSPHRASE.

use anyhow::{Context as _, bail};
use doorstep_sync::client;
use serde::Serialize;

use super::Context;

#[derive(Debug, Serialize)]
struct Wiped {
    data_dir: String,
    /// Overwritten with random bytes, then deleted.
    shredded: Vec<String>,
    deleted: Vec<String>,
    /// Not the store's, left as they were.
    left: Vec<String>,
    /// Records that were only on this device and are now lost; `None` when not checked.
    unsynced_lost: Option<u64>,
}

/// Records still only on this device: queued envelopes and records not sealed yet.
fn unsynced(cx: &Context) -> anyhow::Result<u64> {
    let mut unlocked = cx.unlock()?;
    let status = client::status(&mut unlocked.store)?;
    Ok(status.queued + status.unqueued)
}

pub fn wipe(cx: &Context, yes: bool) -> anyhow::Result<()> {
    let unsynced_lost = if yes {
        if cx.passphrases.current.is_set() { unsynced(cx).ok() } else { None }
    } else {
        let count = unsynced(cx).context(
            "the passphrase is needed to check that nothing unsynced would be lost (or give \
             --yes to wipe without checking); nothing was wiped",
        )?;
        if count > 0 {
            bail!(
                "{count} record(s) are only on this device and would be lost: run `doorstep \
                 sync` first, or `doorstep wipe --yes` to wipe anyway; nothing was wiped"
            );
        }
        Some(0)
    };
    let report = cx.data_dir.wipe()?;
    let show = |paths: &[std::path::PathBuf]| -> Vec<String> {
        paths.iter().map(|p| p.display().to_string()).collect()
    };
    let wiped = Wiped {
        data_dir: cx.data_dir.root().display().to_string(),
        shredded: show(&report.shredded),
        deleted: show(&report.deleted),
        left: show(&report.left),
        unsynced_lost,
    };
    if cx.out.json {
        return cx.out.json(&wiped);
    }
    let mut text = format!(
        "Wiped the Doorstep store in {}: the key file was overwritten and deleted first ({}), \
         then the database and sealed files ({}). Nothing of the store can be read on this \
         device any more.\n",
        wiped.data_dir,
        wiped.shredded.join(", "),
        wiped.deleted.join(", ")
    );
    text.push_str(&match unsynced_lost {
        Some(0) => "Nothing was lost: every record had been synced.".to_owned(),
        Some(n) => format!("{n} record(s) had not been synced and are lost."),
        None => "Whether anything had not been synced was not checked (no passphrase, or not \
                 the store's)."
            .to_owned(),
    });
    for path in &report.left {
        let what = if *path == cx.models_dir { " (speech models: no case data)" } else { "" };
        text.push_str(&format!("\nLeft in place, not part of the store: {}{what}", path.display()));
    }
    cx.out.text(&text)
}
