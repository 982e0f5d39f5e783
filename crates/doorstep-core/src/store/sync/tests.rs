use super::*;
use crate::model::NoteSource;
use crate::store::test_support::{add_person, scratch_store};

fn new_note(subject: PersonId, text: &str) -> NewNote {
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

fn outgoing(kind: &str, record: Uuid) -> Outgoing {
    let id = Uuid::now_v7();
    Outgoing { id, kind: kind.into(), envelope: format!("{{\"id\":\"{id}\"}}"), record }
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
    store.set_sync_server(device, &SyncServer { url: "http://x".into(), space, token }).unwrap();
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

    let audio = outgoing("audio-chunk", Uuid::now_v7());
    let queued =
        [audio.clone(), outgoing("person", *person.as_uuid()), outgoing("note", *a.as_uuid())];
    store.queue_outgoing(&queued).unwrap();
    assert_eq!(store.outbox_len().unwrap(), 3);
    let kinds: Vec<String> = store.outbox(10).unwrap().into_iter().map(|e| e.kind).collect();
    assert_eq!(kinds, ["person", "note", "audio-chunk"]);
    assert!(store.unshared_people().unwrap().is_empty());
    let left: Vec<NoteId> = store.unshared_notes().unwrap().into_iter().map(|n| n.id).collect();
    assert_eq!(left, [b]);

    store.mark_pushed(&[queued[1].id, audio.id]).unwrap();
    let ids: Vec<Uuid> = store.outbox(10).unwrap().into_iter().map(|e| e.id).collect();
    assert_eq!(ids, [queued[2].id]);
}

#[test]
fn a_received_note_is_added_once_with_its_id_and_never_shared_back() {
    let (_dir, mut store) = scratch_store();
    let person = PersonId::new();
    let note = NoteId::new();
    let (env_person, env_note) = (Uuid::now_v7(), Uuid::now_v7());
    assert!(store.receive_person(env_person, person, "Joan Platt").unwrap());
    assert!(store.receive_note(env_note, note, &new_note(person, "She was well.")).unwrap());
    // Replayed envelopes change nothing.
    assert!(!store.receive_person(env_person, person, "Joan Platt").unwrap());
    assert!(!store.receive_note(env_note, note, &new_note(person, "She was well.")).unwrap());
    assert_eq!(store.note(note).unwrap().text, "She was well.");
    assert_eq!(store.all_notes().unwrap().len(), 1);
    assert!(store.unshared_notes().unwrap().is_empty());
    assert!(store.unshared_people().unwrap().is_empty());
    // A note about someone this store has not received is refused, not half-stored.
    let stranger = new_note(PersonId::new(), "Who?");
    assert!(matches!(
        store.receive_note(Uuid::now_v7(), NoteId::new(), &stranger),
        Err(Error::NoSuchPerson(_))
    ));
}
