//! `doorstep bench`: the benchmarks' arguments.

use std::path::PathBuf;

use clap::Subcommand;

use super::SpeechArgs;

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Import generated notes into an encrypted and an unencrypted store; report time and memory.
    Import {
        /// Notes to recombine into the generated ones [default: $DOORSTEP_SHARED/eval/notes.jsonl,
        /// or ../shared/eval/notes.jsonl].
        #[arg(long)]
        notes: Option<PathBuf>,
        #[arg(long, default_value_t = 100_000)]
        count: usize,
        /// Runs of each mode, interleaved; the median is reported.
        #[arg(long, default_value_t = 1)]
        runs: usize,
    },
    /// Play a file into the live transcriber at speaking pace; report how long after the end
    /// of the audio the transcript is ready.
    Live {
        file: PathBuf,
        /// Play faster than spoken (2 = twice as fast).
        #[arg(long, default_value_t = 1.0)]
        speed: f32,
        #[command(flatten)]
        speech: SpeechArgs,
    },
    /// Generate notes from the labelled corpus, index them and time the labelled queries, fused
    /// and as plain FTS5 BM25; score both on the labelled corpus in the same run.
    Search {
        /// [default: $DOORSTEP_SHARED/eval/notes.jsonl, or ../shared/eval/notes.jsonl].
        #[arg(long)]
        notes: Option<PathBuf>,
        /// [default: queries.jsonl beside the notes].
        #[arg(long)]
        queries: Option<PathBuf>,
        #[arg(long, default_value_t = 100_000)]
        count: usize,
        /// Times each query is run.
        #[arg(long, default_value_t = 5)]
        rounds: usize,
        /// Keep the generated store in this directory, and reuse it when it already holds one
        /// made from the same notes and count (a second run then only times the queries).
        #[arg(long, value_name = "DIR")]
        keep: Option<PathBuf>,
    },
    /// Time reading each labelled note into ties (p50/p95 per note, each note read knowing the
    /// map its person's earlier notes built) and drawing a 30-node map to SVG and PNG.
    Ecomap {
        /// [default: $DOORSTEP_SHARED/eval/notes.jsonl, or ../shared/eval/notes.jsonl].
        #[arg(long)]
        notes: Option<PathBuf>,
        /// Times the whole corpus is read, and each drawing made.
        #[arg(long, default_value_t = 20)]
        rounds: usize,
    },
    /// Sync benchmark: a note round trip between two devices through a real server on
    /// loopback, concurrent ingest on SQLite (and PostgreSQL), and the cipher's own throughput.
    Sync {
        /// [default: $DOORSTEP_SHARED/eval/notes.jsonl, or ../shared/eval/notes.jsonl].
        #[arg(long)]
        notes: Option<PathBuf>,
        /// Notes in the round trip.
        #[arg(long, default_value_t = 10_000)]
        count: usize,
        /// Devices pushing at once in the ingest runs.
        #[arg(long, default_value_t = 50)]
        devices: usize,
        /// Envelopes each device pushes in the ingest runs.
        #[arg(long, default_value_t = 1_000)]
        per_device: usize,
        /// Envelopes per push.
        #[arg(long, default_value_t = 100)]
        batch: usize,
        /// Minutes of recorded audio sent after the notes.
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=240))]
        audio_minutes: u64,
        /// A PostgreSQL server to run the ingest on too (a fresh database, dropped afterwards);
        /// without one that run is reported as not run.
        #[arg(long, env = "DOORSTEP_TEST_POSTGRES", value_name = "URL", hide_env_values = true)]
        postgres: Option<String>,
    },
    /// One measured import in a fresh process (run by `bench import`).
    #[command(hide = true)]
    ImportChild {
        #[arg(long)]
        file: PathBuf,
        #[arg(long)]
        dir: PathBuf,
        #[arg(long)]
        encrypted: bool,
    },
}
