//! `doorstep bench import`: the foundation's benchmark.
//!
//! Generates notes by recombining the sentences of a labelled corpus, then imports them into an
//! encrypted store and an unencrypted one with the same code, each in a fresh child process so
//! that each run's peak memory is its own. Reports seconds, peak resident memory and the ratio.

use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context as _, bail};
use doorstep_core::keys::{DataKey, KdfParams, KeyFile, Passphrase};
use doorstep_core::store::{ImportOptions, Keying, Store};
use serde::{Deserialize, Serialize};

use super::Context;
use crate::cli::BenchCommand;

pub fn run(cx: &Context, command: BenchCommand) -> anyhow::Result<()> {
    match command {
        BenchCommand::Import { notes, count, runs } => {
            let notes = notes.unwrap_or_else(shared_eval_notes);
            import(cx, &notes, count, runs.max(1))
        }
        BenchCommand::Search { notes, queries, count, rounds, keep } => {
            let notes = notes.unwrap_or_else(shared_eval_notes);
            let queries = queries.unwrap_or_else(|| notes.with_file_name("queries.jsonl"));
            super::bench_search::search(cx, &notes, &queries, count, rounds, keep.as_deref())
        }
        BenchCommand::ImportChild { file, dir, encrypted } => child(&file, &dir, encrypted),
        BenchCommand::Ecomap { notes, rounds } => {
            super::bench_ecomap::run(cx, &notes.unwrap_or_else(shared_eval_notes), rounds)
        }
        BenchCommand::Sync {
            notes,
            count,
            devices,
            per_device,
            batch,
            audio_minutes,
            postgres,
        } => {
            let plan = super::bench_sync::Plan {
                count,
                devices,
                per_device,
                batch,
                audio_minutes,
                postgres,
            };
            super::bench_sync::run(cx, &notes.unwrap_or_else(shared_eval_notes), &plan)
        }
        BenchCommand::Live { file, speed, speech } => {
            super::bench_live::live(cx, &file, &speech, speed.clamp(0.1, 100.0))
        }
    }
}

/// `$DOORSTEP_SHARED/eval/notes.jsonl`, or `../shared/eval/notes.jsonl`.
fn shared_eval_notes() -> PathBuf {
    let shared = std::env::var_os("DOORSTEP_SHARED").unwrap_or_else(|| "../shared".into());
    PathBuf::from(shared).join("eval/notes.jsonl")
}

#[derive(Debug, Serialize, Deserialize)]
struct ChildResult {
    seconds: f64,
    peak_rss_mib: f64,
    added: usize,
    database_mib: f64,
}

#[derive(Serialize)]
struct Report {
    notes: usize,
    input_mib: f64,
    runs: usize,
    encrypted: ChildResult,
    unencrypted: ChildResult,
    time_ratio: f64,
    memory_ratio: f64,
    unlock_seconds: f64,
}

/// Writes `count` JSON lines made from the corpus's sentences, deterministically.
pub(super) fn generate(corpus: &Path, count: usize, out: &Path) -> anyhow::Result<()> {
    #[derive(Deserialize)]
    struct Line {
        subject: String,
        text: String,
    }
    let reader = BufReader::new(
        std::fs::File::open(corpus).with_context(|| format!("cannot open {}", corpus.display()))?,
    );
    let mut subjects = Vec::new();
    let mut sentences = Vec::new();
    for line in reader.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let parsed: Line = serde_json::from_str(&line).context("reading the corpus")?;
        subjects.push(parsed.subject);
        sentences.extend(parsed.text.split_inclusive(". ").map(|s| s.trim().to_owned()));
    }
    if subjects.is_empty() || sentences.is_empty() {
        bail!("{} holds no notes to recombine", corpus.display());
    }
    let mut rng = fastrand::Rng::with_seed(0x0D00_5735);
    let mut out = BufWriter::new(std::fs::File::create(out)?);
    for i in 0..count {
        let subject = format!("{} {}", subjects[rng.usize(..subjects.len())], rng.usize(..40));
        let text: Vec<&str> = (0..rng.usize(5..13))
            .map(|_| sentences[rng.usize(..sentences.len())].as_str())
            .collect();
        let date = format!("20{:02}-{:02}-{:02}", rng.u8(18..27), rng.u8(1..13), rng.u8(1..29));
        let line = serde_json::json!({
            "id": format!("bench-{i:06}"), "subject": subject, "date": date,
            "service": if rng.bool() { "adults" } else { "children" }, "text": text.join(" "),
        });
        serde_json::to_writer(&mut out, &line)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

fn median(mut results: Vec<ChildResult>) -> anyhow::Result<ChildResult> {
    results.sort_by(|a, b| a.seconds.total_cmp(&b.seconds));
    let middle = results.len() / 2;
    results.into_iter().nth(middle).context("no runs")
}

fn import(cx: &Context, corpus: &Path, count: usize, runs: usize) -> anyhow::Result<()> {
    let work = tempfile::tempdir()?;
    let input = work.path().join("notes.jsonl");
    generate(corpus, count, &input)?;
    let input_mib = std::fs::metadata(&input)?.len() as f64 / 1_048_576.0;
    let exe = std::env::current_exe()?;
    let (mut encrypted, mut unencrypted) = (Vec::new(), Vec::new());
    for run in 0..runs {
        for (is_encrypted, results) in [(true, &mut encrypted), (false, &mut unencrypted)] {
            let dir = work.path().join(format!("run-{run}-{is_encrypted}"));
            let mut command = Command::new(&exe);
            command.args(["bench", "import-child", "--file"]).arg(&input).arg("--dir").arg(&dir);
            if is_encrypted {
                command.arg("--encrypted");
            }
            let output = command.output()?;
            if !output.status.success() {
                bail!("a benchmark run failed: {}", String::from_utf8_lossy(&output.stderr));
            }
            results.push(serde_json::from_slice(&output.stdout)?);
            std::fs::remove_dir_all(&dir)?;
        }
    }
    let start = Instant::now();
    let passphrase = Passphrase::new("benchmark passphrase".into())?;
    let (key_file, _) = KeyFile::create(&passphrase, KdfParams::recommended()?)?;
    key_file.unlock(&passphrase, &work.path().join("keys.json"))?;
    let unlock_seconds = start.elapsed().as_secs_f64() / 2.0;
    let (encrypted, unencrypted) = (median(encrypted)?, median(unencrypted)?);
    let report = Report {
        notes: count,
        input_mib,
        runs,
        time_ratio: encrypted.seconds / unencrypted.seconds,
        memory_ratio: encrypted.peak_rss_mib / unencrypted.peak_rss_mib,
        encrypted,
        unencrypted,
        unlock_seconds,
    };
    if cx.out.json {
        return cx.out.json(&report);
    }
    let e = &report.encrypted;
    let u = &report.unencrypted;
    cx.out.text(&format!(
        "Imported {} notes ({:.0} MiB of JSON Lines), median of {} run(s) each:\n\
         \x20 encrypted (SQLCipher)  {:>7.2} s  peak {:>6.1} MiB  database {:>6.1} MiB\n\
         \x20 unencrypted            {:>7.2} s  peak {:>6.1} MiB  database {:>6.1} MiB\n\
         \x20 encryption overhead    {:>7.2}x time, {:.2}x memory\n\
         \x20 one unlock (Argon2id, 64 MiB, 3 passes): {:.2} s",
        report.notes,
        report.input_mib,
        report.runs,
        e.seconds,
        e.peak_rss_mib,
        e.database_mib,
        u.seconds,
        u.peak_rss_mib,
        u.database_mib,
        report.time_ratio,
        report.memory_ratio,
        report.unlock_seconds
    ))
}

/// Peak resident memory of this process so far, from Linux's /proc.
pub(super) fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status.lines().find_map(|l| {
                l.strip_prefix("VmHWM:")
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            })
        })
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

fn child(input: &Path, dir: &Path, encrypted: bool) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join("bench.db");
    let keying = if encrypted {
        Keying::Encrypted(DataKey::generate()?.database_key())
    } else {
        Keying::Unencrypted
    };
    let mut store = Store::create(&path, &keying)?;
    let file = BufReader::new(std::fs::File::open(input)?);
    let start = Instant::now();
    let report = store.import_notes(file, &ImportOptions::default(), |_| {})?;
    drop(store);
    let seconds = start.elapsed().as_secs_f64();
    let database_mib = std::fs::metadata(&path)?.len() as f64 / 1_048_576.0;
    let result =
        ChildResult { seconds, peak_rss_mib: peak_rss_mib(), added: report.added, database_mib };
    let mut out = std::io::stdout().lock();
    serde_json::to_writer(&mut out, &result)?;
    writeln!(out)?;
    Ok(())
}
