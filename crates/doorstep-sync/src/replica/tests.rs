use doorstep_core::ids::{DeviceId, NoteId, PersonId};
use doorstep_wire::Hlc;
use uuid::Uuid;

use super::*;
use crate::record::PersonFieldChange;

fn device(n: u128) -> DeviceId {
    DeviceId::from_uuid(Uuid::from_u128(n))
}

fn record(id: u128, dev: u128, wall_ms: u64, change: Change) -> PlainRecord {
    let author = device(dev);
    PlainRecord {
        id: Uuid::from_u128(id),
        author,
        hlc: Hlc { wall_ms, counter: 0, device: *author.as_uuid() },
        change,
    }
}

fn field(person: PersonId, value: Option<&str>) -> Change {
    Change::PersonField(PersonFieldChange {
        person,
        field: "name".into(),
        value: value.map(str::to_owned),
    })
}

fn note(id: NoteId, subject: PersonId, text: &str) -> Change {
    Change::Note(NoteVersion::new(id, subject, text.into()))
}

#[test]
fn a_delete_beats_an_older_write_that_arrives_after_it() {
    let person = PersonId::from_uuid(Uuid::from_u128(9));
    let write = record(1, 1, 100, field(person, Some("Pat")));
    let delete = record(2, 2, 200, field(person, None));
    let mut a = Replica::new();
    a.apply(delete.clone());
    a.apply(write.clone());
    let mut b = Replica::new();
    b.apply(write);
    b.apply(delete);
    assert_eq!(a, b);
    assert_eq!(a.person_field(person, "name").map(|r| r.value.clone()), Some(None));
    assert_eq!(a.person_fields(person).count(), 0);
}

#[test]
fn an_edit_adds_a_version_and_keeps_the_old_one() {
    let subject = PersonId::from_uuid(Uuid::from_u128(9));
    let id = NoteId::from_uuid(Uuid::from_u128(7));
    let mut replica = Replica::new();
    replica.apply(record(2, 2, 300, note(id, subject, "edited on the tablet")));
    replica.apply(record(1, 1, 100, note(id, subject, "first words")));
    replica.apply(record(3, 1, 200, note(id, subject, "edited on the phone")));
    let history = replica.note(&id).unwrap();
    assert_eq!(history.len(), 3);
    assert_eq!(history.current().unwrap().text, "edited on the tablet");
    let texts: Vec<_> = history.versions().map(|(_, _, v)| v.text.as_str()).collect();
    assert_eq!(texts, ["first words", "edited on the phone", "edited on the tablet"]);
}

#[test]
fn a_record_applied_twice_changes_nothing() {
    let person = PersonId::from_uuid(Uuid::from_u128(9));
    let mut replica = Replica::new();
    let first = record(1, 1, 100, field(person, Some("Pat")));
    assert_eq!(replica.apply(first.clone()), Applied::New);
    let before = replica.clone();
    assert_eq!(replica.apply(first), Applied::Duplicate);
    assert_eq!(replica, before);
    assert_eq!(replica.len(), 1);
}

#[test]
fn equal_clocks_on_two_devices_are_ordered_by_device() {
    let person = PersonId::from_uuid(Uuid::from_u128(9));
    let low = record(5, 1, 100, field(person, Some("from device 1")));
    let high = record(4, 2, 100, field(person, Some("from device 2")));
    for order in [[low.clone(), high.clone()], [high, low]] {
        let mut replica = Replica::new();
        order.into_iter().for_each(|r| {
            replica.apply(r);
        });
        let value = replica.person_field(person, "name").and_then(|r| r.value.clone());
        assert_eq!(value.as_deref(), Some("from device 2"));
    }
}

#[test]
fn a_recording_travels_sealed_in_pieces_and_is_whole_only_with_all_of_them() {
    use doorstep_core::ids::RecordingId;
    use doorstep_core::keys::DataKey;
    use doorstep_core::store::{AudioPart, Recording, RecordingState};

    let key = DataKey::generate().unwrap().sync_key();
    let recording = Recording {
        id: RecordingId::new(),
        file: "recordings/r.dsr".into(),
        sample_rate: 16_000,
        started_at: chrono::Utc::now(),
        duration_ms: Some(20_000),
        state: RecordingState::Finished,
        note: None,
    };
    let sound: Vec<u8> = (0..600_000u32).map(|i| (i % 253) as u8).collect();
    let parts = AudioPart::split(&recording, NoteId::new(), &sound);
    let envelopes: Vec<Envelope> = parts
        .iter()
        .zip(1..)
        .map(|(part, id)| {
            let plain = record(id, 1, 100 + id as u64, Change::Audio(AudioPiece::from_part(part)));
            crate::seal(&plain, &key).unwrap()
        })
        .collect();
    assert!(envelopes.iter().all(|e| e.kind == "audio"));
    // The raw audio is not base64-encoded inside the ciphertext: it barely grows.
    let sealed: usize = envelopes.iter().map(|e| e.ciphertext.0.len()).sum();
    assert!(sealed < sound.len() + 2_000, "{sealed} bytes sealed for {}", sound.len());

    let mut replica = Replica::new();
    for envelope in envelopes[1..].iter().rev() {
        replica.apply_envelope(envelope, &key).unwrap();
    }
    assert!(replica.recording(recording.id).is_none(), "whole without its first piece");
    replica.apply_envelope(&envelopes[0], &key).unwrap();
    assert_eq!(replica.apply_envelope(&envelopes[1], &key).unwrap(), Applied::Duplicate);
    assert_eq!(replica.recording(recording.id).unwrap(), sound);
    let opened = open(&envelopes[2], &key).unwrap();
    let Change::Audio(piece) = opened.change else { panic!("not audio") };
    assert_eq!(piece.to_part().unwrap(), parts[2]);

    let mut tampered = envelopes[0].clone();
    tampered.ciphertext.0[40] ^= 1;
    assert!(matches!(open(&tampered, &key), Err(OpenError::Tampered { .. })));
    assert!(matches!(AudioPiece::decode(&[0, 0, 0, 9, b'{']), Err(crate::PieceError::Short)));
}
