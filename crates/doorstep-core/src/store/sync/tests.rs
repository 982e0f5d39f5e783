use super::*;
use crate::ids::NoteId;
use crate::model::{NewNote, NoteSource};
use crate::store::test_support::{add_person, scratch_store};

pub(super) fn new_note(subject: PersonId, text: &str) -> NewNote {
    NewNote {
        subject,
        visit: None,
        date: None,
        service: None,
        text: text.into(),
        source: NoteSource::Typed,
        author: "Sam".into(),
        external_id: None,
    }
}

fn outgoing(kind: &str, carries: Carries) -> Outgoing {
    let id = Uuid::now_v7();
    Outgoing { id, kind: kind.into(), envelope: format!("{{\"id\":\"{id}\"}}"), carries }
}

/// The note as a version sealed by `device` at `wall_ms`.
pub(super) fn sealed(note: &crate::model::Note, device: DeviceId, wall_ms: u64) -> SealedNote {
    let stamp =
        ChangeStamp { wall_ms, counter: 0, device: *device.as_uuid(), record: Uuid::now_v7() };
    SealedNote::of(note.clone(), stamp, device)
}

#[test]
fn the_device_identity_is_made_once_and_the_token_never_prints() {
    let (_dir, mut store) = scratch_store();
    let first = store.sync_state().unwrap();
    assert!(first.server.is_none());
    assert_eq!(first.pull_cursor, 0);
    assert_eq!(store.sync_state().unwrap().device, first.device);

    let space = Uuid::now_v7();
    let token = SyncToken::new("s3cret-token-value".into());
    let device = first.device;
    let server = SyncServer { url: "http://x".into(), space, token };
    store.set_sync_server(device, &server, None).unwrap();
    assert!(store.space_key().unwrap().is_none());
    store.set_pull_cursor(42).unwrap();
    store.set_sync_clock(SyncClock { wall_ms: 1_700_000_000_000, counter: 3 }).unwrap();
    let state = store.sync_state().unwrap();
    let server = state.server.as_ref().unwrap();
    assert_eq!((server.space, server.token.expose()), (space, "s3cret-token-value"));
    assert_eq!(state.pull_cursor, 42);
    assert_eq!(state.clock, SyncClock { wall_ms: 1_700_000_000_000, counter: 3 });
    assert!(!format!("{state:?}").contains("s3cret"), "{state:?}");
}

#[test]
fn the_outbox_sends_text_before_audio_and_forgets_what_was_pushed() {
    let (_dir, mut store) = scratch_store();
    let person = add_person(&mut store, "Joan Platt");
    let a = store.add_note(new_note(person, "First visit.")).unwrap().id;
    let b = store.add_note(new_note(person, "Second visit.")).unwrap().id;
    assert_eq!(store.unshared_people().unwrap().len(), 1);
    assert_eq!(store.unshared_notes().unwrap().len(), 2);
    assert_eq!(store.unshared_count().unwrap(), 3);

    let audio = outgoing("audio", Carries::Audio(RecordingId::new()));
    let first = store.note(a).unwrap();
    let name =
        PersonFieldValue { person, field: "name", value: Some("Joan Platt".into()), first: true };
    let stamp =
        ChangeStamp { wall_ms: 4, counter: 0, device: Uuid::now_v7(), record: Uuid::now_v7() };
    let queued = [
        audio.clone(),
        outgoing("person", Carries::PersonField(SealedPersonField { stamp, field: name })),
        outgoing("note", Carries::Note(sealed(&first, DeviceId::new(), 5))),
    ];
    store.queue_outgoing(&queued).unwrap();
    assert_eq!(store.outbox_len().unwrap(), 3);
    let kinds: Vec<String> = store.outbox(10).unwrap().into_iter().map(|e| e.kind).collect();
    assert_eq!(kinds, ["person", "note", "audio"]);
    assert!(store.unshared_people().unwrap().is_empty());
    let left: Vec<NoteId> = store.unshared_notes().unwrap().into_iter().map(|n| n.id).collect();
    assert_eq!(left, [b]);

    store.mark_pushed(&[queued[1].id, audio.id]).unwrap();
    let ids: Vec<Uuid> = store.outbox(10).unwrap().into_iter().map(|e| e.id).collect();
    assert_eq!(ids, [queued[2].id]);
}

#[test]
fn a_joined_caseload_keeps_its_key_and_a_registration_drops_it() {
    let (_dir, mut store) = scratch_store();
    let key = crate::keys::DataKey::from_bytes([4u8; 32]).sync_key();
    let token = SyncToken::new("t".into());
    let server = SyncServer { url: "http://x".into(), space: Uuid::now_v7(), token };
    store.set_sync_server(DeviceId::new(), &server, Some(&key)).unwrap();
    assert_eq!(store.space_key().unwrap().map(|k| k.id()), Some(key.id()));
    store.set_sync_server(DeviceId::new(), &server, None).unwrap();
    assert!(store.space_key().unwrap().is_none());
}

#[test]
fn a_push_takes_text_in_batches_and_audio_one_piece_at_a_time() {
    let (_dir, mut store) = scratch_store();
    let piece = || outgoing("audio", Carries::Audio(RecordingId::new()));
    let name =
        |person| PersonFieldValue { person, field: "name", value: Some("Jo".into()), first: true };
    let stamp =
        ChangeStamp { wall_ms: 4, counter: 0, device: Uuid::now_v7(), record: Uuid::now_v7() };
    let people: Vec<Outgoing> = ["Ann", "Bea", "Cy"]
        .into_iter()
        .map(|who| {
            let field = name(add_person(&mut store, who));
            outgoing("person", Carries::PersonField(SealedPersonField { stamp, field }))
        })
        .collect();
    store.queue_outgoing(&[piece(), piece()]).unwrap();
    store.queue_outgoing(&people).unwrap();
    let kinds = |entries: Vec<OutboxEntry>| entries.into_iter().map(|e| e.kind).collect::<Vec<_>>();
    assert_eq!(kinds(store.next_push(10).unwrap()), ["person", "person", "person"]);
    assert_eq!(kinds(store.next_push(2).unwrap()), ["person", "person"]);
    store.mark_pushed(&people.iter().map(|p| p.id).collect::<Vec<_>>()).unwrap();
    assert_eq!(kinds(store.next_push(10).unwrap()), ["audio"]);
}
