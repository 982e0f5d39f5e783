//! Timed pieces of a transcribed voice note.

use serde::{Deserialize, Serialize};

use super::TextSpan;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TranscriptSegment {
    /// Position within the note's transcript, from 0.
    pub index: u32,
    pub start_ms: u64,
    pub end_ms: u64,
    pub text: String,
    /// Where this segment's words sit in the note's text.
    pub span: TextSpan,
    /// Mean token probability from the recogniser, 0 to 1.
    pub confidence: f32,
}
