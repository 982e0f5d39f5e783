//! `doorstep bench search`: the themes-and-search benchmark.
//!
//! Generates notes by recombining the labelled corpus's sentences, imports and indexes them in an
//! encrypted store, and times the eval queries against it, fused and as plain FTS5 BM25 in the
//! same run. Quality is scored in the same run on the labelled corpus itself (the generated notes
//! have no labels), so the gain of fusion over BM25 is visible beside its cost. With `--keep DIR`
//! the generated store is kept in DIR and reused by the next run with the same corpus and count.

use std::path::Path;
use std::time::Instant;

use anyhow::{Context as _, bail};
use doorstep_core::keys::{KdfParams, KeyFile, Passphrase};
use doorstep_core::store::{ImportOptions, Keying, Store};
use doorstep_search::eval::{LabelledQuery, score_search};
use doorstep_search::{Mode, SearchEngine, SearchOptions};
use serde::Serialize;

use super::Context;
use super::search::{index_with, load_kit, read_labelled};

#[derive(Serialize)]
struct Latency {
    p50_ms: f64,
    p95_ms: f64,
    max_ms: f64,
    /// The slowest queries, with their slowest time.
    slowest: Vec<(String, f64)>,
}

#[derive(Serialize)]
struct Quality {
    recall_at_10: f64,
    ndcg_at_10: f64,
}

pub fn search(
    cx: &Context,
    corpus: &Path,
    queries: &Path,
    count: usize,
    rounds: usize,
    keep: Option<&Path>,
) -> anyhow::Result<()> {
    let kit = load_kit(cx)?;
    if kit.embedder.is_none() {
        bail!(
            "the benchmark measures fused search, which needs the embedding model: run scripts/models.sh"
        );
    }
    let queries: Vec<LabelledQuery> = read_labelled(queries)?;
    let temporary = tempfile::tempdir()?;
    let dir = match keep {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            dir
        }
        None => temporary.path(),
    };
    let (mut store, db, imported) = bench_store(corpus, count, dir)?;
    let started = Instant::now();
    let indexed = index_with(cx, &kit, &mut store, None)?;
    let index_seconds = started.elapsed().as_secs_f64();
    store.checkpoint()?;
    let database_mib = file_mib(&db) + file_mib(&db.with_extension("db-wal"));

    let started = Instant::now();
    let engine = SearchEngine::new(&store, &kit.taxonomy, kit.embedder.as_ref())?;
    let load_seconds = started.elapsed().as_secs_f64();
    let timings = |mode: Mode| -> anyhow::Result<Latency> {
        let mut times = Vec::new();
        let mut slowest: Vec<(f64, &str)> = Vec::new();
        for _ in 0..rounds.max(1) {
            for query in &queries {
                let started = Instant::now();
                engine
                    .search(&store, &query.q, SearchOptions { limit: 10, mode })
                    .with_context(|| format!("query {:?}", query.q))?;
                let ms = started.elapsed().as_secs_f64() * 1000.0;
                times.push(ms);
                slowest.push((ms, &query.q));
            }
        }
        slowest.sort_by(|a, b| b.0.total_cmp(&a.0));
        slowest.dedup_by(|a, b| a.1 == b.1);
        let mut latency = latency(times);
        latency.slowest = slowest.into_iter().take(5).map(|(ms, q)| (q.to_owned(), ms)).collect();
        Ok(latency)
    };
    let fused = timings(Mode::Fused)?;
    let words = timings(Mode::FullText)?;

    // Quality on the labelled notes themselves, in the same run.
    let (_scratch, labelled) = super::search::scratch_store(cx, &kit, corpus, None)?;
    let quality_engine = SearchEngine::new(&labelled, &kit.taxonomy, kit.embedder.as_ref())?;
    let quality = |mode: Mode| -> anyhow::Result<Quality> {
        let ranked = queries
            .iter()
            .map(|q| {
                let hits =
                    quality_engine.search(&labelled, &q.q, SearchOptions { limit: 10, mode })?.hits;
                Ok(hits.into_iter().filter_map(|h| h.external_id).collect())
            })
            .collect::<anyhow::Result<Vec<Vec<String>>>>()?;
        let scores = score_search(&queries, &ranked);
        Ok(Quality { recall_at_10: scores.recall_at_10, ndcg_at_10: scores.ndcg_at_10 })
    };
    let fused_quality = quality(Mode::Fused)?;
    let words_quality = quality(Mode::FullText)?;

    cx.out.json(&serde_json::json!({
        "notes": imported.notes,
        "import_seconds": imported.seconds,
        "index_seconds": index_seconds,
        "sentences_embedded": indexed.sentences_embedded,
        "database_mib": database_mib,
        "vector_pieces": engine.vector_pieces(),
        "engine_load_seconds": load_seconds,
        "queries": queries.len(),
        "rounds": rounds.max(1),
        "fused": { "latency": fused, "quality": fused_quality },
        "fts5_bm25": { "latency": words, "quality": words_quality },
        "p95_ratio_fused_to_bm25": ratio(&fused, &words),
    }))
}

/// The store's notes and how long their import took (None when a kept store was reused).
struct Imported {
    notes: usize,
    seconds: Option<f64>,
}

/// The benchmark's encrypted store in `dir`: the one kept there by an earlier run with the same
/// corpus and count, else a new one with `count` generated notes (its key wrapped in
/// `keys.json` by a fixed passphrase: these are generated notes, not case records).
fn bench_store(
    corpus: &Path,
    count: usize,
    dir: &Path,
) -> anyhow::Result<(Store, std::path::PathBuf, Imported)> {
    let db = dir.join("bench.db");
    let keys = dir.join("keys.json");
    let stamp = dir.join("generated.txt");
    let made_from = format!("{}\n{count}\n", std::fs::canonicalize(corpus)?.display());
    let passphrase = Passphrase::new("benchmark passphrase".into())?;
    if db.exists() && std::fs::read_to_string(&stamp).ok().as_deref() == Some(made_from.as_str()) {
        let key = KeyFile::read(&keys)?.unlock(&passphrase, &keys)?;
        let store = Store::open(&db, &Keying::Encrypted(key.database_key()))?;
        let notes = usize::try_from(store.indexed_notes()?).unwrap_or(usize::MAX);
        return Ok((store, db, Imported { notes, seconds: None }));
    }
    for stale in [&db, &db.with_extension("db-wal"), &db.with_extension("db-shm"), &stamp] {
        if stale.exists() {
            std::fs::remove_file(stale)?;
        }
    }
    let input = dir.join("notes.jsonl");
    super::bench::generate(corpus, count, &input)?;
    let (key_file, key) = KeyFile::create(&passphrase, KdfParams::recommended()?)?;
    key_file.write(&keys)?;
    let mut store = Store::create(&db, &Keying::Encrypted(key.database_key()))?;
    let started = Instant::now();
    let file = std::fs::File::open(&input)?;
    let report =
        store.import_notes(std::io::BufReader::new(file), &ImportOptions::default(), |_| {})?;
    let seconds = started.elapsed().as_secs_f64();
    std::fs::remove_file(&input)?;
    std::fs::write(&stamp, made_from)?;
    Ok((store, db, Imported { notes: report.added, seconds: Some(seconds) }))
}

fn ratio(a: &Latency, b: &Latency) -> f64 {
    if b.p95_ms > 0.0 { a.p95_ms / b.p95_ms } else { 0.0 }
}

fn latency(mut times: Vec<f64>) -> Latency {
    times.sort_by(f64::total_cmp);
    let at = |q: f64| {
        times.get(((times.len() as f64 - 1.0) * q).round() as usize).copied().unwrap_or(0.0)
    };
    Latency { p50_ms: at(0.5), p95_ms: at(0.95), max_ms: at(1.0), slowest: Vec::new() }
}

fn file_mib(path: &Path) -> f64 {
    std::fs::metadata(path).map(|m| m.len() as f64 / 1_048_576.0).unwrap_or(0.0)
}
