//! A round tells its progress as it goes: after every push and every pulled page, through a
//! real server on loopback, so an app can draw a bar that moves while a recording is on its way.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};

use doorstep_core::DataDir;
use doorstep_core::keys::Passphrase;
use doorstep_core::model::{NewNote, NewPerson, NoteSource};
use doorstep_server::{AppState, RateLimit, SqliteBackend, serve};
use doorstep_sync::client::{self, OnProgress, Progress, Retry, SyncOptions};

/// Collects what a round tells.
fn collector() -> (OnProgress, Arc<Mutex<Vec<Progress>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    (OnProgress(Arc::new(move |p| sink.lock().unwrap().push(p))), seen)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pushes_and_pulled_pages_are_told_as_they_happen() {
    let dir = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let backend = SqliteBackend::open(&dir.path().join("server.db")).unwrap();
    let unlimited = RateLimit { burst: 1e9, per_second: 1e9 };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve(listener, AppState::new(backend, unlimited), async {
        let _ = stopped.await;
    }));

    let passphrase = Passphrase::new("a long enough passphrase".into()).unwrap();
    let (a_dir, b_dir) = (DataDir::new(dir.path().join("a")), DataDir::new(dir.path().join("b")));
    let mut a = a_dir.create(&passphrase, Some("Sam")).unwrap();
    let joan = a.store.add_person(&NewPerson { name: "Joan Platt".into(), ..NewPerson::default() });
    let joan = joan.unwrap().id;
    // More text than one push carries.
    let text = "Joan talked about the garden, the bus and the pension letter. ".repeat(40);
    for n in 0..300 {
        let note = NewNote {
            subject: joan,
            visit: None,
            date: None,
            service: None,
            text: format!("Visit {n}. {text}"),
            source: NoteSource::Typed,
            author: "Sam".into(),
            external_id: None,
        };
        a.store.add_note(note).unwrap();
    }

    let (progress, seen) = collector();
    let options =
        SyncOptions { server: Some(base), progress: Some(progress), ..SyncOptions::default() };
    let report = client::sync(&mut a, &options).await.unwrap();
    let told = seen.lock().unwrap().clone();
    let pushes: Vec<(usize, u64)> = told
        .iter()
        .filter_map(|p| match *p {
            Progress::Pushed { count, remaining } => Some((count, remaining)),
            Progress::Pulled { .. } => None,
        })
        .collect();
    assert!(pushes.len() > 1, "one push for everything: {pushes:?}");
    assert_eq!(pushes.iter().map(|p| p.0).sum::<usize>(), report.pushed + report.duplicates);
    assert!(pushes.windows(2).all(|w| w[1].1 < w[0].1), "the outbox did not shrink: {pushes:?}");
    assert_eq!(pushes.last().unwrap().1, 0);

    std::fs::create_dir_all(b_dir.root()).unwrap();
    std::fs::copy(a_dir.key_file_path(), b_dir.key_file_path()).unwrap();
    let mut b = b_dir.create_store_for_key_file(&passphrase).unwrap();
    let code = client::enrol_device(&mut a, "tablet", Retry::default()).await.unwrap();
    client::join(&mut b, code.reveal()).unwrap();
    let (progress, seen) = collector();
    let options = SyncOptions { progress: Some(progress), ..SyncOptions::default() };
    let pulled = client::sync(&mut b, &options).await.unwrap();
    let pages: Vec<usize> = seen
        .lock()
        .unwrap()
        .iter()
        .filter_map(|p| match *p {
            Progress::Pulled { count } => Some(count),
            Progress::Pushed { .. } => None,
        })
        .collect();
    assert_eq!(pages.iter().sum::<usize>(), pulled.pulled);
    assert_eq!(pulled.pulled, report.pushed);

    let _ = stop.send(());
    server.await.unwrap().unwrap();
}
