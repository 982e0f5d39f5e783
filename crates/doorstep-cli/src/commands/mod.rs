//! One module per group of subcommands; each command is a few lines over doorstep-core.

mod bench;
mod bench_ecomap;
mod bench_live;
mod bench_search;
mod bench_sync;
mod caseload;
mod devices;
mod ecomap;
mod eval_ecomap;
mod ingest;
mod models;
mod notes;
mod people;
mod record;
mod recovery;
mod search;
mod store;
mod sync;
mod themes;
mod transcribe;
mod visits;
mod wipe;

use doorstep_core::{DataDir, Unlocked};

use crate::cli::{
    CaseloadCommand, Command, DeviceCommand, EvalCommand, NoteCommand, OrgKeyCommand,
    PassphraseCommand, PersonCommand, RecordCommand, SyncCommand, VisitCommand,
};
use crate::output::Output;
use crate::passphrase::PassphraseSource;

#[derive(Debug)]
pub struct Context {
    pub data_dir: DataDir,
    /// Where Whisper models are installed and looked for.
    pub models_dir: std::path::PathBuf,
    pub out: Output,
    pub passphrases: PassphraseSource,
}

impl Context {
    pub fn unlock(&self) -> anyhow::Result<Unlocked> {
        let passphrase = self.passphrases.unlock()?;
        Ok(self.data_dir.unlock(&passphrase)?)
    }
}

pub fn run(command: Command, cx: &Context) -> anyhow::Result<()> {
    match command {
        Command::Init(args) => store::init(cx, &args),
        Command::Status => store::status(cx),
        Command::Passphrase { command: PassphraseCommand::Change } => store::change_passphrase(cx),
        Command::Export => store::export(cx),
        Command::Person { command } => match command {
            PersonCommand::Add { name, aliases, dob, household, external_id } => {
                people::add(cx, name, aliases, dob, household, external_id)
            }
            PersonCommand::Edit(args) => people::edit(cx, &args),
            PersonCommand::List => people::list(cx),
            PersonCommand::Show { person } => people::show(cx, &person),
        },
        Command::Visit { command } => match command {
            VisitCommand::Add { subject, at, place, present, child_seen_alone, consent } => {
                visits::add(cx, &subject, at, place, present, child_seen_alone, consent)
            }
            VisitCommand::List { subject } => visits::list(cx, subject.as_deref()),
        },
        Command::Note { command } => match command {
            NoteCommand::Add { subject, date, body, visit, service } => {
                notes::add(cx, &subject, date, &body, visit.as_deref(), service)
            }
            NoteCommand::Show { id } => notes::show(cx, &id),
            NoteCommand::Edit { id, body } => notes::edit(cx, &id, &body),
            NoteCommand::OwnWords { id, spans } => notes::own_words(cx, &id, &spans),
            NoteCommand::Approve { id } => notes::approve(cx, &id),
            NoteCommand::History { id } => notes::history(cx, &id),
            NoteCommand::List { subject } => notes::list(cx, subject.as_deref()),
            NoteCommand::Import { file, batch_size } => notes::import(cx, &file, batch_size),
        },
        Command::Transcribe(args) => transcribe::transcribe(cx, &args),
        Command::Ingest { file, subject, speech } => ingest::ingest(cx, &file, &subject, &speech),
        Command::Models { command } => models::run(cx, command),
        Command::Search(args) => search::search(cx, &args),
        Command::Chronology { subject, family, theme } => {
            search::chronology_of(cx, subject.as_deref(), family.as_deref(), theme.as_deref())
        }
        Command::Index => search::index(cx),
        Command::Themes { command } => themes::run(cx, command),
        Command::Ecomap { command } => ecomap::run(cx, command),
        Command::Eval { command: EvalCommand::Themes { notes, meaning_threshold } } => {
            search::eval_themes(cx, &notes, meaning_threshold)
        }
        Command::Eval { command: EvalCommand::Search { notes, queries } } => {
            search::eval_search(cx, &notes, &queries)
        }
        Command::Eval { command: EvalCommand::Ecomap { notes } } => eval_ecomap::run(cx, &notes),
        Command::Bench { command } => bench::run(cx, command),
        Command::Sync { command: Some(SyncCommand::Status), .. } => sync::status(cx),
        Command::Sync { command: None, args } => sync::sync(cx, &args),
        Command::Device { command } => match command {
            DeviceCommand::Enrol { name } => devices::enrol(cx, &name),
            DeviceCommand::List => devices::list(cx),
            DeviceCommand::Revoke { device, allow_this_device } => {
                devices::revoke(cx, &device, allow_this_device)
            }
        },
        Command::Caseload { command } => match command {
            CaseloadCommand::Key => caseload::key(cx),
            CaseloadCommand::Invite { to, name } => caseload::invite(cx, &to, &name),
            CaseloadCommand::Join { invitation } => caseload::join(cx, &invitation),
        },
        Command::OrgKey { command: OrgKeyCommand::New { private, public } } => {
            recovery::org_key_new(cx, &private, &public)
        }
        Command::Recover(args) => recovery::recover(cx, &args.org_key),
        Command::Wipe(args) => wipe::wipe(cx, args.yes),
        Command::Record { command: Some(RecordCommand::List), .. } => record::list(cx),
        Command::Record { command: Some(RecordCommand::Export { id, wav }), .. } => {
            record::export(cx, &id, &wav)
        }
        Command::Record { command: None, args } => record::record(cx, &args),
    }
}
