//! `doorstep visit ...`

use chrono::{Local, NaiveDateTime};
use doorstep_core::model::{NewVisit, RecordingConsent};

use super::Context;
use crate::cli::{ConsentArgs, YesNo};
use crate::output::table;

pub fn add(
    cx: &Context,
    subject: &str,
    at: Option<NaiveDateTime>,
    place: Option<String>,
    present: Vec<String>,
    child_seen_alone: Option<YesNo>,
    consent: ConsentArgs,
) -> anyhow::Result<()> {
    let mut unlocked = cx.unlock()?;
    let subject = unlocked.store.find_person(subject)?;
    let consent = match (consent.consent_by, consent.consent_refused_by) {
        (Some(by), _) => RecordingConsent::Given { by },
        (None, Some(by)) => RecordingConsent::Refused { by },
        (None, None) => RecordingConsent::NotRecorded,
    };
    let visit = unlocked.store.add_visit(&NewVisit {
        subject: subject.id,
        at: at.unwrap_or_else(|| Local::now().naive_local()),
        place,
        present,
        child_seen_alone: child_seen_alone.map(|c| matches!(c, YesNo::Yes)),
        consent,
        external_id: None,
    })?;
    if cx.out.json {
        return cx.out.json(&visit);
    }
    cx.out.text(&format!("Recorded a visit to {} at {} ({})", subject.name, visit.at, visit.id))
}

pub fn list(cx: &Context, subject: Option<&str>) -> anyhow::Result<()> {
    let unlocked = cx.unlock()?;
    let store = &unlocked.store;
    let subject = subject.map(|s| store.find_person(s)).transpose()?;
    let visits = store.visits(subject.as_ref().map(|p| p.id))?;
    if cx.out.json {
        return cx.out.json(&visits);
    }
    let names: std::collections::HashMap<_, _> =
        store.people()?.into_iter().map(|p| (p.id, p.name)).collect();
    let rows: Vec<Vec<String>> = visits
        .iter()
        .map(|v| {
            let consent = match &v.consent {
                RecordingConsent::Given { by } => format!("given by {by}"),
                RecordingConsent::Refused { by } => format!("refused by {by}"),
                RecordingConsent::NotRecorded => "-".into(),
                RecordingConsent::Other { stored, .. } => format!("{stored} (unknown)"),
            };
            let alone = match v.child_seen_alone {
                Some(true) => "yes",
                Some(false) => "no",
                None => "-",
            };
            vec![
                v.at.format("%Y-%m-%d %H:%M").to_string(),
                names.get(&v.subject).cloned().unwrap_or_default(),
                v.place.clone().unwrap_or_default(),
                v.present.join(", "),
                alone.into(),
                consent,
                v.id.to_string(),
            ]
        })
        .collect();
    cx.out.text(&table(
        &["WHEN", "SUBJECT", "PLACE", "PRESENT", "CHILD ALONE", "CONSENT", "ID"],
        &rows,
    ))
}
