//! Three devices make random changes; every replica that receives all their envelopes, in any
//! order, with duplicates and delays, converges to the same state, and that state is what the
//! merge rules say it should be: note versions (text, own words, status), person fields and
//! ecomap ties with tombstones, several ties per record, and recordings sent in pieces. The same property over real stores, with
//! edits made through the store and sealed by the client, is in `client::convergence_tests`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};

use doorstep_core::ids::{DeviceId, NoteId, PersonId, RecordingId, TieId};
use doorstep_core::keys::{DataKey, SyncKey};
use doorstep_core::model::{EcomapTie, NoteStatus, SupportFlow, TextSpan, TieCategory, TieQuality};
use doorstep_core::store::EcomapRejection;
use doorstep_sync::{
    Applied, AudioHeader, AudioPiece, Change, EcomapChange, EcomapElement, ElementChange,
    NoteVersion, PersonFieldChange, PlainRecord, RejectionsChange, Replica, Stamp, seal,
};
use doorstep_wire::{Envelope, Hlc};
use proptest::prelude::*;
use proptest::sample::Index;
use uuid::Uuid;

const DEVICES: usize = 3;
/// Pieces per recording.
const PIECES: u8 = 3;
const FIELDS: [&str; 3] = ["name", "aliases", "date_of_birth"];

/// One change, on small id spaces so that devices collide often.
#[derive(Debug, Clone)]
enum Op {
    WriteNote {
        note: u8,
        text: u8,
        approved: bool,
    },
    SetField {
        person: u8,
        field: u8,
        value: u8,
    },
    DeleteField {
        person: u8,
        field: u8,
    },
    /// One confirm: a tie set to a quality, and another set or removed.
    Confirm {
        person: u8,
        tie: u8,
        value: u8,
        other: u8,
        remove_other: bool,
    },
    DeleteElement {
        person: u8,
        element: u8,
    },
    /// One piece of one of a few recordings (the same piece has the same bytes wherever it is
    /// sealed: recordings never change).
    SendPiece {
        recording: u8,
        index: u8,
    },
    /// Rejects a node for a person (names differ only in case on different devices).
    Reject {
        person: u8,
        who: u8,
    },
}

/// A step of the schedule: which device acts, what its wall clock reads, and whether it has just
/// synced (seen every record made so far) before acting.
#[derive(Debug, Clone)]
struct Step {
    device: usize,
    wall_ms: u64,
    synced: bool,
    op: Op,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..3u8, 0..4u8, any::<bool>()).prop_map(|(note, text, approved)| Op::WriteNote {
            note,
            text,
            approved
        }),
        (0..2u8, 0..3u8, 0..4u8).prop_map(|(person, field, value)| Op::SetField {
            person,
            field,
            value
        }),
        (0..2u8, 0..3u8).prop_map(|(person, field)| Op::DeleteField { person, field }),
        (0..2u8, 0..3u8, 0..4u8, 0..3u8, any::<bool>()).prop_map(
            |(person, tie, value, other, remove_other)| Op::Confirm {
                person,
                tie,
                value,
                other,
                remove_other
            }
        ),
        (0..2u8, 0..3u8).prop_map(|(person, element)| Op::DeleteElement { person, element }),
        (0..2u8, 0..PIECES).prop_map(|(recording, index)| Op::SendPiece { recording, index }),
        (0..2u8, 0..3u8).prop_map(|(person, who)| Op::Reject { person, who }),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    // Wall clocks within 40 ms of each other, in any order: skewed and set-back clocks included.
    (0..DEVICES, 0..40u64, any::<bool>(), op()).prop_map(|(device, wall_ms, synced, op)| Step {
        device,
        wall_ms,
        synced,
        op,
    })
}

/// How one replica receives the envelopes: extra copies of some, and a delay for each delivery.
#[derive(Debug, Clone)]
struct Delivery {
    duplicates: Vec<Index>,
    delays: Vec<u16>,
}

fn delivery() -> impl Strategy<Value = Delivery> {
    (prop::collection::vec(any::<Index>(), 0..30), prop::collection::vec(any::<u16>(), 1..120))
        .prop_map(|(duplicates, delays)| Delivery { duplicates, delays })
}

fn person(n: u8) -> PersonId {
    PersonId::from_uuid(Uuid::from_u128(0x100 + u128::from(n)))
}

const QUALITIES: [TieQuality; 4] =
    [TieQuality::Strong, TieQuality::Moderate, TieQuality::Tenuous, TieQuality::Stressful];

/// Tie `n` (the same id on every device) with quality `value`.
fn tie(n: u8, value: u8) -> ElementChange {
    let id = TieId::from_uuid(Uuid::from_u128(
        0x7000_0000_0000_7000_8000_0000_0000_0300 + u128::from(n),
    ));
    let tie = EcomapTie {
        id,
        who: format!("tie {n}"),
        aliases: Vec::new(),
        role: "friend".into(),
        category: TieCategory::Friend,
        quality: QUALITIES[usize::from(value) % QUALITIES.len()].clone(),
        support: SupportFlow::Both,
        note: String::new(),
        domains: Vec::new(),
        evidence: None,
    };
    ElementChange { element: *id.as_uuid(), value: Some(EcomapElement::Tie(Box::new(tie))) }
}

fn recording(n: u8) -> RecordingId {
    RecordingId::from_uuid(Uuid::from_u128(0x400 + u128::from(n)))
}

fn piece(n: u8, index: u8) -> AudioPiece {
    AudioPiece {
        header: AudioHeader {
            recording: recording(n),
            note: NoteId::from_uuid(Uuid::from_u128(0x200)),
            sample_rate: 16_000,
            started_at: chrono::DateTime::UNIX_EPOCH,
            duration_ms: None,
            index: u32::from(index),
            count: u32::from(PIECES),
            sha256: "00".repeat(32),
        },
        data: vec![n ^ index; 100 + usize::from(index)].into(),
    }
}

/// Plays the schedule: each device stamps its changes on its own hybrid logical clock.
fn make_records(steps: &[Step]) -> Vec<PlainRecord> {
    let devices: Vec<DeviceId> =
        (0..DEVICES).map(|d| DeviceId::from_uuid(Uuid::from_u128(0xd0 + d as u128))).collect();
    let mut clocks: Vec<Hlc> = devices.iter().map(|d| Hlc::zero(*d.as_uuid())).collect();
    let mut records: Vec<PlainRecord> = Vec::new();
    for (seq, step) in steps.iter().enumerate() {
        let clock = &mut clocks[step.device];
        if step.synced
            && let Some(latest) = records.iter().map(|r| r.hlc).max()
        {
            *clock = clock.observe(&latest, step.wall_ms);
        }
        *clock = clock.tick(step.wall_ms);
        let change = match step.op {
            Op::WriteNote { note, text, approved } => Change::Note(NoteVersion {
                note: NoteId::from_uuid(Uuid::from_u128(0x200 + u128::from(note))),
                subject: person(note % 2),
                text: format!("version {text} from device {}", step.device),
                date: None,
                service: None,
                author: None,
                own_words: Some(vec![TextSpan::new(0, usize::from(text) + 1)]),
                status: Some(if approved { NoteStatus::Approved } else { NoteStatus::Draft }),
                source: None,
            }),
            Op::SetField { person: p, field, value } => Change::PersonField(PersonFieldChange {
                person: person(p),
                field: FIELDS[usize::from(field)].into(),
                value: Some(format!("value {value}")),
            }),
            Op::DeleteField { person: p, field } => Change::PersonField(PersonFieldChange {
                person: person(p),
                field: FIELDS[usize::from(field)].into(),
                value: None,
            }),
            Op::Confirm { person: p, tie: n, value, other, remove_other } => {
                let mut elements = vec![tie(n, value)];
                if other != n {
                    let mut second = tie(other, value.wrapping_add(1));
                    if remove_other {
                        second.value = None;
                    }
                    elements.push(second);
                }
                Change::Ecomap(EcomapChange { person: person(p), elements })
            }
            Op::DeleteElement { person: p, element } => Change::Ecomap(EcomapChange {
                person: person(p),
                elements: vec![ElementChange { element: tie(element, 0).element, value: None }],
            }),
            Op::SendPiece { recording: r, index } => Change::Audio(piece(r, index)),
            Op::Reject { person: p, who } => Change::Rejections(RejectionsChange {
                person: person(p),
                rejections: vec![EcomapRejection {
                    who: if step.device == 0 { format!("Pal {who}") } else { format!("pal {who}") },
                    category: TieCategory::Friend,
                }],
            }),
        };
        records.push(PlainRecord {
            id: Uuid::from_u128(0x1_0000 + seq as u128),
            author: devices[step.device],
            hlc: *clock,
            change,
        });
    }
    records
}

/// Delivers every envelope at least once, in the order of their random delays.
fn deliver(envelopes: &[Envelope], plan: &Delivery, key: &SyncKey) -> Replica {
    let mut queue: Vec<&Envelope> = envelopes.iter().collect();
    if !envelopes.is_empty() {
        queue.extend(plan.duplicates.iter().map(|i| &envelopes[i.index(envelopes.len())]));
    }
    let mut timed: Vec<(u16, usize, &Envelope)> = queue
        .into_iter()
        .enumerate()
        .map(|(n, e)| (plan.delays[n % plan.delays.len()], n, e))
        .collect();
    timed.sort_by_key(|&(delay, n, _)| (delay, n));
    let mut replica = Replica::new();
    for (_, _, envelope) in timed {
        let first = !replica.contains(&envelope.id);
        let applied = replica.apply_envelope(envelope, key);
        check_applied(&applied, first);
    }
    replica
}

fn check_applied(applied: &Result<Applied, doorstep_sync::OpenError>, first: bool) {
    match applied {
        Ok(Applied::New) => assert!(first, "a replay was applied as new"),
        Ok(Applied::Duplicate) => assert!(!first, "a new record was taken for a replay"),
        Err(e) => panic!("an honest envelope was refused: {e}"),
    }
}

/// The state the merge rules define, computed directly from the set of records.
fn check_against_rules(replica: &Replica, records: &[PlainRecord]) {
    let stamp = |r: &PlainRecord| Stamp { hlc: r.hlc, record: r.id };
    let mut notes: BTreeMap<NoteId, Vec<&PlainRecord>> = BTreeMap::new();
    let mut fields: BTreeMap<(PersonId, String), &PlainRecord> = BTreeMap::new();
    let mut elements: BTreeMap<(PersonId, Uuid), (&PlainRecord, &ElementChange)> = BTreeMap::new();
    let mut pieces: BTreeMap<RecordingId, BTreeMap<u32, &AudioPiece>> = BTreeMap::new();
    let mut rejected: BTreeSet<(PersonId, String)> = BTreeSet::new();
    for record in records {
        match &record.change {
            Change::Note(v) => notes.entry(v.note).or_default().push(record),
            Change::PersonField(c) => {
                let slot = fields.entry((c.person, c.field.clone())).or_insert(record);
                if stamp(record) > stamp(slot) {
                    *slot = record;
                }
            }
            Change::Ecomap(c) => {
                for element in &c.elements {
                    let slot =
                        elements.entry((c.person, element.element)).or_insert((record, element));
                    if stamp(record) > stamp(slot.0) {
                        *slot = (record, element);
                    }
                }
            }
            Change::Audio(p) => {
                pieces.entry(p.header.recording).or_default().insert(p.header.index, p);
            }
            Change::Rejections(c) => {
                for r in &c.rejections {
                    rejected.insert((c.person, r.who.to_lowercase()));
                }
            }
        }
    }
    for p in 0..2 {
        let held: BTreeSet<(PersonId, String)> =
            replica.rejections(person(p)).map(|(who, _)| (person(p), who.to_owned())).collect();
        let expected: BTreeSet<(PersonId, String)> =
            rejected.iter().filter(|(q, _)| *q == person(p)).cloned().collect();
        assert_eq!(held, expected, "a rejection was lost or invented");
    }
    for n in 0..2 {
        let sent = pieces.get(&recording(n));
        let whole: Option<Vec<u8>> = sent
            .filter(|s| s.len() == usize::from(PIECES))
            .map(|s| s.values().flat_map(|p| p.data.iter().copied()).collect());
        assert_eq!(replica.recording(recording(n)), whole, "a recording is whole with every piece");
    }
    assert_eq!(replica.len(), records.len());
    assert_eq!(replica.notes().count(), notes.len());
    for (id, versions) in &notes {
        let history = replica.note(id).expect("every note is present");
        assert_eq!(history.len(), versions.len(), "every version is kept");
        let latest = versions.iter().max_by_key(|r| stamp(r)).expect("a note has a version");
        assert_eq!(
            Some(&latest.change),
            history.current().map(|v| Change::Note(v.clone())).as_ref()
        );
    }
    for ((p, field), winner) in &fields {
        let Change::PersonField(c) = &winner.change else { unreachable!() };
        let register = replica.person_field(*p, field).expect("the field was written");
        assert_eq!(register.value, c.value);
        assert_eq!(register.stamp, stamp(winner));
    }
    for ((p, element), (winner, change)) in &elements {
        let register = replica.ecomap_element(*p, *element).expect("the element was written");
        assert_eq!(register.value, change.value);
        assert_eq!(register.stamp, stamp(winner));
        let present = replica.ecomap(*p).any(|(id, _)| id == element);
        assert_eq!(present, change.value.is_some(), "a tombstone shows, or a tie is missing");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn three_devices_converge_whatever_the_delivery(
        steps in prop::collection::vec(step(), 0..40),
        plans in prop::collection::vec(delivery(), DEVICES),
    ) {
        let key = DataKey::generate().expect("random source").sync_key();
        let records = make_records(&steps);
        let envelopes: Vec<Envelope> =
            records.iter().map(|r| seal(r, &key).expect("sealing works")).collect();
        let replicas: Vec<Replica> = plans.iter().map(|plan| deliver(&envelopes, plan, &key)).collect();
        for replica in &replicas[1..] {
            prop_assert_eq!(replica, &replicas[0]);
        }
        // The same as applying each record once, in the order they were made.
        let mut reference = Replica::new();
        for record in &records {
            reference.apply(record.clone());
        }
        prop_assert_eq!(&reference, &replicas[0]);
        check_against_rules(&replicas[0], &records);
    }

    #[test]
    fn merging_is_commutative_associative_and_idempotent(
        steps in prop::collection::vec(step(), 0..30),
        order in prop::collection::vec(any::<Index>(), 0..60),
    ) {
        let records = make_records(&steps);
        let mut forward = Replica::new();
        let mut backward = Replica::new();
        let mut shuffled = Replica::new();
        for record in &records {
            forward.apply(record.clone());
        }
        for record in records.iter().rev() {
            backward.apply(record.clone());
            backward.apply(record.clone());
        }
        if !records.is_empty() {
            for i in &order {
                shuffled.apply(records[i.index(records.len())].clone());
            }
        }
        for record in &records {
            shuffled.apply(record.clone());
        }
        prop_assert_eq!(&forward, &backward);
        prop_assert_eq!(&forward, &shuffled);
    }
}
