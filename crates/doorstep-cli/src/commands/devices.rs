//! `doorstep device enrol|list|revoke`: the account's devices on the sync server, over
//! doorstep-sync's client. An enrolment code prints only when asked for; the device token never.

use anyhow::Context as _;
use doorstep_sync::client::{self, Retry};

use super::Context;
use super::sync::runtime;
use crate::output::table;

pub fn enrol(cx: &Context, name: &str) -> anyhow::Result<()> {
    let mut unlocked = cx.unlock()?;
    let code = runtime()?
        .block_on(client::enrol_device(&mut unlocked, name, Retry::default()))
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

pub fn list(cx: &Context) -> anyhow::Result<()> {
    let mut unlocked = cx.unlock()?;
    let devices = runtime()?
        .block_on(client::list_devices(&mut unlocked.store, Retry::default()))
        .context("listing devices failed")?;
    if cx.out.json {
        return cx.out.json(&serde_json::json!({ "devices": devices }));
    }
    let rows: Vec<Vec<String>> = devices
        .iter()
        .map(|d| {
            vec![
                if d.this_device { "*".into() } else { String::new() },
                d.name.clone(),
                if d.revoked { "revoked".into() } else { "active".into() },
                d.enrolled_at.clone(),
                d.device.to_string(),
            ]
        })
        .collect();
    let mut text = table(&["", "NAME", "STATE", "ENROLLED", "ID"], &rows);
    text.push_str("* this device");
    cx.out.text(&text)
}

pub fn revoke(cx: &Context, which: &str, allow_this_device: bool) -> anyhow::Result<()> {
    let mut unlocked = cx.unlock()?;
    let revoked = runtime()?
        .block_on(client::revoke_device(
            &mut unlocked.store,
            which,
            allow_this_device,
            Retry::default(),
        ))
        .context("revoking a device failed")?;
    if cx.out.json {
        return cx.out.json(&revoked);
    }
    let d = &revoked.device;
    let what = if revoked.already { "was already revoked" } else { "is revoked" };
    let mut text = format!(
        "{} ({}) {what}: the server refuses its token, so it can neither send nor receive \
         records. What it sent before stays on the server and this account's other devices.",
        d.name, d.device
    );
    if d.this_device {
        text.push_str("\nThis was this device: it can no longer sync.");
    } else {
        text.push_str(
            "\nIf you get the device back, wipe its store there with `doorstep wipe --yes`.",
        );
    }
    cx.out.text(&text)
}
