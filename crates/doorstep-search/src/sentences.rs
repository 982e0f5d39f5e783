//! Sentences of a note by character offsets, for embedding a note sentence by sentence and for
//! choosing the sentence a search hit shows.

/// Sentence spans `(start, end)` in characters, trimmed of surrounding space. A sentence ends at
/// `.`, `!`, `?` or a line break; one longer than `max_chars` is cut at a space.
pub fn sentence_spans(text: &str, max_chars: usize) -> Vec<(usize, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut spans = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let mut end = i + 1;
        if matches!(c, '.' | '!' | '?') {
            while chars.get(end).is_some_and(|n| matches!(n, '"' | '\'' | '”' | '’' | ')')) {
                end += 1;
            }
        }
        let ends = c == '\n'
            || (matches!(c, '.' | '!' | '?')
                && chars.get(end).is_none_or(|n| n.is_whitespace())
                && !(c == '.' && after_title(&chars[start..i])));
        let too_long = i - start >= max_chars && c.is_whitespace();
        if ends || too_long {
            push_trimmed(&chars, start, end, &mut spans);
            start = end;
            i = end;
        } else {
            i += 1;
        }
    }
    push_trimmed(&chars, start, chars.len(), &mut spans);
    spans
}

/// Whether the text before a full stop ends in a title ("Dr", "Mrs"), which does not end a sentence.
fn after_title(before: &[char]) -> bool {
    let word: String = before.iter().rev().take_while(|c| c.is_alphabetic()).collect();
    let word: String = word.chars().rev().collect();
    matches!(word.as_str(), "Dr" | "Mr" | "Mrs" | "Ms" | "Mx" | "St" | "Prof" | "Cllr")
}

fn push_trimmed(chars: &[char], mut start: usize, mut end: usize, spans: &mut Vec<(usize, usize)>) {
    while start < end && chars[start].is_whitespace() {
        start += 1;
    }
    while end > start && chars[end - 1].is_whitespace() {
        end -= 1;
    }
    if chars[start..end].iter().any(|c| c.is_alphanumeric()) {
        spans.push((start, end));
    }
}

/// The characters `start..end` of `text`.
pub fn slice_chars(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end.saturating_sub(start)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_are_found_by_characters() {
        let text = "Visited Zoë at home. She said \"I'm fine!\" Dr. Patel\nrang later?  ";
        let spans = sentence_spans(text, 400);
        let got: Vec<String> = spans.iter().map(|&(s, e)| slice_chars(text, s, e)).collect();
        assert_eq!(
            got,
            ["Visited Zoë at home.", "She said \"I'm fine!\"", "Dr. Patel", "rang later?"]
        );
        assert!(sentence_spans("   ", 10).is_empty());
        let long = "word ".repeat(100);
        assert!(sentence_spans(&long, 50).iter().all(|&(s, e)| e - s <= 55));
    }
}
