use super::*;
use crate::ids::TieId;
use crate::model::{EcomapTie, MapPoint, SupportFlow, TieCategory, TieQuality};
use crate::store::sync::Carries;
use crate::store::test_support::scratch_store;
use crate::store::{Outgoing, Store};

fn tie(who: &str, quality: TieQuality) -> EcomapTie {
    EcomapTie {
        id: TieId::new(),
        who: who.into(),
        aliases: Vec::new(),
        role: "friend".into(),
        category: TieCategory::Friend,
        quality,
        support: SupportFlow::Both,
        note: String::new(),
        domains: Vec::new(),
        evidence: None,
    }
}

fn stamp(wall_ms: u64, device: u128) -> ChangeStamp {
    ChangeStamp { wall_ms, counter: 0, device: Uuid::from_u128(device), record: Uuid::now_v7() }
}

/// Seals what `store` staged (at most one person here) at `stamp`; returns the writes sealed.
fn seal(store: &mut Store, stamp: ChangeStamp) -> Vec<ElementChange> {
    let mut staged = store.staged_ecomaps().unwrap();
    assert!(staged.len() <= 1);
    let Some(staged) = staged.pop() else { return Vec::new() };
    let writes = staged.elements.clone();
    let carries = Carries::Ecomap(SealedEcomap { stamp, staged });
    let item =
        Outgoing { id: Uuid::now_v7(), kind: "ecomap".into(), envelope: "{}".into(), carries };
    store.queue_outgoing(&[item]).unwrap();
    writes
}

fn latest(store: &Store, person: PersonId) -> Ecomap {
    store.latest_ecomap(person).unwrap().unwrap().map
}

fn two_stores_with(person: PersonId) -> [(tempfile::TempDir, Store); 2] {
    [scratch_store(), scratch_store()].map(|(dir, mut store)| {
        store.receive_person(Uuid::now_v7(), person, "Joan Platt").unwrap();
        (dir, store)
    })
}

#[test]
fn a_confirm_stages_what_changed_and_sealing_shares_it() {
    let person = PersonId::new();
    let [(_dir, mut store), _] = two_stores_with(person);
    let (karen, pat) = (tie("Karen", TieQuality::Strong), tie("Pat", TieQuality::Tenuous));
    let mut map = Ecomap::empty(person);
    map.ties = vec![pat.clone(), karen.clone()];
    map.strengths = vec![MapPoint { text: "cooks".into(), domains: Vec::new(), evidence: None }];
    let saved = store.save_ecomap(&map, &[], &[]).unwrap();
    assert_eq!(saved.map.ties, [karen.clone(), pat.clone()], "ties are kept in id order");
    let staged = store.staged_ecomaps().unwrap();
    let ids: Vec<Uuid> = staged[0].elements.iter().map(|e| e.element).collect();
    assert_eq!(ids, [EcomapElement::STRENGTHS, *karen.id.as_uuid(), *pat.id.as_uuid()]);
    assert_eq!(store.unshared_count().unwrap(), 1);
    seal(&mut store, stamp(10, 1));
    assert!(store.staged_ecomaps().unwrap().is_empty());
    assert_eq!(
        store.ecomap_versions(person).unwrap().len(),
        1,
        "sealing its own confirm made no new version"
    );

    // Karen changed, Pat left out: one write, one removal.
    let mut next = saved.map;
    next.ties = vec![EcomapTie { quality: TieQuality::Stressful, ..karen.clone() }];
    store.save_ecomap(&next, &[], &[]).unwrap();
    let staged = store.staged_ecomaps().unwrap();
    let removed: Vec<(Uuid, bool)> =
        staged[0].elements.iter().map(|e| (e.element, e.value.is_none())).collect();
    assert_eq!(removed, [(*karen.id.as_uuid(), false), (*pat.id.as_uuid(), true)]);
}

#[test]
fn two_devices_confirming_different_changes_converge() {
    let person = PersonId::new();
    let [(_a_dir, mut a), (_b_dir, mut b)] = two_stores_with(person);
    let (karen, pat) = (tie("Karen", TieQuality::Strong), tie("Pat", TieQuality::Tenuous));
    let mut first = Ecomap::empty(person);
    first.ties = vec![karen.clone(), pat.clone()];
    a.save_ecomap(&first, &[], &[]).unwrap();
    let first_stamp = stamp(10, 1);
    let writes = seal(&mut a, first_stamp);
    assert!(b.receive_ecomap(first_stamp, person, &writes).unwrap());
    assert!(!b.receive_ecomap(first_stamp, person, &writes).unwrap(), "a replay changed the map");
    assert_eq!(latest(&b, person), latest(&a, person));
    assert!(b.staged_ecomaps().unwrap().is_empty(), "a received map is shared back");

    // A makes Karen stressful while B, not having seen it, removes Pat.
    let mut on_a = latest(&a, person);
    on_a.ties[0].quality = TieQuality::Stressful;
    a.save_ecomap(&on_a, &[], &[]).unwrap();
    let a_stamp = stamp(20, 1);
    let from_a = seal(&mut a, a_stamp);
    let mut on_b = latest(&b, person);
    on_b.ties.retain(|t| t.id != pat.id);
    b.save_ecomap(&on_b, &[], &[]).unwrap();
    let b_stamp = stamp(21, 2);
    let from_b = seal(&mut b, b_stamp);
    assert!(a.receive_ecomap(b_stamp, person, &from_b).unwrap());
    assert!(b.receive_ecomap(a_stamp, person, &from_a).unwrap());
    let merged = latest(&a, person);
    assert_eq!(merged, latest(&b, person));
    assert_eq!(merged.ties.len(), 1);
    assert_eq!((merged.ties[0].id, &merged.ties[0].quality), (karen.id, &TieQuality::Stressful));

    // Pat's older write, delivered late, does not bring the removed tie back.
    let late = [ElementChange {
        element: *pat.id.as_uuid(),
        value: Some(EcomapElement::Tie(Box::new(pat.clone()))),
    }];
    assert!(!a.receive_ecomap(stamp(15, 3), person, &late).unwrap());
    assert_eq!(latest(&a, person), merged);
    let versions = a.ecomap_versions(person).unwrap();
    assert_eq!(versions.last().map(|v| v.ties), Some(1));
}

#[test]
fn an_ecomap_that_does_not_fit_is_refused() {
    let (_dir, mut store) = scratch_store();
    let karen = tie("Karen", TieQuality::Strong);
    let write =
        ElementChange { element: Uuid::now_v7(), value: Some(EcomapElement::Tie(Box::new(karen))) };
    let stranger = store.receive_ecomap(stamp(10, 1), PersonId::new(), &[]).unwrap_err();
    assert!(matches!(stranger, Error::NoSuchPerson(_)));
    let person = PersonId::new();
    store.receive_person(Uuid::now_v7(), person, "Joan Platt").unwrap();
    let refused = store.receive_ecomap(stamp(10, 1), person, &[write]).unwrap_err();
    assert!(matches!(refused, Error::BadRecord(_)) && refused.is_refusal(), "{refused}");
}
