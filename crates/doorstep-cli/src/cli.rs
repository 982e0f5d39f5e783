//! The command line, as clap parses it.

use std::path::PathBuf;

use chrono::{NaiveDate, NaiveDateTime};
use clap::{Args, Parser, Subcommand, ValueEnum};
use doorstep_core::model::TextSpan;

mod account;
mod bench;

pub use account::{
    CaseloadCommand, DeviceCommand, InitArgs, OrgKeyCommand, RecoverArgs, SyncArgs, SyncCommand,
    WipeArgs,
};
pub use bench::BenchCommand;

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

    /// Where Whisper models live [default: DATA_DIR/models].
    #[arg(long, global = true, env = "DOORSTEP_MODELS_DIR", value_name = "DIR")]
    pub models_dir: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new encrypted store (with --recovery-key, recoverable by the organisation).
    Init(InitArgs),
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
    /// Transcribe an audio file with Whisper, on this device.
    Transcribe(TranscribeArgs),
    /// Transcribe an audio file and keep it as a draft voice note, with the sealed audio.
    Ingest {
        file: PathBuf,
        /// The person the note is about (id, name, alias or external id).
        #[arg(long, value_name = "PERSON")]
        subject: String,
        #[command(flatten)]
        speech: SpeechArgs,
    },
    /// Search every note by words, meaning and theme: "DV", "drinking", "who helps with
    /// shopping", person:"Joan Platt" falls from:2026-01.
    Search(SearchArgs),
    /// Every piece of evidence for a theme across a person's or a family's notes, by date.
    Chronology {
        /// The person (id, name, alias or external id).
        #[arg(
            long,
            value_name = "PERSON",
            required_unless_present = "family",
            conflicts_with = "family"
        )]
        subject: Option<String>,
        /// A household: every member's notes.
        #[arg(long, value_name = "HOUSEHOLD")]
        family: Option<String>,
        /// Only this theme and the themes under it (an id from `doorstep themes list`).
        #[arg(long, value_name = "ID")]
        theme: Option<String>,
    },
    /// Bring the search index up to date (tags and vectors); search does this by itself.
    Index,
    /// The themes notes are tagged and searched by.
    Themes {
        #[command(subcommand)]
        command: ThemesCommand,
    },
    /// A person's strengths ecomap: proposed from their notes, confirmed by you, kept as
    /// versions.
    Ecomap {
        #[command(subcommand)]
        command: EcomapCommand,
    },
    /// Score Doorstep on labelled data, as ../shared/eval/README.md describes.
    Eval {
        #[command(subcommand)]
        command: EvalCommand,
    },
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
    /// Sync with the organisation's server: push what this device wrote (sealed, so the server
    /// cannot read it), pull what the account's other devices sent.
    #[command(args_conflicts_with_subcommands = true)]
    Sync {
        #[command(subcommand)]
        command: Option<SyncCommand>,
        #[command(flatten)]
        args: SyncArgs,
    },
    /// This practitioner's devices on the sync server: enrol, list, revoke.
    Device {
        #[command(subcommand)]
        command: DeviceCommand,
    },
    /// Share a caseload with another practitioner: invite them, or join theirs.
    Caseload {
        #[command(subcommand)]
        command: CaseloadCommand,
    },
    /// The organisation's recovery key pair (for the organisation, not practitioners).
    OrgKey {
        #[command(subcommand)]
        command: OrgKeyCommand,
    },
    /// For a forgotten passphrase: open the store with the organisation's private recovery key
    /// and set a new passphrase (DOORSTEP_NEW_PASSPHRASE, or asked for).
    Recover(RecoverArgs),
    /// Crypto-shred this device's store: the key file is overwritten and deleted first, then
    /// the database and sealed files. Refused while records are only here, unless --yes.
    Wipe(WipeArgs),
    /// Record a voice note from the default input device, sealed to disk as it is spoken;
    /// first recovers any recording a crash cut short.
    #[command(args_conflicts_with_subcommands = true)]
    Record {
        #[command(subcommand)]
        command: Option<RecordCommand>,
        #[command(flatten)]
        args: RecordArgs,
    },
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words, "quoted phrases", person:NAME, from:DATE, to:DATE, theme:ID.
    #[arg(required = true, num_args = 1.., value_name = "QUERY")]
    pub query: Vec<String>,
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub limit: u32,
    /// Group the hits by the person they are about.
    #[arg(long)]
    pub by_person: bool,
    /// Full text only (FTS5 BM25), without meaning or themes: the baseline fused search beats.
    #[arg(long)]
    pub words_only: bool,
}

#[derive(Debug, Args)]
pub struct RecordArgs {
    /// Stop after this many seconds [default: on Ctrl-C or SIGTERM].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=14_400))]
    pub seconds: Option<u64>,
    /// Record in the device's own format and convert to 16 kHz mono here, instead of asking
    /// the device for 16 kHz mono.
    #[arg(long)]
    pub device_format: bool,
    /// Transcribe while recording and keep the result as a draft voice note about this person
    /// (id, name, alias or external id).
    #[arg(long, value_name = "PERSON")]
    pub subject: Option<String>,
    #[command(flatten)]
    pub speech: SpeechArgs,
}

#[derive(Debug, Subcommand)]
pub enum RecordCommand {
    /// List recordings, newest first.
    List,
    /// Write a recording's audio (made here or received by sync) to a 16-bit WAV file.
    Export {
        /// The recording's id, from `doorstep record list`.
        id: String,
        /// The WAV file to write; it must not exist yet.
        #[arg(long, value_name = "FILE")]
        wav: PathBuf,
    },
}

/// How speech is recognised.
#[derive(Debug, Clone, Args)]
pub struct SpeechArgs {
    /// A model name from `doorstep models list`, or a model file [default: the largest
    /// installed model this device has the memory for].
    #[arg(long, value_name = "NAME|PATH")]
    pub model: Option<String>,
    /// CPU threads [default: all cores].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    pub threads: Option<u16>,
    /// Decode with beam search of this width instead of greedily.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=16))]
    pub beam: Option<u16>,
    /// Spoken language (multilingual models only), e.g. en, cy, pl, or auto.
    #[arg(long, value_name = "CODE", default_value = "en")]
    pub language: String,
    /// A name or term to spell right, added to the vocabulary prompt (repeatable).
    #[arg(long = "term", value_name = "WORDS")]
    pub terms: Vec<String>,
    /// Don't steer Whisper with the vocabulary prompt.
    #[arg(long)]
    pub no_prompt: bool,
}

#[derive(Debug, Args)]
pub struct TranscribeArgs {
    /// WAV, FLAC, OGG/Vorbis, MP3 or M4A/AAC.
    pub file: PathBuf,
    #[command(flatten)]
    pub speech: SpeechArgs,
    /// Print SubRip subtitles.
    #[arg(long, conflicts_with = "vtt")]
    pub srt: bool,
    /// Print WebVTT subtitles.
    #[arg(long)]
    pub vtt: bool,
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
    /// Change a person's name, aliases, date of birth or household; the changes sync field by
    /// field.
    Edit(PersonEditArgs),
    /// List everyone on the caseload.
    List,
    /// Show a person (by id, name, alias or external id) with their household and notes.
    Show { person: String },
}

#[derive(Debug, Args)]
pub struct PersonEditArgs {
    /// The person (id, name, alias or external id).
    pub person: String,
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// The names they are known by, replacing the ones held (repeatable).
    #[arg(long = "alias", value_name = "NAME", conflicts_with = "no_aliases")]
    pub aliases: Vec<String>,
    /// Remove every alias.
    #[arg(long)]
    pub no_aliases: bool,
    /// Date of birth, YYYY-MM-DD.
    #[arg(long, value_parser = parse_date, value_name = "DATE", conflicts_with = "no_dob")]
    pub dob: Option<NaiveDate>,
    /// Remove the date of birth.
    #[arg(long)]
    pub no_dob: bool,
    /// The household or family they belong to (created if new).
    #[arg(long, value_name = "NAME", conflicts_with = "no_household")]
    pub household: Option<String>,
    /// Take them out of their household.
    #[arg(long)]
    pub no_household: bool,
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
    /// Correct a draft's text. Each change to a note is a new version of it, which the next
    /// sync shares; the versions before it stay readable (`note history`).
    Edit {
        id: String,
        #[command(flatten)]
        body: NoteBody,
    },
    /// Mark which parts of a draft are the person's own words, as character ranges of its text
    /// (replacing the marks it had).
    OwnWords {
        id: String,
        #[arg(value_name = "START..END", value_parser = parse_span, required = true)]
        spans: Vec<TextSpan>,
    },
    /// Approve a draft: it becomes the record, and its audio is kept or deleted as the
    /// retention setting says.
    Approve { id: String },
    /// Every version of a note this device holds, oldest first, and which device wrote each.
    History { id: String },
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
pub enum ThemesCommand {
    /// List every theme: id, label, parent, kind and how many words name or show it.
    List {
        /// Add a practice's own taxonomy file (TOML, as models/themes.toml): new themes and
        /// more words for known ones.
        #[arg(long, value_name = "FILE")]
        extra: Option<PathBuf>,
    },
    /// Tag the text on standard input with themes, each with its evidence.
    Tag {
        #[arg(long, value_name = "FILE")]
        extra: Option<PathBuf>,
    },
    /// Confirm a note's theme (adding it when the tagger did not propose it).
    Confirm {
        /// The note (id or external id).
        note: String,
        /// The theme id.
        theme: String,
    },
    /// Reject a note's theme: it is removed and never proposed for this note again.
    Reject { note: String, theme: String },
}

#[derive(Debug, Subcommand)]
pub enum EcomapCommand {
    /// Read the text on standard input into ties, each with the passage that shows it.
    Suggest {
        /// The person the text is about, who is never a tie of their own.
        #[arg(long, value_name = "NAME")]
        subject: Option<String>,
    },
    /// The latest confirmed map, and the map proposed from notes not read yet, with what
    /// changed.
    Show {
        /// The person (id, name, alias or external id).
        person: String,
        /// Draw the proposed map (or the confirmed one when nothing is new) as SVG.
        #[arg(long, value_name = "FILE")]
        svg: Option<PathBuf>,
        /// Draw it as PNG.
        #[arg(long, value_name = "FILE")]
        png: Option<PathBuf>,
    },
    /// Save the proposed map, with your corrections, as the next version.
    Confirm {
        person: String,
        /// A node that is wrong: left out, and not proposed again (repeatable).
        #[arg(long = "reject", value_name = "WHO")]
        reject: Vec<String>,
        /// Correct a node, FIELD being quality, support, role, category or note (your own
        /// words about the tie) (repeatable): --set "Karen:quality=tenuous".
        #[arg(long = "set", value_name = "WHO:FIELD=VALUE")]
        set: Vec<doorstep_ecomap::edit::SetTie>,
    },
    /// Every confirmed version, with its date and number of ties.
    History { person: String },
    /// What changed from one confirmed version to another.
    Diff {
        person: String,
        #[arg(value_name = "V1")]
        from: u32,
        #[arg(value_name = "V2")]
        to: u32,
    },
}

#[derive(Debug, Subcommand)]
pub enum EvalCommand {
    /// Score the tagger on labelled notes (JSON Lines with `text`, `themes`, `ruled_out`):
    /// micro precision, recall and F1, and the share of ruled-out themes tagged.
    Themes {
        #[arg(long, value_name = "FILE")]
        notes: PathBuf,
        /// How close (0 to 1) a sentence must be to a theme's examples to count as a mention;
        /// for calibrating on an organisation's own labelled notes.
        #[arg(long, value_name = "SIMILARITY")]
        meaning_threshold: Option<f32>,
    },
    /// Score search on labelled notes and queries (JSON Lines with `q` and `relevant`):
    /// recall@10 and nDCG@10, fused and full text alone.
    Search {
        #[arg(long, value_name = "FILE")]
        notes: PathBuf,
        #[arg(long, value_name = "FILE")]
        queries: PathBuf,
    },
    /// Score ecomap extraction on labelled notes (JSON Lines with `subject`, `text`, `ties`):
    /// tie precision, recall and F1, and the accuracy of quality and support on matched ties.
    Ecomap {
        #[arg(long, value_name = "FILE")]
        notes: PathBuf,
    },
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
    /// List the models Doorstep knows, which are installed, and the one this device should use.
    List {
        /// Recommend for a device with this much memory [default: this machine's].
        #[arg(long, value_name = "MB")]
        ram_mb: Option<u64>,
        #[command(flatten)]
        manifest: ManifestArg,
    },
    /// Check models against whisper.cpp's published sha1, or a converted model against the
    /// record written beside it.
    Verify {
        /// A model name or file [default: every model in the models directory].
        model: Option<String>,
        #[command(flatten)]
        manifest: ManifestArg,
    },
    /// Download a published model into the models directory, resuming an interrupted download.
    Download {
        /// The model's name, as `doorstep models list` shows it.
        name: String,
        /// Fetch from this base URL instead of Hugging Face (a local mirror of the files).
        #[arg(long, env = "DOORSTEP_MODEL_MIRROR", value_name = "URL")]
        mirror: Option<String>,
        /// Give up when no data arrives for this long; the partial file is kept for next time.
        #[arg(long, default_value_t = 30, value_name = "SECONDS",
              value_parser = clap::value_parser!(u64).range(1..=3600))]
        stall_timeout: u64,
        /// Times to resume after a dropped or stalled connection before giving up.
        #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(0..=100))]
        retries: u32,
        #[command(flatten)]
        manifest: ManifestArg,
    },
}

#[derive(Debug, Args)]
pub struct ManifestArg {
    /// Use this model manifest instead of the built-in one (tests, and organisations publishing
    /// their own models); same format as models/manifest.json.
    #[arg(long = "manifest", env = "DOORSTEP_MODEL_MANIFEST", value_name = "FILE", hide = true)]
    pub path: Option<PathBuf>,
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

fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("{text:?} is not a date in the form YYYY-MM-DD"))
}

fn parse_span(text: &str) -> Result<TextSpan, String> {
    text.split_once("..")
        .and_then(|(start, end)| {
            Some(TextSpan::new(start.trim().parse().ok()?, end.trim().parse().ok()?))
        })
        .ok_or_else(|| format!("{text:?} is not a range of characters such as 11..33"))
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
