//! Character spans of a note's text, and finding the person's own words in it.

use serde::{Deserialize, Serialize};

/// A half-open range `[start, end)` of character offsets into a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TextSpan {
    pub start: usize,
    pub end: usize,
}

impl TextSpan {
    pub fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    /// The spanned characters of `text`, or `None` when the span does not fit it.
    pub fn slice<'t>(&self, text: &'t str) -> Option<&'t str> {
        if self.start > self.end {
            return None;
        }
        let mut indices = text.char_indices().map(|(at, _)| at).chain([text.len()]);
        let start = indices.nth(self.start)?;
        let end =
            if self.end == self.start { start } else { indices.nth(self.end - self.start - 1)? };
        text.get(start..end)
    }
}

/// Finds the passages a note quotes, which are the person's own words as opposed to the
/// practitioner's account. Straight and curly double quotes are recognised; an unclosed quote
/// marks nothing, since guessing where it ends would put words in the person's mouth.
pub fn find_quoted_spans(text: &str) -> Vec<TextSpan> {
    let mut spans = Vec::new();
    let mut open: Option<(usize, char)> = None;
    for (at, c) in text.chars().enumerate() {
        match (open, c) {
            (None, '"' | '\u{201C}') => open = Some((at + 1, c)),
            (Some((start, '"')), '"') | (Some((start, '\u{201C}')), '\u{201D}') => {
                if at > start {
                    spans.push(TextSpan::new(start, at));
                }
                open = None;
            }
            _ => {}
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_words_are_found_by_character_offset() {
        let text = "Joan — said \"our Karen's in and out\" and “Edna rings”. Then \"unclosed";
        let spans = find_quoted_spans(text);
        let words: Vec<_> = spans.iter().map(|s| s.slice(text).unwrap()).collect();
        assert_eq!(words, ["our Karen's in and out", "Edna rings"]);
    }

    #[test]
    fn spans_outside_the_text_are_refused() {
        assert_eq!(TextSpan::new(2, 9).slice("short"), None);
        assert_eq!(TextSpan::new(3, 1).slice("short"), None);
        assert_eq!(TextSpan::new(5, 5).slice("short"), Some(""));
        assert_eq!(TextSpan::new(1, 3).slice("ünï"), Some("nï"));
    }
}
