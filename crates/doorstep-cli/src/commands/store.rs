//! Creating, unlocking, describing and exporting the store.

use doorstep_core::keys::OrgPublicKey;
use doorstep_core::store::StoreStats;
use serde::Serialize;

use super::Context;
use super::recovery::read_public;
use crate::cli::InitArgs;

pub fn init(cx: &Context, args: &InitArgs) -> anyhow::Result<()> {
    // Read before anything is made: a wrong file leaves no half-made store behind.
    let recovery = args.recovery_key.as_deref().map(read_public).transpose()?;
    let passphrase = cx.passphrases.for_new_store()?;
    cx.data_dir.create_with_recovery(
        &passphrase,
        args.practitioner.as_deref(),
        recovery.as_ref(),
    )?;
    let root = cx.data_dir.root().display().to_string();
    if cx.out.json {
        return cx.out.json(&serde_json::json!({ "created": root, "recovery_key": recovery }));
    }
    cx.out.text(&match recovery {
        Some(org) => format!(
            "Created an encrypted Doorstep store in {root}, recoverable with the organisation's \
             key {org}"
        ),
        None => format!(
            "Created an encrypted Doorstep store in {root} (no organisation recovery key: a \
             forgotten passphrase cannot be recovered; see --recovery-key)"
        ),
    })
}

#[derive(Serialize)]
struct Status {
    data_dir: String,
    practitioner: Option<String>,
    /// The organisation key the store is recoverable with, if any.
    recovery_key: Option<OrgPublicKey>,
    #[serde(flatten)]
    stats: StoreStats,
}

pub fn status(cx: &Context) -> anyhow::Result<()> {
    let unlocked = cx.unlock()?;
    let status = Status {
        data_dir: cx.data_dir.root().display().to_string(),
        practitioner: unlocked.store.practitioner()?,
        recovery_key: cx.data_dir.recovery_key()?,
        stats: unlocked.store.stats()?,
    };
    if cx.out.json {
        return cx.out.json(&status);
    }
    let s = &status.stats;
    cx.out.text(&format!(
        "Store:        {}\nPractitioner: {}\nRecovery:     {}\nSchema:       version {}\n\
         People:       {}\nHouseholds:   {}\nVisits:       {}\nNotes:        {}",
        status.data_dir,
        status.practitioner.as_deref().unwrap_or("(not set)"),
        status.recovery_key.map_or_else(
            || "no organisation key: a forgotten passphrase loses the records".to_owned(),
            |key| format!("the organisation's key {key}")
        ),
        s.schema_version,
        s.people,
        s.households,
        s.visits,
        s.notes
    ))
}

pub fn change_passphrase(cx: &Context) -> anyhow::Result<()> {
    let old = cx.passphrases.unlock()?;
    let new = cx.passphrases.replacement()?;
    cx.data_dir.change_passphrase(&old, &new)?;
    if cx.out.json {
        return cx.out.json(&serde_json::json!({ "changed": true }));
    }
    cx.out.text("Passphrase changed.")
}

pub fn export(cx: &Context) -> anyhow::Result<()> {
    let unlocked = cx.unlock()?;
    cx.out.json(&unlocked.store.export()?)
}
