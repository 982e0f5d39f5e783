//! The shapes the UI receives (see `docs/app-ipc.md`), built from the core's records. Views own
//! their data and serialise in camelCase; nothing here reads the store.

use doorstep_core::model::{EcomapTie, Note, Person, TranscriptSegment};
use doorstep_core::store::{NoteSummary as StoredSummary, Recording, RecordingState};
use doorstep_themes::{Kind, Taxonomy};
use serde::Serialize;

/// A segment whose recogniser confidence is below this is marked for checking.
pub const LOW_CONFIDENCE: f32 = 0.6;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct PersonSummary {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub household: Option<String>,
    pub notes: u64,
    pub last_note: Option<String>,
}

impl PersonSummary {
    pub fn of(
        person: &Person,
        household: Option<String>,
        counts: Option<(u64, Option<chrono::NaiveDate>)>,
    ) -> Self {
        let (notes, last) = counts.unwrap_or((0, None));
        Self {
            id: person.id.to_string(),
            name: person.name.clone(),
            aliases: person.aliases.clone(),
            household,
            notes,
            last_note: last.map(|d| d.to_string()),
        }
    }
}

/// What every view of a note starts with: which note, about whom, when, how made, how far along.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct NoteHead {
    pub id: String,
    pub external_id: Option<String>,
    pub subject_id: String,
    pub subject: String,
    pub date: Option<String>,
    #[cfg_attr(feature = "ts", ts(as = "crate::typescript::NoteSource"))]
    pub source: String,
    #[cfg_attr(feature = "ts", ts(as = "crate::typescript::NoteStatus"))]
    pub status: String,
    pub preview: String,
    pub has_audio: bool,
}

/// A note as listed, with the ids of its themes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NoteSummary {
    #[serde(flatten)]
    #[cfg_attr(feature = "ts", ts(flatten))]
    pub head: NoteHead,
    pub themes: Vec<String>,
}

impl NoteSummary {
    pub fn of(note: &StoredSummary, themes: Vec<String>, has_audio: bool) -> Self {
        Self {
            head: NoteHead {
                id: note.id.to_string(),
                external_id: note.external_id.clone(),
                subject_id: note.subject.to_string(),
                subject: note.subject_name.clone(),
                date: note.date.map(|d| d.to_string()),
                source: note.source.to_string(),
                status: note.status.to_string(),
                preview: note.preview.clone(),
                has_audio,
            },
            themes,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EvidenceView {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

impl EvidenceView {
    /// The characters `start..end` of `text`, or `None` when they are not all there.
    pub fn within(text: &str, start: usize, end: usize) -> Option<Self> {
        let span = doorstep_core::model::TextSpan::new(start, end);
        span.slice(text).map(|t| Self { start, end, text: t.to_owned() })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct SegmentView {
    pub index: u32,
    pub start_ms: u64,
    pub end_ms: u64,
    pub text: String,
    pub span: Span,
    pub confidence: f32,
    pub low_confidence: bool,
}

impl SegmentView {
    fn of(s: &TranscriptSegment) -> Self {
        Self {
            index: s.index,
            start_ms: s.start_ms,
            end_ms: s.end_ms,
            text: s.text.clone(),
            span: Span { start: s.span.start, end: s.span.end },
            confidence: s.confidence,
            low_confidence: s.confidence < LOW_CONFIDENCE,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ThemeChip {
    pub id: String,
    pub label: String,
    #[cfg_attr(feature = "ts", ts(as = "crate::typescript::ThemeKind"))]
    pub kind: Kind,
    pub confidence: f32,
    #[cfg_attr(feature = "ts", ts(as = "crate::typescript::Review"))]
    pub review: String,
    pub evidence: Vec<EvidenceView>,
}

/// A tie as the UI shows it, confirmed or suggested.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TieView {
    pub id: Option<String>,
    pub who: String,
    pub role: Option<String>,
    #[cfg_attr(feature = "ts", ts(as = "crate::typescript::Category"))]
    pub category: String,
    #[cfg_attr(feature = "ts", ts(as = "crate::typescript::Quality"))]
    pub quality: String,
    #[cfg_attr(feature = "ts", ts(as = "crate::typescript::Support"))]
    pub support: String,
    pub note: Option<String>,
    pub evidence: Option<EvidenceView>,
}

impl TieView {
    pub fn of(tie: &EcomapTie) -> Self {
        Self {
            id: Some(tie.id.to_string()),
            who: tie.who.clone(),
            role: (!tie.role.is_empty()).then(|| tie.role.clone()),
            category: tie.category.to_string(),
            quality: tie.quality.to_string(),
            support: tie.support.to_string(),
            note: (!tie.note.is_empty()).then(|| tie.note.clone()),
            evidence: tie.evidence.as_ref().map(|e| EvidenceView {
                start: e.span.start,
                end: e.span.end,
                text: e.text.clone(),
            }),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct NoteDetail {
    #[serde(flatten)]
    #[cfg_attr(feature = "ts", ts(flatten))]
    pub head: NoteHead,
    pub text: String,
    pub own_words: Vec<Span>,
    pub segments: Vec<SegmentView>,
    /// Every theme tagged, rejected ones too, with its evidence.
    pub themes: Vec<ThemeChip>,
    pub ecomap: Vec<TieView>,
    pub audio_ms: Option<u64>,
}

impl NoteDetail {
    pub fn of(
        note: &Note,
        subject: &str,
        taxonomy: &Taxonomy,
        recording: Option<&Recording>,
        ecomap: Vec<TieView>,
    ) -> Self {
        let audio = recording.filter(|r| r.state != RecordingState::Deleted);
        let chips: Vec<ThemeChip> = note
            .themes
            .iter()
            .filter_map(|tag| {
                let theme = taxonomy.by_id(&tag.theme.0)?;
                Some(ThemeChip {
                    id: theme.id.to_string(),
                    label: theme.label.clone(),
                    kind: theme.kind,
                    confidence: tag.confidence,
                    review: tag.review.to_string(),
                    evidence: tag
                        .evidence
                        .iter()
                        .filter_map(|e| EvidenceView::within(&note.text, e.span.start, e.span.end))
                        .collect(),
                })
            })
            .collect();
        let head = NoteHead {
            id: note.id.to_string(),
            external_id: note.external_id.clone(),
            subject_id: note.subject.to_string(),
            subject: subject.to_owned(),
            date: note.date.map(|d| d.to_string()),
            source: note.source.to_string(),
            status: note.status.to_string(),
            preview: note.text.chars().take(80).collect(),
            has_audio: audio.is_some(),
        };
        Self {
            head,
            text: note.text.clone(),
            own_words: note.own_words.iter().map(|s| Span { start: s.start, end: s.end }).collect(),
            segments: note.segments.iter().map(SegmentView::of).collect(),
            themes: chips,
            ecomap,
            audio_ms: audio.and_then(|r| r.duration_ms),
        }
    }
}
