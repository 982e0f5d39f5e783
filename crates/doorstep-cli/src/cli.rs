//! The command line, as clap parses it.

use std::path::PathBuf;

use chrono::{NaiveDate, NaiveDateTime};
use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "doorstep",
    version,
    about = "Doorstep: encrypted, offline case notes for practitioners who visit people at home",
    after_help = "The passphrase is read from DOORSTEP_PASSPHRASE, or asked for on the terminal."
)]
pub struct Cli {
    /// Where the encrypted store lives.
    #[arg(long, global = true, env = "DOORSTEP_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    pub json: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new encrypted store.
    Init {
        /// Your name, written as the author of your notes.
        #[arg(long, value_name = "NAME")]
        practitioner: Option<String>,
    },
    /// Show what the store holds.
    Status,
    /// Change the passphrase (DOORSTEP_NEW_PASSPHRASE, or asked for).
    Passphrase {
        #[command(subcommand)]
        command: PassphraseCommand,
    },
    /// Add, list and show people.
    Person {
        #[command(subcommand)]
        command: PersonCommand,
    },
    /// Record and list visits.
    Visit {
        #[command(subcommand)]
        command: VisitCommand,
    },
    /// Add, import, list and show notes.
    Note {
        #[command(subcommand)]
        command: NoteCommand,
    },
    /// Write every record to standard output as one JSON document.
    Export,
    /// Manage Whisper speech models.
    Models {
        #[command(subcommand)]
        command: ModelsCommand,
    },
    /// Measure Doorstep's performance.
    Bench {
        #[command(subcommand)]
        command: BenchCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum PassphraseCommand {
    /// Re-wrap the store's key under a new passphrase.
    Change,
}

#[derive(Debug, Subcommand)]
pub enum PersonCommand {
    /// Add a person to the caseload.
    Add {
        name: String,
        /// Another name they are known by (repeatable).
        #[arg(long = "alias", value_name = "NAME")]
        aliases: Vec<String>,
        /// Date of birth, YYYY-MM-DD.
        #[arg(long, value_parser = parse_date, value_name = "DATE")]
        dob: Option<NaiveDate>,
        /// The household or family they belong to (created if new).
        #[arg(long, value_name = "NAME")]
        household: Option<String>,
        /// Their id in another system.
        #[arg(long, value_name = "ID")]
        external_id: Option<String>,
    },
    /// List everyone on the caseload.
    List,
    /// Show a person (by id, name, alias or external id) with their household and notes.
    Show { person: String },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum YesNo {
    Yes,
    No,
}

#[derive(Debug, Subcommand)]
pub enum VisitCommand {
    /// Record a visit.
    Add {
        /// Who was visited (id, name or alias).
        #[arg(long, value_name = "PERSON")]
        subject: String,
        /// When, "YYYY-MM-DD HH:MM" (default: now).
        #[arg(long, value_parser = parse_date_time, value_name = "WHEN")]
        at: Option<NaiveDateTime>,
        #[arg(long)]
        place: Option<String>,
        /// Someone who was present (repeatable).
        #[arg(long = "present", value_name = "NAME")]
        present: Vec<String>,
        /// Whether a child was seen alone.
        #[arg(long, value_name = "yes|no")]
        child_seen_alone: Option<YesNo>,
        #[command(flatten)]
        consent: ConsentArgs,
    },
    /// List visits, newest first.
    List {
        #[arg(long, value_name = "PERSON")]
        subject: Option<String>,
    },
}

#[derive(Debug, Args)]
#[group(multiple = false)]
pub struct ConsentArgs {
    /// Who gave consent to record.
    #[arg(long, value_name = "NAME")]
    pub consent_by: Option<String>,
    /// Who refused consent to record.
    #[arg(long, value_name = "NAME")]
    pub consent_refused_by: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum NoteCommand {
    /// Add a typed note.
    Add {
        /// Who the note is about (id, name or alias).
        #[arg(long, value_name = "PERSON")]
        subject: String,
        /// YYYY-MM-DD (default: today).
        #[arg(long, value_parser = parse_date, value_name = "DATE")]
        date: Option<NaiveDate>,
        #[command(flatten)]
        body: NoteBody,
        /// The visit the note is about.
        #[arg(long, value_name = "VISIT_ID")]
        visit: Option<String>,
        /// The service ("adults", "children"...).
        #[arg(long)]
        service: Option<String>,
    },
    /// Show one note, by id or the external id it was imported with.
    Show { id: String },
    /// List notes, newest first.
    List {
        #[arg(long, value_name = "PERSON")]
        subject: Option<String>,
    },
    /// Import notes from a JSON Lines file (id, subject, text; optional date, service).
    Import {
        file: PathBuf,
        /// Good lines written per transaction.
        #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u32).range(1..=100_000))]
        batch_size: u32,
    },
}

#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct NoteBody {
    /// The note's text.
    #[arg(long)]
    pub text: Option<String>,
    /// Read the note's text from a file ("-" for standard input).
    #[arg(long, value_name = "FILE")]
    pub file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum ModelsCommand {
    /// Convert a CTranslate2 Whisper model directory into a whisper.cpp (ggml) model file.
    ImportCt2 {
        /// Directory holding model.bin (or model.bin.part1, part2...) and vocabulary.txt.
        dir: PathBuf,
        /// The ggml file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Store the weight matrices quantised (default: float16, as in the source).
        #[arg(long, value_enum)]
        quantize: Option<Quantization>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Quantization {
    #[value(name = "q8_0")]
    Q8_0,
    #[value(name = "q5_1")]
    Q5_1,
    #[value(name = "f32")]
    F32,
}

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

fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("{text:?} is not a date in the form YYYY-MM-DD"))
}

fn parse_date_time(text: &str) -> Result<NaiveDateTime, String> {
    let text = text.trim();
    ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
        .ok_or_else(|| format!("{text:?} is not a time in the form \"YYYY-MM-DD HH:MM\""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
