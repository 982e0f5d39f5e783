//! The sentence a hit shows: where the query's words matched (as FTS5 highlighted them), else the
//! evidence of a theme the query named, else the piece of the note nearest the query's meaning;
//! with the matched words marked and, for a voice note, the segment and time it was said at.

use doorstep_core::model::{Note, ThemeId};
use serde::Serialize;

use crate::sentences::{sentence_spans, slice_chars};

/// Marks FTS5's `highlight()` puts around matched terms: private-use characters, which no note
/// contains.
pub const OPEN: &str = "\u{E000}";
pub const CLOSE: &str = "\u{E001}";
/// Longest snippet, in characters.
const MAX_CHARS: usize = 240;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Snippet {
    pub text: String,
    /// Character offsets of the snippet in the note.
    pub start: usize,
    pub end: usize,
    /// Character ranges within `text` to show highlighted.
    pub highlights: Vec<(usize, usize)>,
    /// For a voice note, the transcript segment the snippet begins in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segment: Option<SegmentRef>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SegmentRef {
    pub index: u32,
    pub start_ms: u64,
    pub end_ms: u64,
}

/// Chooses and marks the snippet for `note`. `highlighted` is the note's text as FTS5's
/// `highlight()` returned it with [`OPEN`]/[`CLOSE`], when the query's words matched.
/// `nearest` is the span of the note's piece nearest the query's meaning, when it has one.
pub fn snippet(
    note: &Note,
    highlighted: Option<&str>,
    themes: &[ThemeId],
    nearest: Option<(usize, usize)>,
) -> Snippet {
    let marks = highlighted.map(marked_ranges).unwrap_or_default();
    let spans = sentence_spans(&note.text, usize::MAX);
    let chosen = if !marks.is_empty() {
        best_sentence(&spans, &marks)
    } else if let Some(evidence) = theme_evidence(note, themes) {
        spans
            .iter()
            .copied()
            .find(|&(s, e)| s <= evidence.0 && evidence.0 < e)
            .map(|span| (span, vec![evidence]))
    } else {
        nearest.map(|span| (span, Vec::new()))
    };
    let ((start, end), ranges) = chosen.unwrap_or(((0, note.text.chars().count()), Vec::new()));
    let (start, end) = window(start, end, ranges.first().copied());
    let highlights = ranges
        .iter()
        .filter(|&&(s, e)| s >= start && e <= end)
        .map(|&(s, e)| (s - start, e - start))
        .collect();
    let segment = note
        .segments
        .iter()
        .find(|s| s.span.start <= start && start < s.span.end.max(s.span.start + 1))
        .map(|s| SegmentRef { index: s.index, start_ms: s.start_ms, end_ms: s.end_ms });
    Snippet { text: slice_chars(&note.text, start, end), start, end, highlights, segment }
}

/// The character ranges (in the unmarked text) between the marks of a highlighted text.
fn marked_ranges(highlighted: &str) -> Vec<(usize, usize)> {
    let open = OPEN.chars().next();
    let close = CLOSE.chars().next();
    let mut ranges = Vec::new();
    let mut at = 0;
    let mut started = None;
    for c in highlighted.chars() {
        if Some(c) == open {
            started = Some(at);
        } else if Some(c) == close {
            if let Some(s) = started.take() {
                ranges.push((s, at));
            }
        } else {
            at += 1;
        }
    }
    ranges
}

type Choice = ((usize, usize), Vec<(usize, usize)>);

/// The sentence holding the most distinct matched words, earliest on a tie.
fn best_sentence(spans: &[(usize, usize)], marks: &[(usize, usize)]) -> Option<Choice> {
    spans
        .iter()
        .map(|&(s, e)| {
            (
                (s, e),
                marks.iter().copied().filter(|&(ms, me)| ms >= s && me <= e).collect::<Vec<_>>(),
            )
        })
        .filter(|(_, inside)| !inside.is_empty())
        .max_by(|a, b| a.1.len().cmp(&b.1.len()).then(b.0.0.cmp(&a.0.0)))
}

fn theme_evidence(note: &Note, themes: &[ThemeId]) -> Option<(usize, usize)> {
    note.themes
        .iter()
        .filter(|t| themes.iter().any(|q| q.0 == t.theme.0))
        .flat_map(|t| t.evidence.iter())
        .map(|e| (e.span.start, e.span.end))
        .min()
}

/// At most [`MAX_CHARS`] of `start..end`, around `focus` when the sentence is longer.
fn window(start: usize, end: usize, focus: Option<(usize, usize)>) -> (usize, usize) {
    if end - start <= MAX_CHARS {
        return (start, end);
    }
    let from = focus.map_or(start, |(s, _)| s.saturating_sub(MAX_CHARS / 3).max(start));
    (from, (from + MAX_CHARS).min(end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_become_ranges_in_the_plain_text() {
        let text = format!("He {OPEN}drinks{CLOSE} and {OPEN}drinks{CLOSE}.");
        assert_eq!(marked_ranges(&text), [(3, 9), (14, 20)]);
    }

    fn voice_note(text: &str, cuts: &[(usize, u64)]) -> Note {
        use doorstep_core::model::{NoteSource, NoteStatus, TextSpan, TranscriptSegment};
        let mut segments = Vec::new();
        let mut start = 0;
        for (index, &(end, start_ms)) in cuts.iter().enumerate() {
            segments.push(TranscriptSegment {
                index: index as u32,
                start_ms,
                end_ms: start_ms + 4_000,
                text: text.chars().skip(start).take(end - start).collect(),
                span: TextSpan::new(start, end),
                confidence: 0.9,
            });
            start = end + 1;
        }
        Note {
            id: doorstep_core::ids::NoteId::new(),
            external_id: None,
            subject: doorstep_core::ids::PersonId::new(),
            visit: None,
            date: None,
            service: None,
            text: text.to_owned(),
            source: NoteSource::Voice,
            author: "test".into(),
            status: NoteStatus::Draft,
            own_words: Vec::new(),
            created_at: chrono::Utc::now(),
            edited_at: chrono::Utc::now(),
            segments,
            themes: Vec::new(),
        }
    }

    #[test]
    fn a_hit_in_a_voice_note_points_at_its_segment_and_time() {
        let text =
            "So I went round to see Dev. His daughter does the shopping. He had a fall on Monday.";
        let note = voice_note(text, &[(27, 0), (59, 4_200), (85, 9_800)]);
        let marked = format!(
            "So I went round to see Dev. His daughter does the shopping. He had a {OPEN}fall{CLOSE} on Monday."
        );
        let found = snippet(&note, Some(&marked), &[], None);
        assert_eq!(found.text, "He had a fall on Monday.");
        assert_eq!(found.highlights, [(9, 13)]);
        assert_eq!(found.segment, Some(SegmentRef { index: 2, start_ms: 9_800, end_ms: 13_800 }));
        // Found by meaning alone: the piece the vector search chose.
        let by_meaning = snippet(&note, None, &[], Some((28, 59)));
        assert_eq!(by_meaning.text, "His daughter does the shopping.");
        assert_eq!(by_meaning.segment.map(|s| s.start_ms), Some(4_200));
    }

    #[test]
    fn a_long_sentence_is_cut_around_the_match() {
        let (s, e) = window(0, 1000, Some((600, 610)));
        assert!(s <= 600 && e >= 610 && e - s == MAX_CHARS);
        assert_eq!(window(5, 50, None), (5, 50));
    }
}
