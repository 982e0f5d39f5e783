//! `doorstep bench sync`: the sync benchmark of issue 7, in one run.
//!
//! 1. Round trip: notes generated from the labelled corpus are imported on device A, which syncs
//!    them (register, seal, push, pull) through a real server on loopback over SQLite; device B,
//!    enrolled by A, syncs them back (pull, open, apply). Both sides run doorstep-sync's own
//!    client ([`client::sync`]) on real encrypted stores; the import itself is not timed.
//!    Then a recording (10 minutes unless told) travels the same way, in pieces, after the notes.
//! 2. Ingest: many devices, each registered in its own space, push at once in batches. Their
//!    envelopes are copies of those the round trip sealed (fresh ids, each device as author), so
//!    sizes are real; the server cannot open them and does not try. On SQLite, and on PostgreSQL
//!    when a server is named (a fresh database, dropped afterwards).
//! 3. Ceiling: XChaCha20-Poly1305 seals of buffers the size of the average ciphertext, one core.
//!
//! Every throughput is given as envelopes/s and MB/s (bytes on the wire: JSON request bodies),
//! with its ratio to the ceiling in envelopes per second.

use std::path::Path;
use std::time::Instant;

use anyhow::{Context as _, bail, ensure};
use doorstep_core::keys::{ContentKey, Passphrase, SyncKey};
use doorstep_core::store::{ImportOptions, Retention, SyncToken};
use doorstep_core::{DataDir, Unlocked};
use doorstep_server::{AppState, Backend, PostgresBackend, RateLimit, SqliteBackend, serve};
use doorstep_sync::client::{self, Retry, Server, SyncOptions};
use doorstep_wire::{Envelope, PushRequest, RegisterRequest};
use serde::Serialize;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use uuid::Uuid;

use super::Context;

/// The round trip's goal, from issue 7.
const GOAL_SECONDS: f64 = 10.0;

/// No device in the benchmark is ever throttled.
const UNLIMITED: RateLimit = RateLimit { burst: 1e9, per_second: 1e9 };

/// What `bench sync` measures; see the module documentation.
#[derive(Debug, Clone)]
pub struct Plan {
    pub count: usize,
    pub devices: usize,
    pub per_device: usize,
    pub batch: usize,
    pub audio_minutes: u64,
    pub postgres: Option<String>,
}

#[derive(Serialize)]
struct Report {
    round_trip: RoundTrip,
    audio: AudioTrip,
    ingest_sqlite: Throughput,
    ingest_postgres: Ingest,
    ceiling: Ceiling,
}

#[derive(Serialize)]
struct RoundTrip {
    notes: usize,
    /// Envelopes A pushed (notes and the people they are about), and B opened and applied.
    envelopes: usize,
    client: &'static str,
    /// A's sync (register, seal, push, pull its own back) + enrolling B + B's sync.
    seconds: f64,
    push_seconds: f64,
    pull_seconds: f64,
    /// Of `seconds`, what sealing and opening every envelope costs alone, on one core: the
    /// rest is the stores, JSON and HTTP.
    seal_and_open_seconds: f64,
    goal_seconds: f64,
    met_goal: bool,
    #[serde(flatten)]
    rate: Rate,
}

#[derive(Serialize)]
struct Throughput {
    backend: &'static str,
    devices: usize,
    batch: usize,
    envelopes: usize,
    seconds: f64,
    #[serde(flatten)]
    rate: Rate,
}

/// A run that may not have happened, and if so why.
#[derive(Serialize)]
#[serde(untagged)]
enum Ingest {
    Ran(Throughput),
    NotRun { not_run: &'static str },
}

#[derive(Serialize)]
struct Rate {
    envelopes_per_s: f64,
    mb_per_s: f64,
    ratio_to_ceiling: f64,
}

#[derive(Serialize)]
struct Ceiling {
    cipher: &'static str,
    buffer_bytes: usize,
    seals: usize,
    seconds: f64,
    seals_per_s: f64,
    mb_per_s: f64,
}

pub fn run(cx: &Context, corpus: &Path, plan: &Plan) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Runtime::new().context("starting the benchmark runtime")?;
    let report = runtime.block_on(measure(corpus, plan))?;
    if cx.out.json {
        return cx.out.json(&report);
    }
    cx.out.text(&serde_json::to_string_pretty(&report)?)
}

async fn measure(corpus: &Path, plan: &Plan) -> anyhow::Result<Report> {
    let work = tempfile::tempdir()?;
    let trip = round_trip(corpus, plan, work.path()).await?;
    let envelopes = trip.envelopes;
    ensure!(!envelopes.is_empty(), "the round trip moved no envelopes");
    let average = envelopes.iter().map(|e| e.ciphertext.0.len()).sum::<usize>() / envelopes.len();
    let ceiling = ceiling(average)?;
    let per_s = ceiling.seals_per_s;
    let wire_bytes: usize = envelopes.iter().map(wire_len).sum();
    let seconds = trip.push_seconds + trip.pull_seconds;
    let seal_and_open_seconds = seal_and_open(&envelopes, &trip.key)?;
    let round_trip = RoundTrip {
        notes: plan.count,
        envelopes: envelopes.len(),
        client: "doorstep_sync::client::sync on both devices (real encrypted stores), \
                 enrol_device + join for device B",
        seconds,
        push_seconds: trip.push_seconds,
        pull_seconds: trip.pull_seconds,
        seal_and_open_seconds,
        goal_seconds: GOAL_SECONDS,
        met_goal: seconds < GOAL_SECONDS,
        rate: Rate::new(envelopes.len(), wire_bytes, seconds, per_s),
    };
    let backend = SqliteBackend::open(&work.path().join("ingest.db"))?;
    let ingest_sqlite = ingest("sqlite", backend, &envelopes, plan, per_s).await?;
    let ingest_postgres = match &plan.postgres {
        Some(url) => Ingest::Ran(ingest_postgres(url, &envelopes, plan, per_s).await?),
        None => {
            Ingest::NotRun { not_run: "no --postgres URL, and DOORSTEP_TEST_POSTGRES is unset" }
        }
    };
    Ok(Report { round_trip, audio: trip.audio, ingest_sqlite, ingest_postgres, ceiling })
}

impl Rate {
    fn new(envelopes: usize, bytes: usize, seconds: f64, ceiling_per_s: f64) -> Self {
        let envelopes_per_s = envelopes as f64 / seconds;
        Self {
            envelopes_per_s,
            mb_per_s: bytes as f64 / 1e6 / seconds,
            ratio_to_ceiling: envelopes_per_s / ceiling_per_s,
        }
    }
}

fn wire_len(envelope: &Envelope) -> usize {
    serde_json::to_vec(envelope).map_or(0, |json| json.len())
}

/// A sync server on `127.0.0.1:0`, in this process, until [`Running::stop`].
struct Running {
    base: String,
    shutdown: oneshot::Sender<()>,
    task: JoinHandle<std::io::Result<()>>,
}

impl Running {
    async fn start<B: Backend>(backend: B) -> anyhow::Result<Self> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}", listener.local_addr()?);
        let (shutdown, stop) = oneshot::channel::<()>();
        let task = tokio::spawn(serve(listener, AppState::new(backend, UNLIMITED), async {
            let _ = stop.await;
        }));
        Ok(Self { base, shutdown, task })
    }

    async fn stop(self) -> anyhow::Result<()> {
        let _ = self.shutdown.send(());
        Ok(self.task.await??)
    }
}

struct Trip {
    push_seconds: f64,
    pull_seconds: f64,
    /// Every envelope A pushed, as the server returns them.
    envelopes: Vec<Envelope>,
    key: SyncKey,
    audio: AudioTrip,
}

/// A voice note's recording sent from A to B after the notes, in pieces.
#[derive(Serialize)]
struct AudioTrip {
    minutes: u64,
    /// 16 kHz 16-bit mono audio.
    bytes: usize,
    pieces: usize,
    /// A's sync sealing and pushing the pieces.
    push_seconds: f64,
    /// B's sync pulling them, then sealing the whole into its files.
    pull_seconds: f64,
    mb_per_s: f64,
}

/// A's first note gets a recording of `minutes` (a tone with a little noise), which A syncs and
/// B syncs back; B's copy is checked against A's.
async fn audio_trip(a: &mut Unlocked, b: &mut Unlocked, minutes: u64) -> anyhow::Result<AudioTrip> {
    let note = a.store.notes(None)?.first().context("device A has no notes")?.id;
    // Imported notes are approved: both devices keep the audio, to compare it.
    for device in [&mut *a, &mut *b] {
        device.store.set_retention(Retention::Keep)?;
    }
    let samples = usize::try_from(minutes * 60 * 16_000)?;
    let mut noise = fastrand::Rng::with_seed(7);
    let audio: Vec<u8> = (0..samples)
        .flat_map(|i| {
            let tone = (i as f32 * 0.05).sin() * 8_000.0;
            #[allow(clippy::cast_possible_truncation)]
            let sample = (tone + f32::from(noise.i16(-500..500))) as i16;
            sample.to_le_bytes()
        })
        .collect();
    let recording = a.store.start_recording(16_000)?;
    let path = recording.path(a.files_dir());
    std::fs::create_dir_all(path.parent().context("a recording has a folder")?)?;
    doorstep_core::sealed::write_sealed(&path, &a.file_key(), &audio)?;
    a.store.finish_recording(recording.id, minutes * 60_000)?;
    a.store.link_recording_to_note(recording.id, Some(note))?;
    let start = Instant::now();
    let pushed = client::sync(a, &SyncOptions::default()).await?;
    let push_seconds = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let pulled = client::sync(b, &SyncOptions::default()).await?;
    let pull_seconds = start.elapsed().as_secs_f64();
    let copy = b.store.recording(recording.id)?.context("B did not keep the recording")?;
    let heard = doorstep_core::sealed::read_sealed(&copy.path(b.files_dir()), &b.file_key())?;
    ensure!(
        pulled.recordings_received == 1 && heard.concat().as_slice() == audio.as_slice(),
        "B's copy of the recording differs from A's"
    );
    Ok(AudioTrip {
        minutes,
        bytes: audio.len(),
        pieces: pushed.audio_queued,
        push_seconds,
        pull_seconds,
        mb_per_s: audio.len() as f64 / 1e6 / (push_seconds + pull_seconds),
    })
}

/// Device A imports `count` generated notes and syncs; device B, enrolled by A, syncs them back.
async fn round_trip(corpus: &Path, plan: &Plan, work: &Path) -> anyhow::Result<Trip> {
    let count = plan.count;
    let input = work.join("notes.jsonl");
    super::bench::generate(corpus, count, &input)?;
    let passphrase = Passphrase::new("benchmark passphrase".into())?;
    let (a_dir, b_dir) = (DataDir::new(work.join("a")), DataDir::new(work.join("b")));
    let mut a = a_dir.create(&passphrase, Some("Bench"))?;
    let file = std::io::BufReader::new(std::fs::File::open(&input)?);
    a.store.import_notes(file, &ImportOptions::default(), |_| {})?;
    std::fs::create_dir_all(b_dir.root())?;
    std::fs::copy(a_dir.key_file_path(), b_dir.key_file_path())?;
    let mut b = b_dir.create_store_for_key_file(&passphrase)?;
    let key = a.sync_key();

    let server = Running::start(SqliteBackend::open(&work.join("server.db"))?).await?;
    let options = SyncOptions { server: Some(server.base.clone()), ..SyncOptions::default() };
    let start = Instant::now();
    let pushed = client::sync(&mut a, &options).await?;
    let push_seconds = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let code = client::enrol_device(&mut a, "device B", Retry::default()).await?;
    client::join(&mut b, code.reveal())?;
    let pulled = client::sync(&mut b, &SyncOptions::default()).await?;
    let pull_seconds = start.elapsed().as_secs_f64();
    if pulled.applied != pushed.pushed || pushed.pushed < count {
        bail!(
            "A pushed {} envelopes for {count} notes and B applied {}: the round trip lost some",
            pushed.pushed,
            pulled.applied
        );
    }

    let token = a.store.sync_state()?.server.context("device A is not registered")?.token;
    let mut http = Server::new(&server.base, Retry::default())?;
    let (mut envelopes, mut after) = (Vec::with_capacity(pushed.pushed), 0);
    loop {
        let page = http.pull(&token, after).await?;
        envelopes.extend(page.envelopes.into_iter().map(|stored| stored.envelope));
        after = page.cursor;
        if !page.more {
            break;
        }
    }
    let audio = audio_trip(&mut a, &mut b, plan.audio_minutes).await?;
    server.stop().await?;
    Ok(Trip { push_seconds, pull_seconds, envelopes, key, audio })
}

/// `plan.devices` devices, each registered in its own space, push `plan.per_device` copies of
/// `templates` at once, in batches of `plan.batch`; only the pushes are timed.
async fn ingest<B: Backend>(
    backend_name: &'static str,
    backend: B,
    templates: &[Envelope],
    plan: &Plan,
    ceiling_per_s: f64,
) -> anyhow::Result<Throughput> {
    let server = Running::start(backend).await?;
    let mut copies = templates.iter().cycle();
    let mut devices = Vec::with_capacity(plan.devices);
    let mut bytes = 0;
    for i in 0..plan.devices {
        let mut http = Server::new(&server.base, Retry::default())?;
        let device = Uuid::now_v7();
        let request =
            RegisterRequest { space: Uuid::now_v7(), device, device_name: format!("bench {i}") };
        let token = SyncToken::new(http.register(&request).await?.token);
        let mut bodies = Vec::new();
        let mut left = plan.per_device;
        while left > 0 {
            let n = left.min(plan.batch.max(1));
            left -= n;
            let envelopes: Vec<Envelope> = copies
                .by_ref()
                .take(n)
                .map(|template| {
                    let mut envelope = template.clone();
                    envelope.id = Uuid::now_v7();
                    envelope.author = device;
                    envelope.hlc.device = device;
                    envelope
                })
                .collect();
            let body = serde_json::to_vec(&PushRequest { envelopes })?;
            bytes += body.len();
            bodies.push((n, body));
        }
        devices.push((http, token, bodies));
    }
    let start = Instant::now();
    let tasks: Vec<JoinHandle<anyhow::Result<()>>> = devices
        .into_iter()
        .map(|(mut http, token, bodies)| {
            tokio::spawn(async move {
                for (n, body) in bodies {
                    let response = http.push(&token, body).await?;
                    ensure!(
                        response.stored.len() == n,
                        "the server stored {} of {n}",
                        response.stored.len()
                    );
                }
                Ok(())
            })
        })
        .collect();
    for task in tasks {
        task.await??;
    }
    let seconds = start.elapsed().as_secs_f64();
    server.stop().await?;
    let envelopes = plan.devices * plan.per_device;
    Ok(Throughput {
        backend: backend_name,
        devices: plan.devices,
        batch: plan.batch,
        envelopes,
        seconds,
        rate: Rate::new(envelopes, bytes, seconds, ceiling_per_s),
    })
}

/// [`ingest`] into a fresh database on the PostgreSQL server at `url`, dropped afterwards.
async fn ingest_postgres(
    url: &str,
    templates: &[Envelope],
    plan: &Plan,
    ceiling_per_s: f64,
) -> anyhow::Result<Throughput> {
    let admin: tokio_postgres::Config =
        url.parse().context("--postgres is not a PostgreSQL URL")?;
    // Unquoted names fold to lower case: the uuid's simple form already is.
    let name = format!("doorstep_bench_{}", Uuid::now_v7().simple());
    execute(&admin, &format!("CREATE DATABASE {name}")).await?;
    let mut config = admin.clone();
    config.dbname(&name);
    let result = match PostgresBackend::connect(config).await {
        Ok(backend) => ingest("postgresql", backend, templates, plan, ceiling_per_s).await,
        Err(e) => Err(e.into()),
    };
    // FORCE ends the connections the server's pool may still hold.
    execute(&admin, &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await?;
    result
}

async fn execute(config: &tokio_postgres::Config, sql: &str) -> anyhow::Result<()> {
    let (client, connection) = config.connect(tokio_postgres::NoTls).await?;
    let connection = tokio::spawn(connection);
    client.batch_execute(sql).await?;
    drop(client);
    Ok(connection.await??)
}

/// Seconds to open every envelope and seal its record again, as the two devices do.
fn seal_and_open(envelopes: &[Envelope], key: &SyncKey) -> anyhow::Result<f64> {
    let start = Instant::now();
    for envelope in envelopes {
        std::hint::black_box(doorstep_sync::seal(&doorstep_sync::open(envelope, key)?, key)?);
    }
    Ok(start.elapsed().as_secs_f64())
}

/// Single-core XChaCha20-Poly1305 seals of `size`-byte buffers (fresh random nonce each, as an
/// envelope's), for about a second.
fn ceiling(size: usize) -> anyhow::Result<Ceiling> {
    let key = ContentKey::generate()?;
    let buffer = vec![0x5a_u8; size];
    let aad = [0u8; 64];
    let (mut seals, start) = (0, Instant::now());
    while start.elapsed().as_secs_f64() < 1.0 {
        for _ in 0..256 {
            std::hint::black_box(key.seal(&aad, std::hint::black_box(&buffer))?);
        }
        seals += 256;
    }
    let seconds = start.elapsed().as_secs_f64();
    Ok(Ceiling {
        cipher: "XChaCha20-Poly1305 (doorstep_core::keys::ContentKey::seal)",
        buffer_bytes: size,
        seals,
        seconds,
        seals_per_s: seals as f64 / seconds,
        mb_per_s: (seals * size) as f64 / 1e6 / seconds,
    })
}
