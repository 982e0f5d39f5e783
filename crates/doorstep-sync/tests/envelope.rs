//! Sealing and opening envelopes: the round trip, and every way an envelope can be wrong.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use doorstep_core::ids::{DeviceId, NoteId, PersonId, TieId};
use doorstep_core::keys::{DataKey, SyncKey};
use doorstep_core::model::{EcomapTie, NoteStatus, SupportFlow, TextSpan, TieCategory, TieQuality};
use doorstep_sync::{
    Applied, Change, EcomapChange, EcomapElement, ElementChange, NoteVersion, OpenError,
    PersonFieldChange, PlainRecord, Replica, open, rewrap, seal,
};
use doorstep_wire::{Envelope, Hlc};
use uuid::Uuid;

const CANARY: &str = "Canary: she said the blue door sticks in the rain";

fn key() -> SyncKey {
    DataKey::generate().unwrap().sync_key()
}

fn record(change: Change) -> PlainRecord {
    let author = DeviceId::new();
    PlainRecord {
        id: Uuid::now_v7(),
        author,
        hlc: Hlc { wall_ms: 1_700_000_000_000, counter: 3, device: *author.as_uuid() },
        change,
    }
}

fn a_note() -> PlainRecord {
    record(Change::Note(NoteVersion {
        note: NoteId::new(),
        subject: PersonId::new(),
        text: CANARY.into(),
        date: None,
        service: None,
        author: None,
        own_words: Some(vec![TextSpan::new(0, 6)]),
        status: Some(NoteStatus::Approved),
        source: None,
    }))
}

fn all_kinds() -> Vec<PlainRecord> {
    let person = PersonId::new();
    let tie = TieId::new();
    vec![
        a_note(),
        record(Change::PersonField(PersonFieldChange {
            person,
            field: "name".into(),
            value: Some("Pat Doyle".into()),
        })),
        record(Change::PersonField(PersonFieldChange {
            person,
            field: "aliases".into(),
            value: None,
        })),
        record(Change::Ecomap(EcomapChange {
            person,
            elements: vec![ElementChange {
                element: *tie.as_uuid(),
                value: Some(EcomapElement::Tie(Box::new(EcomapTie {
                    id: tie,
                    who: "her daughter Karen".into(),
                    aliases: vec!["Karen".into()],
                    role: "daughter".into(),
                    category: TieCategory::Family,
                    quality: TieQuality::Strong,
                    support: SupportFlow::ToSubject,
                    note: String::new(),
                    domains: Vec::new(),
                    evidence: None,
                }))),
            }],
        })),
        record(Change::Ecomap(EcomapChange {
            person,
            elements: vec![
                ElementChange { element: Uuid::now_v7(), value: None },
                ElementChange {
                    element: EcomapElement::STRENGTHS,
                    value: Some(EcomapElement::Strengths(Vec::new())),
                },
            ],
        })),
    ]
}

#[test]
fn every_kind_round_trips_and_travels_as_ciphertext_only() {
    let key = key();
    for plain in all_kinds() {
        let envelope = seal(&plain, &key).unwrap();
        assert_eq!(envelope.id, plain.id);
        assert_eq!(envelope.kind, plain.change.kind());
        assert_eq!(envelope.author, *plain.author.as_uuid());
        assert_eq!(envelope.hlc, plain.hlc);
        // Through the wire format and back.
        let json = serde_json::to_string(&envelope).unwrap();
        assert!(
            !json.contains("blue door") && !json.contains("Pat Doyle") && !json.contains("Karen")
        );
        assert!(!format!("{envelope:?}").contains("blue door"));
        let received: Envelope = serde_json::from_str(&json).unwrap();
        assert_eq!(open(&received, &key).unwrap(), plain);
    }
}

#[test]
fn the_same_record_sealed_twice_gives_different_ciphertext() {
    let key = key();
    let plain = a_note();
    let first = seal(&plain, &key).unwrap();
    let second = seal(&plain, &key).unwrap();
    assert_ne!(first.ciphertext, second.ciphertext);
    assert_ne!(first.wrapped_key, second.wrapped_key);
}

#[test]
fn a_wrong_key_is_named_as_such() {
    let envelope = seal(&a_note(), &key()).unwrap();
    let other = key();
    match open(&envelope, &other) {
        Err(OpenError::WrongKey { id, expected, found }) => {
            assert_eq!(id, envelope.id);
            assert_eq!(expected, other.id());
            assert_ne!(found, expected);
        }
        other => panic!("expected a wrong-key error, got {other:?}"),
    }
}

#[test]
fn any_altered_ciphertext_byte_is_refused() {
    let key = key();
    let envelope = seal(&a_note(), &key).unwrap();
    for i in 0..envelope.ciphertext.0.len() {
        let mut tampered = envelope.clone();
        tampered.ciphertext.0[i] ^= 0x20;
        assert!(
            matches!(open(&tampered, &key), Err(OpenError::Tampered { id }) if id == envelope.id),
            "byte {i}"
        );
    }
    let mut truncated = envelope.clone();
    truncated.ciphertext.0.truncate(10);
    assert!(matches!(open(&truncated, &key), Err(OpenError::Tampered { .. })));
    let mut extended = envelope;
    extended.ciphertext.0.push(0);
    assert!(matches!(open(&extended, &key), Err(OpenError::Tampered { .. })));
}

#[test]
fn any_altered_wrapped_key_byte_is_refused() {
    let key = key();
    let envelope = seal(&a_note(), &key).unwrap();
    // Past the format byte and the key id: the wrap itself.
    for i in 17..envelope.wrapped_key.0.len() {
        let mut tampered = envelope.clone();
        tampered.wrapped_key.0[i] ^= 1;
        assert!(matches!(open(&tampered, &key), Err(OpenError::Tampered { .. })), "byte {i}");
    }
    let mut newer = envelope.clone();
    newer.wrapped_key.0[0] = 2;
    assert!(matches!(open(&newer, &key), Err(OpenError::NewerKeyFormat { found: 2, .. })));
    let mut short = envelope;
    short.wrapped_key.0.truncate(40);
    assert!(matches!(open(&short, &key), Err(OpenError::MalformedKey { len: 40, .. })));
}

#[test]
fn every_swapped_metadata_field_is_refused() {
    let key = key();
    let note = seal(&a_note(), &key).unwrap();
    let person = seal(&all_kinds()[1], &key).unwrap();
    let mut swaps: Vec<(&str, Envelope)> = Vec::new();
    let mut e = note.clone();
    e.id = Uuid::now_v7();
    swaps.push(("id", e));
    let mut e = note.clone();
    e.kind = "person".into();
    swaps.push(("kind", e));
    let mut e = note.clone();
    e.kind = "audio-chunk".into();
    swaps.push(("unknown kind", e));
    let mut e = note.clone();
    e.author = Uuid::now_v7();
    swaps.push(("author", e));
    let mut e = note.clone();
    e.hlc.wall_ms += 1;
    swaps.push(("clock time", e));
    let mut e = note.clone();
    e.hlc.counter += 1;
    swaps.push(("clock counter", e));
    let mut e = note.clone();
    e.hlc.device = Uuid::now_v7();
    swaps.push(("clock device", e));
    // Another envelope's ciphertext, or its wrapped key, under this envelope's metadata.
    let mut e = note.clone();
    e.ciphertext = person.ciphertext.clone();
    swaps.push(("ciphertext from another envelope", e));
    let mut e = note.clone();
    e.wrapped_key = person.wrapped_key.clone();
    swaps.push(("wrapped key from another envelope", e));
    let mut e = person;
    e.id = note.id;
    e.kind = note.kind;
    swaps.push(("metadata from another envelope", e));
    for (what, envelope) in swaps {
        let result = open(&envelope, &key);
        assert!(matches!(result, Err(OpenError::Tampered { .. })), "{what}: {result:?}");
        let message = result.unwrap_err().to_string();
        assert!(message.contains("altered"), "{message}");
    }
}

#[test]
fn a_replayed_envelope_changes_nothing_and_a_refused_one_stores_nothing() {
    let key = key();
    let records = all_kinds();
    let envelopes: Vec<_> = records.iter().map(|r| seal(r, &key).unwrap()).collect();
    let mut replica = Replica::new();
    for envelope in &envelopes {
        assert_eq!(replica.apply_envelope(envelope, &key).unwrap(), Applied::New);
    }
    let before = replica.clone();
    for envelope in &envelopes {
        assert_eq!(replica.apply_envelope(envelope, &key).unwrap(), Applied::Duplicate);
    }
    // The same record sealed again (new ciphertext, same id) is still a replay.
    let resealed = seal(&records[0], &key).unwrap();
    assert_eq!(replica.apply_envelope(&resealed, &key).unwrap(), Applied::Duplicate);
    assert_eq!(replica, before);

    let mut tampered = seal(&a_note(), &key).unwrap();
    tampered.ciphertext.0[30] ^= 1;
    assert!(replica.apply_envelope(&tampered, &key).is_err());
    assert!(replica.apply_envelope(&seal(&a_note(), &self::key()).unwrap(), &key).is_err());
    assert_eq!(replica, before);
    assert!(!replica.contains(&tampered.id));
}

#[test]
fn a_key_rotation_rewraps_the_content_key_and_leaves_the_ciphertext() {
    let (old, new) = (key(), key());
    let plain = a_note();
    let envelope = seal(&plain, &old).unwrap();
    let rotated = rewrap(&envelope, &old, &new).unwrap();
    assert_eq!(rotated.ciphertext, envelope.ciphertext);
    assert_eq!(open(&rotated, &new).unwrap(), plain);
    assert!(matches!(open(&rotated, &old), Err(OpenError::WrongKey { .. })));
    assert!(matches!(rewrap(&envelope, &new, &old), Err(OpenError::WrongKey { .. })));
    // A wrapped key cannot be moved to another envelope.
    let mut other = seal(&a_note(), &old).unwrap();
    other.wrapped_key = envelope.wrapped_key;
    assert!(matches!(rewrap(&other, &old, &new), Err(OpenError::Tampered { .. })));
}
