//! Creating, unlocking, describing and exporting the store.

use doorstep_core::store::StoreStats;
use serde::Serialize;

use super::Context;

pub fn init(cx: &Context, practitioner: Option<&str>) -> anyhow::Result<()> {
    let passphrase = cx.passphrases.for_new_store()?;
    cx.data_dir.create(&passphrase, practitioner)?;
    let root = cx.data_dir.root().display().to_string();
    if cx.out.json {
        return cx.out.json(&serde_json::json!({ "created": root }));
    }
    cx.out.text(&format!("Created an encrypted Doorstep store in {root}"))
}

#[derive(Serialize)]
struct Status {
    data_dir: String,
    practitioner: Option<String>,
    #[serde(flatten)]
    stats: StoreStats,
}

pub fn status(cx: &Context) -> anyhow::Result<()> {
    let unlocked = cx.unlock()?;
    let status = Status {
        data_dir: cx.data_dir.root().display().to_string(),
        practitioner: unlocked.store.practitioner()?,
        stats: unlocked.store.stats()?,
    };
    if cx.out.json {
        return cx.out.json(&status);
    }
    let s = &status.stats;
    cx.out.text(&format!(
        "Store:        {}\nPractitioner: {}\nSchema:       version {}\nPeople:       {}\n\
         Households:   {}\nVisits:       {}\nNotes:        {}",
        status.data_dir,
        status.practitioner.as_deref().unwrap_or("(not set)"),
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
