use std::path::Path;

use super::*;
use crate::model::NoteSource;
use crate::store::sync::Carries;
use crate::store::sync::tests::{new_note, sealed};
use crate::store::test_support::{add_person, scratch_store};
use crate::store::{Outgoing, Store};

fn device(n: u128) -> DeviceId {
    DeviceId::from_uuid(Uuid::from_u128(n))
}

/// A version of `note` about `subject` saying `text`, sealed by device `dev` at `wall_ms`.
fn received(note: NoteId, subject: PersonId, text: &str, wall_ms: u64, dev: u128) -> ReceivedNote {
    let author = device(dev);
    ReceivedNote {
        id: note,
        subject,
        date: None,
        service: None,
        source: NoteSource::Typed,
        author: "Sam".into(),
        version: NoteRevision {
            stamp: ChangeStamp {
                wall_ms,
                counter: 0,
                device: *author.as_uuid(),
                record: Uuid::now_v7(),
            },
            author,
            text: text.into(),
            own_words: Vec::new(),
            status: NoteStatus::Draft,
        },
    }
}

fn queue(store: &mut Store, sealed: SealedNote) {
    let id = Uuid::now_v7();
    let item =
        Outgoing { id, kind: "note".into(), envelope: "{}".into(), carries: Carries::Note(sealed) };
    store.queue_outgoing(&[item]).unwrap();
}

fn unshared(store: &Store) -> Vec<NoteId> {
    store.unshared_notes().unwrap().into_iter().map(|n| n.id).collect()
}

fn texts(store: &Store, note: NoteId) -> Vec<String> {
    store.note_history(note).unwrap().into_iter().map(|v| v.text).collect()
}

#[test]
fn every_change_waits_to_be_sealed_again_and_every_version_is_kept() {
    let (_dir, mut store) = scratch_store();
    let person = add_person(&mut store, "Joan Platt");
    let note = store.add_note(new_note(person, "Joan said I am fine.")).unwrap();
    let here = device(1);
    assert_eq!(unshared(&store), [note.id]);
    queue(&mut store, sealed(&note, here, 10));
    assert!(unshared(&store).is_empty());

    let edited = store.edit_note_text(note.id, "Joan said \"I am fine\".").unwrap();
    assert_eq!(unshared(&store), [note.id], "an edit is a new version to share");
    queue(&mut store, sealed(&edited, here, 20));
    let marked = store.set_own_words(note.id, &[TextSpan::new(11, 20)]).unwrap();
    queue(&mut store, sealed(&marked, here, 30));
    let approved = store.approve_note(note.id, Path::new("/nonexistent")).unwrap();
    assert_eq!(unshared(&store), [note.id], "an approval is a new version to share");
    queue(&mut store, sealed(&approved, here, 40));
    assert!(unshared(&store).is_empty());

    let history = store.note_history(note.id).unwrap();
    assert_eq!(history.len(), 4);
    assert_eq!(history[0].text, "Joan said I am fine.");
    assert_eq!(history[3].status, NoteStatus::Approved);
    assert_eq!(history[3].own_words, [TextSpan::new(11, 20)]);
    assert_eq!(store.note(note.id).unwrap().status, NoteStatus::Approved);
    assert_eq!(store.unshared_count().unwrap(), 1, "only the person is left to share");
}

#[test]
fn a_note_changed_while_it_was_being_sealed_waits_for_its_next_version() {
    let (_dir, mut store) = scratch_store();
    let person = add_person(&mut store, "Joan Platt");
    let note = store.add_note(new_note(person, "First words.")).unwrap();
    let read_for_sealing = store.note(note.id).unwrap();
    store.edit_note_text(note.id, "Second words.").unwrap();
    queue(&mut store, sealed(&read_for_sealing, device(1), 10));
    assert_eq!(unshared(&store), [note.id]);
    assert_eq!(store.note(note.id).unwrap().text, "Second words.");
    assert_eq!(texts(&store, note.id), ["First words."]);
}

#[test]
fn received_versions_join_the_history_and_every_order_shows_the_latest() {
    let person = PersonId::new();
    let note = NoteId::new();
    let versions = [
        received(note, person, "from the phone", 10, 1),
        received(note, person, "from the tablet", 20, 2),
        received(note, person, "from the laptop", 15, 3),
    ];
    for order in [[0, 1, 2], [2, 1, 0], [1, 0, 2]] {
        let (_dir, mut store) = scratch_store();
        store.receive_person(Uuid::now_v7(), person, "Joan Platt").unwrap();
        for i in order {
            assert!(store.receive_note_version(&versions[i]).unwrap());
        }
        for version in &versions {
            assert!(!store.receive_note_version(version).unwrap(), "a replay changed the store");
        }
        assert_eq!(store.note(note).unwrap().text, "from the tablet");
        assert_eq!(texts(&store, note), ["from the phone", "from the laptop", "from the tablet"]);
        assert!(store.unshared_notes().unwrap().is_empty(), "a received note is shared back");
        assert_eq!(store.all_notes().unwrap().len(), 1);
    }
}

#[test]
fn a_change_made_here_is_shown_until_it_is_sealed_then_the_latest_version_wins() {
    let (_dir, mut store) = scratch_store();
    let person = PersonId::new();
    let note = NoteId::new();
    store.receive_person(Uuid::now_v7(), person, "Joan Platt").unwrap();
    store.receive_note_version(&received(note, person, "first", 10, 2)).unwrap();
    let edited = store.edit_note_text(note, "edited here").unwrap();
    store.receive_note_version(&received(note, person, "edited there", 30, 3)).unwrap();
    assert_eq!(store.note(note).unwrap().text, "edited here", "a local change was overwritten");
    // Sealed with a clock behind the other device's edit (as after a crash lost the saved
    // clock): the history decides, as it does on every other device.
    queue(&mut store, sealed(&edited, device(1), 20));
    assert_eq!(store.note(note).unwrap().text, "edited there");
    assert_eq!(texts(&store, note), ["first", "edited here", "edited there"]);
    assert!(unshared(&store).is_empty());
}

#[test]
fn a_version_that_does_not_fit_its_note_or_person_is_refused() {
    let (_dir, mut store) = scratch_store();
    let person = PersonId::new();
    let note = NoteId::new();
    store.receive_person(Uuid::now_v7(), person, "Joan Platt").unwrap();
    let stranger = received(NoteId::new(), PersonId::new(), "Who?", 10, 2);
    assert!(matches!(store.receive_note_version(&stranger), Err(Error::NoSuchPerson(_))));
    store.receive_note_version(&received(note, person, "She was well.", 10, 2)).unwrap();
    let other = PersonId::new();
    store.receive_person(Uuid::now_v7(), other, "Ann Lee").unwrap();
    let moved = received(note, other, "Moved?", 20, 2);
    let refused = store.receive_note_version(&moved).unwrap_err();
    assert!(matches!(refused, Error::BadRecord(_)) && refused.is_refusal(), "{refused}");
    let mut outside = received(note, person, "Short.", 30, 2);
    outside.version.own_words = vec![TextSpan::new(2, 90)];
    let refused = store.receive_note_version(&outside).unwrap_err();
    assert!(refused.is_refusal(), "{refused}");
    let mut future = received(note, person, "Far ahead.", u64::MAX, 2);
    future.version.stamp.wall_ms = u64::MAX;
    assert!(store.receive_note_version(&future).unwrap_err().is_refusal());
    assert_eq!(texts(&store, note), ["She was well."]);
}
