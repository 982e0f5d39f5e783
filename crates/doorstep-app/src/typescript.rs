//! What the UI's generated IPC types (`ui/src/lib/bindings/`, written by `tests/bindings.rs`)
//! need beyond `#[derive(TS)]` on the views. Only with the `ts` feature, which the tests turn on:
//! a release build has no ts-rs in it.
//!
//! - The codes the views carry as strings (a note's source and status, a tie's category, quality
//!   and support, a theme's kind and review, the audio retention) are typed as the union of the
//!   strings their Rust type writes, read from that type, so the bindings follow the core with no
//!   copy to keep in step. A view's field names one with `#[ts(as = "...")]`, which changes the
//!   TypeScript and never the JSON. The core's codes are open enums: a value written by a newer
//!   Doorstep is kept as it is and reaches the UI too; these unions list what this version knows.

use std::path::PathBuf;

use doorstep_core::model::{NoteSource as Source, NoteStatus as Status, SupportFlow, TagReview};
use doorstep_core::model::{TieCategory, TieQuality};
use doorstep_core::store::Retention as StoredRetention;
use doorstep_themes::Kind;
use ts_rs::{Config, TS};

/// `"a" | "b" | ...` of `values`.
fn union<S: AsRef<str>>(values: impl IntoIterator<Item = S>) -> String {
    let quoted: Vec<String> = values.into_iter().map(|v| format!("{:?}", v.as_ref())).collect();
    quoted.join(" | ")
}

/// The strings `Kind` serialises to.
fn theme_kinds() -> Vec<String> {
    // A new kind fails to compile here: list it below too.
    let listed = |kind: Kind| match kind {
        Kind::Risk | Kind::Need | Kind::Strength => kind,
    };
    [Kind::Risk, Kind::Need, Kind::Strength]
        .map(listed)
        .iter()
        .filter_map(|kind| serde_json::to_value(kind).ok()?.as_str().map(str::to_owned))
        .collect()
}

macro_rules! code {
    ($(#[doc = $doc:literal])+ $name:ident => $values:expr) => {
        $(#[doc = $doc])+
        #[derive(Debug)]
        pub struct $name;

        impl TS for $name {
            type WithoutGenerics = Self;
            type OptionInnerType = Self;

            fn docs() -> Option<String> {
                Some(ts_rs::format_docs(&[$($doc),+]))
            }

            fn name(_: &Config) -> String {
                stringify!($name).to_owned()
            }

            fn inline(_: &Config) -> String {
                union($values)
            }

            fn decl(cfg: &Config) -> String {
                format!("type {} = {};", Self::name(cfg), Self::inline(cfg))
            }

            fn decl_concrete(cfg: &Config) -> String {
                Self::decl(cfg)
            }

            fn output_path() -> Option<PathBuf> {
                Some(PathBuf::from(concat!(stringify!($name), ".ts")))
            }
        }
    };
}

code!(
    /// How a note was made.
    NoteSource => Source::KNOWN
);
code!(
    /// Whether a note waits for review or is approved.
    NoteStatus => Status::KNOWN
);
code!(
    /// What a theme says about the person.
    ThemeKind => theme_kinds()
);
code!(
    /// The practitioner's judgement of a theme on a note.
    Review => TagReview::KNOWN
);
code!(
    /// Who an ecomap tie is with.
    Category => TieCategory::KNOWN
);
code!(
    /// How strong an ecomap tie is.
    Quality => TieQuality::KNOWN
);
code!(
    /// Which way support flows, seen from the person at the centre of the map.
    Support => SupportFlow::KNOWN
);
code!(
    /// How long a voice note's audio is kept once the note is approved.
    Retention => StoredRetention::ALL.map(StoredRetention::as_str)
);
