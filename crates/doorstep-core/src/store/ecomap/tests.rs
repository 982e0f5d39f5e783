use super::*;
use crate::ids::TieId;
use crate::model::{
    EcomapTie, MapEvidence, MapPoint, NewNote, NoteSource, SupportFlow, TextSpan, TieQuality,
};
use crate::store::test_support::{add_person as person, scratch_store as store};

fn note(store: &mut Store, subject: PersonId, date: Option<&str>, text: &str) -> NoteId {
    store
        .add_note(NewNote {
            subject,
            visit: None,
            date: date.map(|d| d.parse().unwrap()),
            service: None,
            text: text.into(),
            source: NoteSource::Typed,
            author: "test".into(),
            external_id: None,
        })
        .unwrap()
        .id
}

fn tie(who: &str, category: TieCategory, quality: TieQuality, note: Option<NoteId>) -> EcomapTie {
    EcomapTie {
        id: TieId::new(),
        who: who.into(),
        aliases: vec![format!("our {who}")],
        role: "daughter".into(),
        category,
        quality,
        support: SupportFlow::ToSubject,
        note: String::new(),
        domains: Vec::new(),
        evidence: Some(MapEvidence { note, span: TextSpan::new(0, 5), text: "Karen".into() }),
    }
}

fn map_with(person: PersonId, ties: Vec<EcomapTie>) -> Ecomap {
    Ecomap {
        person,
        ties,
        strengths: vec![MapPoint {
            text: "keeps her garden".into(),
            domains: Vec::new(),
            evidence: None,
        }],
        matters: Vec::new(),
    }
}

fn stored_ties(store: &Store, person: PersonId) -> Vec<(String, String, String)> {
    let mut stmt = store
        .conn
        .prepare("SELECT who, quality, aliases FROM ecomap_ties WHERE person = ?1 ORDER BY who")
        .unwrap();
    stmt.query_map([person], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn versions_count_up_and_old_versions_never_change() {
    let (_dir, mut store) = store();
    let joan = person(&mut store, "Joan Platt");
    assert_eq!(store.latest_ecomap(joan).unwrap(), None);
    assert!(store.ecomap_versions(joan).unwrap().is_empty());

    let n1 = note(&mut store, joan, Some("2026-01-05"), "Her daughter Karen visits daily.");
    let first =
        map_with(joan, vec![tie("Karen", TieCategory::Family, TieQuality::Strong, Some(n1))]);
    let v1 = store.save_ecomap(&first, &[n1], &[]).unwrap();
    assert_eq!(v1.version, 1);

    let mut second = first.clone();
    second.ties[0].quality = TieQuality::Tenuous;
    second.ties.push(tie("Edna", TieCategory::Neighbour, TieQuality::Moderate, None));
    let v2 = store.save_ecomap(&second, &[], &[]).unwrap();
    assert_eq!(v2.version, 2);

    assert_eq!(store.ecomap_version(joan, 1).unwrap(), v1);
    assert_eq!(store.ecomap_version(joan, 1).unwrap().map, first);
    assert_eq!(store.latest_ecomap(joan).unwrap(), Some(v2.clone()));
    let listed = store.ecomap_versions(joan).unwrap();
    let summary: Vec<(u32, usize)> = listed.iter().map(|v| (v.version, v.ties)).collect();
    assert_eq!(summary, [(1, 1), (2, 2)]);
    assert_eq!(listed[1].confirmed_at, v2.confirmed_at);

    // The current ties are the latest version's, with their other names for the vocabulary.
    let ties = stored_ties(&store, joan);
    assert_eq!(ties.len(), 2);
    assert_eq!(ties[1], ("Karen".into(), "tenuous".into(), r#"["our Karen"]"#.into()));

    // Nothing, not even SQL run by hand, rewrites a confirmed version.
    let err = store
        .conn
        .execute("UPDATE ecomap_versions SET ties = 0 WHERE person = ?1", [joan])
        .unwrap_err();
    assert!(err.to_string().contains("never changed"), "{err}");
    assert_eq!(store.ecomap_version(joan, 1).unwrap(), v1);
}

#[test]
fn a_missing_version_is_a_clear_error() {
    let (_dir, mut store) = store();
    let joan = person(&mut store, "Joan Platt");
    let err = store.ecomap_version(joan, 1).unwrap_err();
    assert!(matches!(err, Error::NoSuchEcomapVersion { version: 1, latest: 0 }), "{err}");
    assert!(err.to_string().contains("no ecomap has been confirmed yet"), "{err}");
    store.save_ecomap(&Ecomap::empty(joan), &[], &[]).unwrap();
    store.save_ecomap(&Ecomap::empty(joan), &[], &[]).unwrap();
    let err = store.ecomap_version(joan, 7).unwrap_err();
    assert_eq!(err.to_string(), "there is no ecomap version 7: versions are 1 to 2");
    assert!(store.ecomap_version(joan, 0).is_err());
}

#[test]
fn each_person_has_their_own_history() {
    let (_dir, mut store) = store();
    let joan = person(&mut store, "Joan Platt");
    let dev = person(&mut store, "Dev Patel");
    store.save_ecomap(&Ecomap::empty(joan), &[], &[]).unwrap();
    let first_of_dev =
        map_with(dev, vec![tie("Priya", TieCategory::Family, TieQuality::Strong, None)]);
    assert_eq!(store.save_ecomap(&first_of_dev, &[], &[]).unwrap().version, 1);
    assert_eq!(store.save_ecomap(&Ecomap::empty(dev), &[], &[]).unwrap().version, 2);
    assert_eq!(store.ecomap_versions(joan).unwrap().len(), 1);
    assert!(stored_ties(&store, dev).is_empty(), "a confirm replaces the person's ties");
}

#[test]
fn unread_notes_come_in_date_order_and_edits_are_read_again() {
    let (_dir, mut store) = store();
    let joan = person(&mut store, "Joan Platt");
    let dev = person(&mut store, "Dev Patel");
    let later = note(&mut store, joan, Some("2026-03-01"), "Later note.");
    let earlier = note(&mut store, joan, Some("2026-01-01"), "Earlier note.");
    let undated = note(&mut store, joan, None, "Undated note.");
    note(&mut store, dev, Some("2026-01-01"), "Someone else's note.");
    let unread: Vec<NoteId> =
        store.unread_ecomap_notes(joan).unwrap().into_iter().map(|n| n.id).collect();
    assert_eq!(unread, [undated, earlier, later]);

    store.save_ecomap(&Ecomap::empty(joan), &[undated, earlier], &[]).unwrap();
    let unread = store.unread_ecomap_notes(joan).unwrap();
    assert_eq!(unread.len(), 1);
    assert_eq!((unread[0].id, unread[0].text.as_str()), (later, "Later note."));

    // A note edited after it was read is read again.
    store
        .conn
        .execute(
            "UPDATE notes SET text = 'Earlier, corrected.', edited_at = '2099-01-01T00:00:00Z'
             WHERE id = ?1",
            [earlier],
        )
        .unwrap();
    let unread: Vec<NoteId> =
        store.unread_ecomap_notes(joan).unwrap().into_iter().map(|n| n.id).collect();
    assert_eq!(unread, [earlier, later]);
    store.save_ecomap(&Ecomap::empty(joan), &[earlier, later], &[]).unwrap();
    assert!(store.unread_ecomap_notes(joan).unwrap().is_empty());
}

#[test]
fn a_failed_save_leaves_nothing_half_written() {
    let (_dir, mut store) = store();
    let joan = person(&mut store, "Joan Platt");
    let dev = person(&mut store, "Dev Patel");
    let n1 = note(&mut store, joan, Some("2026-01-05"), "Karen visits.");
    let n2 = note(&mut store, joan, Some("2026-02-05"), "Karen rarely visits now.");
    let of_dev = note(&mut store, dev, Some("2026-01-05"), "Dev's note.");
    let first =
        map_with(joan, vec![tie("Karen", TieCategory::Family, TieQuality::Strong, Some(n1))]);
    let v1 = store.save_ecomap(&first, &[n1], &[]).unwrap();

    let mut second = first.clone();
    second.ties[0].quality = TieQuality::Tenuous;
    second.ties.push(tie("Edna", TieCategory::Neighbour, TieQuality::Moderate, None));
    let rejected = [EcomapRejection { who: "Gary".into(), category: TieCategory::Friend }];
    // The version and ties are written before the notes are marked; Dev's note fails the save.
    let err = store.save_ecomap(&second, &[n2, of_dev], &rejected).unwrap_err();
    assert!(matches!(err, Error::NoteOfAnotherPerson { .. }), "{err}");
    let err = store.save_ecomap(&second, &[n2, NoteId::new()], &rejected).unwrap_err();
    assert!(matches!(err, Error::NoSuchNote(_)), "{err}");

    assert_eq!(store.latest_ecomap(joan).unwrap(), Some(v1));
    assert_eq!(store.ecomap_versions(joan).unwrap().len(), 1);
    assert_eq!(
        stored_ties(&store, joan),
        [("Karen".into(), "strong".into(), r#"["our Karen"]"#.into())]
    );
    let unread: Vec<NoteId> =
        store.unread_ecomap_notes(joan).unwrap().into_iter().map(|n| n.id).collect();
    assert_eq!(unread, [n2]);
    assert!(store.ecomap_rejections(joan).unwrap().is_empty());

    // A map of someone who is not on the caseload is refused before anything is written.
    let err = store.save_ecomap(&Ecomap::empty(PersonId::new()), &[], &[]).unwrap_err();
    assert!(matches!(err, Error::NoSuchPerson(_)), "{err}");
}

#[test]
fn rejections_are_remembered_once_per_name() {
    let (_dir, mut store) = store();
    let joan = person(&mut store, "Joan Platt");
    let gary = EcomapRejection { who: "Gary".into(), category: TieCategory::Friend };
    store.save_ecomap(&Ecomap::empty(joan), &[], std::slice::from_ref(&gary)).unwrap();
    store
        .reject_ecomap_node(joan, &EcomapRejection { who: " gary ".into(), ..gary.clone() })
        .unwrap();
    let day_centre =
        EcomapRejection { who: "day centre".into(), category: TieCategory::SocialCare };
    store.reject_ecomap_node(joan, &day_centre).unwrap();
    assert_eq!(store.ecomap_rejections(joan).unwrap(), [gary, day_centre]);

    let blank = EcomapRejection { who: "  ".into(), category: TieCategory::Friend };
    assert!(matches!(store.reject_ecomap_node(joan, &blank), Err(Error::Empty { .. })));
    let err = store.reject_ecomap_node(PersonId::new(), &blank).unwrap_err();
    assert!(matches!(err, Error::NoSuchPerson(_)), "{err}");
}

#[test]
fn emoji_and_right_to_left_names_round_trip() {
    let (_dir, mut store) = store();
    let person_id = person(&mut store, "سارة 🌻");
    let map =
        map_with(person_id, vec![tie("جدتي 👵", TieCategory::Family, TieQuality::Strong, None)]);
    let saved = store.save_ecomap(&map, &[], &[]).unwrap();
    assert_eq!(store.ecomap_version(person_id, 1).unwrap(), saved);
    assert_eq!(stored_ties(&store, person_id)[0].0, "جدتي 👵");
}

#[test]
fn the_confirmed_ties_and_their_other_names_reach_the_vocabulary() {
    let (_dir, mut store) = store();
    let joan = person(&mut store, "Joan Platt");
    let mut food_bank =
        tie("St Mark's food bank", TieCategory::Community, TieQuality::Strong, None);
    food_bank.aliases = vec!["the food bank".into()];
    let map = map_with(
        joan,
        vec![tie("Karen", TieCategory::Family, TieQuality::Strong, None), food_bank],
    );
    store.save_ecomap(&map, &[], &[]).unwrap();
    let case = store.case_vocabulary(joan).unwrap();
    assert_eq!(case.names, ["Joan Platt", "Karen", "our Karen"]);
    assert_eq!(case.services, ["St Mark's food bank", "the food bank"]);

    // A later confirm replaces them.
    store.save_ecomap(&Ecomap::empty(joan), &[], &[]).unwrap();
    assert_eq!(store.case_vocabulary(joan).unwrap().names, ["Joan Platt"]);
}
