//! What only the PostgreSQL backend has to show: several servers over one database behave as
//! one (cursors of a space stay gap-free and each id is stored once, whichever server a push
//! reaches), and its schema is versioned and guarded. Skipped, saying so, without a server.

#![allow(clippy::unwrap_used, clippy::expect_used)] // helpers outside #[test] fail by panicking too

mod common;

use std::collections::HashSet;

use common::envelope;
use common::postgres::{TestDatabase, run};
use doorstep_server::store::NewDevice;
use doorstep_server::store::postgres::{CURRENT_VERSION, OpenError};
use doorstep_server::token::TokenHash;
use doorstep_server::{Backend, PostgresBackend};
use doorstep_wire::Envelope;
use tokio_postgres::NoTls;
use uuid::Uuid;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_over_one_database_give_gap_free_cursors_and_store_each_id_once() {
    let Some(db) = TestDatabase::create("two_servers_over_one_database").await else { return };
    let servers = [
        PostgresBackend::connect(db.config.clone()).await.unwrap(),
        PostgresBackend::connect(db.config.clone()).await.unwrap(),
    ];
    let (space, author) = (Uuid::now_v7(), Uuid::now_v7());
    let first = NewDevice { device: author, name: "phone".into(), token_hash: TokenHash::of("t") };
    servers[0].create_space(space, first.clone()).await.unwrap();
    assert!(servers[1].create_space(space, first).await.is_err(), "the space is taken");

    // Eight devices' worth of pushes at once, alternating servers; every batch also carries an
    // envelope another batch carries, so the same id races on both servers.
    let shared: Vec<Envelope> = (0..8).map(|n| envelope(author, 100 + n)).collect();
    let mut tasks = Vec::new();
    for task in 0..8u8 {
        let server = servers[usize::from(task % 2)].clone();
        let shared = shared.clone();
        tasks.push(tokio::spawn(async move {
            let mut stored = Vec::new();
            for batch in 0..5u8 {
                let mut envelopes: Vec<Envelope> =
                    (0..4).map(|n| envelope(author, task * 20 + batch * 4 + n)).collect();
                envelopes.push(shared[usize::from((task + batch) % 8)].clone());
                let outcome = server.push(space, envelopes).await.unwrap();
                stored.extend(outcome.stored);
            }
            stored
        }));
    }
    let mut stored = Vec::new();
    for task in tasks {
        stored.extend(task.await.unwrap());
    }
    let unique: HashSet<Uuid> = stored.iter().copied().collect();
    assert_eq!(unique.len(), stored.len(), "no id reported stored twice");
    assert_eq!(stored.len(), 8 * 5 * 4 + 8);

    // Either server pulls all of them, once each, under cursors 1, 2, 3, ...
    for server in &servers {
        let mut cursors = Vec::new();
        let mut ids = HashSet::new();
        let mut after = 0;
        loop {
            let page = server.pull(space, after, 50).await.unwrap();
            for s in &page.envelopes {
                cursors.push(s.cursor);
                assert!(ids.insert(s.envelope.id));
            }
            after = page.envelopes.last().map_or(after, |s| s.cursor);
            if !page.more {
                break;
            }
        }
        assert_eq!(cursors, (1..=stored.len() as u64).collect::<Vec<_>>());
        assert_eq!(ids, unique);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_schema_is_versioned_and_a_newer_database_is_refused_untouched() {
    let Some(db) = TestDatabase::create("the_schema_is_versioned").await else { return };
    // Servers starting together take turns on the upgrade; a later start changes nothing.
    let (a, b) = tokio::join!(
        PostgresBackend::connect(db.config.clone()),
        PostgresBackend::connect(db.config.clone())
    );
    drop((a.unwrap(), b.unwrap()));
    drop(PostgresBackend::connect(db.config.clone()).await.unwrap());

    let (client, connection) = db.config.connect(NoTls).await.unwrap();
    tokio::spawn(connection);
    let versions: Vec<i32> = client
        .query("SELECT version FROM doorstep_schema ORDER BY version", &[])
        .await
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert_eq!(versions, (1..=CURRENT_VERSION).collect::<Vec<_>>());

    let newer = CURRENT_VERSION + 1;
    run(&db.config, &format!("INSERT INTO doorstep_schema (version) VALUES ({newer})")).await;
    let refused = PostgresBackend::connect(db.config.clone()).await;
    assert!(
        matches!(&refused, Err(OpenError::NewerSchema { found, .. }) if *found == newer),
        "{refused:?}"
    );
    let error = refused.unwrap_err().to_string();
    assert!(!error.contains("doorstep:doorstep"), "no password in {error}");
    let max: i32 =
        client.query_one("SELECT max(version) FROM doorstep_schema", &[]).await.unwrap().get(0);
    assert_eq!(max, newer);
}
