//! The organisation's recovery key: making the pair (`doorstep org-key new`), reading the
//! public half a device is given (`init` and `sync --recovery-key`), and recovering a store
//! whose passphrase is forgotten (`doorstep recover`).

use std::path::Path;

use anyhow::Context as _;
use doorstep_core::keys::{OrgPublicKey, OrgSecretKey};

use super::Context;

/// The organisation's public key from `path`, refusing its private key by name.
pub fn read_public(path: &Path) -> anyhow::Result<OrgPublicKey> {
    Ok(OrgPublicKey::read_file(path)?)
}

pub fn org_key_new(cx: &Context, private: &Path, public: &Path) -> anyhow::Result<()> {
    if public.exists() {
        anyhow::bail!(
            "{} already exists; an organisation key file is never overwritten",
            public.display()
        );
    }
    let org = OrgSecretKey::generate()?;
    org.write_file(private)?;
    if let Err(error) = org.public_key().write_file(public) {
        // The private key was never used: remove it rather than leave half a pair.
        let _ = std::fs::remove_file(private);
        return Err(error.into());
    }
    let key = org.public_key();
    if cx.out.json {
        return cx.out.json(&serde_json::json!({
            "private": private.display().to_string(),
            "public": public.display().to_string(),
            "public_key": key,
        }));
    }
    cx.out.text(&format!(
        "Made the organisation's recovery key pair.\n\
         Private key: {} (readable by you only). Keep it OFFLINE, e.g. on an encrypted drive in \
         a safe, with a copy: without it no forgotten passphrase can be recovered, and with a \
         practitioner's key file it opens their store. Never copy it to a practitioner's device.\n\
         Public key:  {} ({key}). Give it to every practitioner's device: \
         `doorstep init --recovery-key FILE` (or `doorstep sync --recovery-key FILE` for a store \
         made without it).",
        private.display(),
        public.display()
    ))
}

pub fn recover(cx: &Context, org_key: &Path) -> anyhow::Result<()> {
    let org = OrgSecretKey::read_file(org_key)?;
    let new = cx.passphrases.replacement()?;
    let unlocked = cx
        .data_dir
        .recover(&org, &new)
        .context("recovery failed; the store and its key file are unchanged")?;
    let stats = unlocked.store.stats()?;
    if cx.out.json {
        return cx.out.json(&serde_json::json!({
            "recovered": true,
            "people": stats.people,
            "notes": stats.notes,
        }));
    }
    cx.out.text(&format!(
        "Recovered with the organisation's key: the store now opens with the new passphrase \
         ({} people, {} notes). The old passphrase no longer opens it.",
        stats.people, stats.notes
    ))
}
