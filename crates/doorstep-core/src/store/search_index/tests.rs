use chrono::NaiveDate;

use super::*;
use crate::model::{NewNote, NoteSource, TextSpan};
use crate::store::test_support::{add_person as person, scratch_store as store};

fn note(store: &mut Store, subject: PersonId, date: &str, text: &str) -> NoteId {
    store
        .add_note(NewNote {
            subject,
            visit: None,
            date: Some(date.parse().unwrap()),
            service: None,
            text: text.into(),
            source: NoteSource::Typed,
            author: "test".into(),
            external_id: None,
        })
        .unwrap()
        .id
}

fn key_of(store: &Store, id: NoteId) -> NoteKey {
    NoteKey(
        store
            .conn
            .query_row("SELECT key FROM note_index WHERE note = ?1", [id], |r| r.get(0))
            .unwrap(),
    )
}

fn tag(theme: &str, confidence: f32) -> ThemeTag {
    ThemeTag {
        theme: ThemeId(theme.into()),
        confidence,
        evidence: vec![crate::model::Evidence {
            span: TextSpan::new(0, 4),
            start_ms: None,
            end_ms: None,
        }],
        review: TagReview::Proposed,
    }
}

fn tags_of(store: &Store, id: NoteId) -> Vec<(String, TagReview)> {
    store.note(id).unwrap().themes.into_iter().map(|t| (t.theme.0, t.review)).collect()
}

#[test]
fn notes_are_found_by_their_words_across_endings_and_in_scope() {
    let (_dir, mut store) = store();
    let gareth = person(&mut store, "Gareth Pryce");
    let joan = person(&mut store, "Joan Platt");
    let drinks =
        note(&mut store, gareth, "2026-01-10", "He drinks most days and the flat smells of beer.");
    let later = note(&mut store, gareth, "2026-03-02", "Still drinking, now at night too.");
    let other =
        note(&mut store, joan, "2026-02-01", "Joan's daughter says she was drinking tea happily.");

    let all = store.full_text_matches("drink", &SearchScope::default(), 10).unwrap();
    let keys: Vec<NoteKey> = all.iter().map(|(k, _)| *k).collect();
    assert_eq!(keys.len(), 3, "porter stems drinks/drinking to drink");
    for id in [drinks, later, other] {
        assert!(keys.contains(&key_of(&store, id)));
    }
    let gareth_only = SearchScope { subjects: Some(vec![gareth]), ..SearchScope::default() };
    assert_eq!(store.full_text_matches("drink", &gareth_only, 10).unwrap().len(), 2);
    let spring = SearchScope {
        from: Some(NaiveDate::from_ymd_opt(2026, 2, 1).unwrap()),
        to: Some(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()),
        ..SearchScope::default()
    };
    let found = store.full_text_matches("drink", &spring, 10).unwrap();
    assert_eq!(found.iter().map(|(k, _)| *k).collect::<Vec<_>>(), [key_of(&store, other)]);

    let marked = store.highlighted(key_of(&store, drinks), "drink", "[", "]").unwrap().unwrap();
    assert_eq!(marked, "He [drinks] most days and the flat smells of beer.");
}

#[test]
fn the_full_text_index_follows_edits_and_deletions() {
    let (_dir, mut store) = store();
    let gareth = person(&mut store, "Gareth Pryce");
    let id = note(&mut store, gareth, "2026-01-10", "The boiler is broken.");
    let key = key_of(&store, id);
    store
        .conn
        .execute("UPDATE notes SET text = 'Damp in the bedroom.' WHERE id = ?1", [id])
        .unwrap();
    assert!(store.full_text_matches("boiler", &SearchScope::default(), 10).unwrap().is_empty());
    assert_eq!(store.full_text_matches("damp", &SearchScope::default(), 10).unwrap()[0].0, key);
    let pending = store.notes_to_index("t1", None, 10).unwrap();
    assert_eq!(pending.len(), 1, "an edited note is indexed again");
    store.conn.execute("DELETE FROM notes WHERE id = ?1", [id]).unwrap();
    assert!(store.full_text_matches("damp", &SearchScope::default(), 10).unwrap().is_empty());
    assert!(store.notes_to_index("t1", None, 10).unwrap().is_empty());
    let integrity: String = store
        .conn
        .query_row(
            "INSERT INTO notes_fts(notes_fts, rank) VALUES ('integrity-check', 1) RETURNING 'ok'",
            [],
            |r| r.get(0),
        )
        .unwrap_or_else(|_| "ok".into());
    assert_eq!(integrity, "ok");
}

#[test]
fn re_tagging_keeps_the_practitioners_review() {
    let (_dir, mut store) = store();
    let joan = person(&mut store, "Joan Platt");
    let id = note(&mut store, joan, "2026-01-10", "Joan fell again; her daughter shops for her.");
    let key = key_of(&store, id);
    let index = |tags: Vec<ThemeTag>| IndexedNote {
        key,
        tagged_by: Some("t1".into()),
        tags,
        embedded_by: None,
        pieces: Vec::new(),
    };
    assert_eq!(store.notes_to_index("t1", None, 10).unwrap().len(), 1);
    store
        .save_index(&[index(vec![
            tag("falls_mobility", 0.9),
            tag("loneliness", 0.4),
            tag("neglect", 0.3),
        ])])
        .unwrap();
    assert!(store.notes_to_index("t1", None, 10).unwrap().is_empty());
    store.review_tag(id, &ThemeId("falls_mobility".into()), &TagReview::Confirmed).unwrap();
    store.review_tag(id, &ThemeId("loneliness".into()), &TagReview::Rejected).unwrap();
    let own = store
        .review_tag(id, &ThemeId("strength_family_support".into()), &TagReview::Confirmed)
        .unwrap();
    assert_eq!((own.confidence, own.evidence.len()), (1.0, 0));

    // The tagger runs again and finds falls (fresh evidence) and loneliness, but not neglect.
    store.save_index(&[index(vec![tag("falls_mobility", 0.7), tag("loneliness", 0.8)])]).unwrap();
    assert_eq!(
        tags_of(&store, id),
        [
            ("falls_mobility".to_owned(), TagReview::Confirmed),
            ("loneliness".to_owned(), TagReview::Rejected),
            ("strength_family_support".to_owned(), TagReview::Confirmed),
        ]
    );
    let falls = ThemeId("falls_mobility".into());
    let found =
        store.theme_matches(&[falls], &SearchScope::default(), 10, &NoteKeys::default()).unwrap();
    assert_eq!(found.len(), 1);
    assert!(found[0].confirmed);
    assert!((found[0].confidence - 1.0).abs() < 1e-6, "a confirmed tag is certain");
    let lonely = ThemeId("loneliness".into());
    assert!(
        store
            .theme_matches(&[lonely], &SearchScope::default(), 10, &NoteKeys::default())
            .unwrap()
            .is_empty()
    );
}

#[test]
fn vectors_are_stored_and_replaced() {
    let (_dir, mut store) = store();
    let joan = person(&mut store, "Joan Platt");
    let id = note(&mut store, joan, "2026-01-10", "Joan is well.");
    let key = key_of(&store, id);
    let embed = |byte: u8| IndexedNote {
        key,
        tagged_by: None,
        tags: Vec::new(),
        embedded_by: Some("m1".into()),
        pieces: vec![
            NotePiece { start: 0, end: 5, vector: vec![byte; 4] },
            NotePiece { start: 6, end: 13, vector: vec![byte + 1; 4] },
        ],
    };
    assert_eq!(store.notes_to_index("t1", Some("m1"), 10).unwrap().len(), 1);
    store.save_index(&[embed(1)]).unwrap();
    store.save_index(&[embed(2)]).unwrap();
    let vectors = store.note_vectors().unwrap();
    assert_eq!(vectors.len(), 2, "the second indexing replaced the first");
    assert_eq!((vectors[0].key, vectors[0].subject), (key, joan));
    assert_eq!(vectors[1].piece, NotePiece { start: 6, end: 13, vector: vec![3u8; 4] });
    let pending = store.notes_to_index("t1", Some("m1"), 10).unwrap();
    assert!(pending[0].needs_tags && !pending[0].needs_vector);
    assert_eq!(store.index_backlog("t1", Some("m2")).unwrap(), 1);
}

#[test]
fn a_persons_theme_matches_are_the_caseloads_filtered_to_them() {
    let (_dir, mut store) = store();
    let people: Vec<PersonId> = ["Joan Platt", "Gareth Hughes", "Linda Okoro"]
        .iter()
        .map(|n| person(&mut store, n))
        .collect();
    let mut indexed = Vec::new();
    for n in 0..60u32 {
        let subject = people[n as usize % people.len()];
        let id = note(&mut store, subject, &format!("2026-01-{:02}", 1 + n % 28), "A visit.");
        let mut tags = vec![tag("falls_mobility", 0.3 + (n % 7) as f32 / 10.0)];
        if n % 4 == 0 {
            tags.push(tag("loneliness", 0.5));
        }
        indexed.push(IndexedNote {
            key: key_of(&store, id),
            tagged_by: Some("t1".into()),
            tags,
            embedded_by: None,
            pieces: Vec::new(),
        });
        if n == 7 {
            store.save_index(&indexed).unwrap();
            indexed.clear();
            store.review_tag(id, &ThemeId("falls_mobility".into()), &TagReview::Rejected).unwrap();
        }
    }
    store.save_index(&indexed).unwrap();
    let themes = [ThemeId("falls_mobility".into()), ThemeId("loneliness".into())];
    let none = NoteKeys::default();
    let everyone = store.theme_matches(&themes, &SearchScope::default(), 1000, &none).unwrap();
    assert_eq!(everyone.len(), 59, "the rejected tag is left out");
    for scope in [
        SearchScope { subjects: Some(vec![people[1]]), from: None, to: None },
        SearchScope {
            subjects: Some(vec![people[0], people[2]]),
            from: NaiveDate::from_ymd_opt(2026, 1, 5),
            to: NaiveDate::from_ymd_opt(2026, 1, 20),
        },
    ] {
        let admitted: Vec<NoteKey> = everyone
            .iter()
            .map(|m| m.key)
            .filter(|k| store.notes_in_scope(&scope, 1000).unwrap().contains(k))
            .take(6)
            .collect();
        // The same whether the notes' keys are known beforehand, looked up, or some of each.
        let all = store.note_keys().unwrap();
        let some = NoteKeys(all.0.iter().take(20).map(|(n, k)| (*n, *k)).collect());
        assert_eq!(all.len(), 60);
        for known in [&none, &all, &some] {
            let found: Vec<NoteKey> = store
                .theme_matches(&themes, &scope, 6, known)
                .unwrap()
                .into_iter()
                .map(|m| m.key)
                .collect();
            assert_eq!(found, admitted);
            assert_eq!(found.len(), 6);
        }
    }
}
