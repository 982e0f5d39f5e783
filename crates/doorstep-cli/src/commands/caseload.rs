//! `doorstep caseload key|invite|join`: sharing a caseload with another practitioner, over
//! doorstep-sync's client. The invitation is sealed to the invited account and prints only when
//! made; the caseload's key itself never prints.

use anyhow::Context as _;
use doorstep_core::keys::InvitationKey;
use doorstep_sync::client::{self, Retry};

use super::Context;
use super::sync::runtime;

pub fn key(cx: &Context) -> anyhow::Result<()> {
    let unlocked = cx.unlock()?;
    let key = unlocked.invitation_secret().public_key();
    if cx.out.json {
        return cx.out.json(&serde_json::json!({ "key": key.to_string() }));
    }
    cx.out.text(&format!(
        "This account's invitation key (not a secret: give it to the colleague who will invite \
         you, who runs `doorstep caseload invite --to KEY`):\n{key}"
    ))
}

pub fn invite(cx: &Context, to: &str, name: &str) -> anyhow::Result<()> {
    let to: InvitationKey = to.parse()?;
    let mut unlocked = cx.unlock()?;
    let code = runtime()?
        .block_on(client::invite(&mut unlocked, &to, name, Retry::default()))
        .context("inviting a colleague failed")?;
    if cx.out.json {
        return cx.out.json(&serde_json::json!({ "device": code.device, "code": code.reveal() }));
    }
    cx.out.text(&format!(
        "Invitation for {name} (it opens only in the account whose key you gave, so it may travel \
         by any channel; they run `doorstep caseload join INVITATION`, then `doorstep sync`):\n{}",
        code.reveal()
    ))
}

pub fn join(cx: &Context, invitation: &str) -> anyhow::Result<()> {
    let mut unlocked = cx.unlock()?;
    let joined = client::join_caseload(&mut unlocked, invitation)?;
    if cx.out.json {
        return cx.out.json(&joined);
    }
    cx.out.text(&format!(
        "Joined the caseload at {} as device {}. Run `doorstep sync` to bring in its records; this \
         store's records join it.",
        joined.server, joined.device
    ))
}
