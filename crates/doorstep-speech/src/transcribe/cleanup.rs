//! Guards against Whisper's known failure modes on what it returns: a phrase looping ("and
//! then and then and then..."), the same sentence emitted twice, and captions for sounds.

/// Collapses a run of the same word sequence repeated back to back: `min_repeats` or more
/// copies of a 1-word unit, or three or more of a longer one, become one copy.
pub fn collapse_loops(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let key = |w: &str| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
    let keys: Vec<String> = words.iter().map(|w| key(w)).collect();
    let mut out: Vec<&str> = Vec::with_capacity(words.len());
    let mut i = 0;
    'outer: while i < words.len() {
        for unit in 1..=8 {
            let needed = if unit == 1 { 4 } else { 3 };
            if i + unit * needed > words.len() {
                continue;
            }
            let mut copies = 1;
            while i + unit * (copies + 1) <= words.len()
                && keys[i..i + unit] == keys[i + unit * copies..i + unit * (copies + 1)]
            {
                copies += 1;
            }
            if copies >= needed && keys[i..i + unit].iter().any(|k| !k.is_empty()) {
                out.extend_from_slice(&words[i..i + unit]);
                i += unit * copies;
                continue 'outer;
            }
        }
        out.push(words[i]);
        i += 1;
    }
    out.join(" ")
}

/// Whether a segment's text is only a caption for a sound or silence: "[BLANK_AUDIO]",
/// "(music)", "*coughs*", or nothing but punctuation.
pub fn is_non_speech(text: &str) -> bool {
    let t = text.trim();
    if !t.chars().any(char::is_alphanumeric) {
        return true;
    }
    let bracketed = |open: char, close: char| t.starts_with(open) && t.ends_with(close);
    bracketed('[', ']') || bracketed('(', ')') || bracketed('*', '*') || bracketed('♪', '♪')
}

/// Normalised form for spotting a segment repeated verbatim.
pub fn same_words(a: &str, b: &str) -> bool {
    let norm = |s: &str| -> Vec<String> {
        s.split_whitespace()
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase())
            .filter(|w| !w.is_empty())
            .collect()
    };
    let (a, b) = (norm(a), norm(b));
    !a.is_empty() && a == b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loops_collapse_and_ordinary_repetition_stays() {
        assert_eq!(collapse_loops("I will I will I will I will call her."), "I will call her.");
        assert_eq!(
            collapse_loops("She said no, no, no, no, no to the move."),
            "She said no, to the move."
        );
        assert_eq!(collapse_loops("very very good"), "very very good");
        assert_eq!(collapse_loops("had had a fall"), "had had a fall");
        let looped = "The GP will visit. ".repeat(6);
        assert_eq!(collapse_loops(&looped), "The GP will visit.");
    }

    #[test]
    fn captions_for_sounds_are_not_speech() {
        for caption in ["[BLANK_AUDIO]", "(music)", " *coughs* ", "...", "", "♪ ♪"] {
            assert!(is_non_speech(caption), "{caption:?}");
        }
        assert!(!is_non_speech("(He was late.) She was not."));
        assert!(!is_non_speech("Mum says [the school] rang."));
    }

    #[test]
    fn verbatim_repeats_are_spotted() {
        assert!(same_words("Thank you.", "thank you"));
        assert!(!same_words("Thank you.", "Thank you, Peter."));
        assert!(!same_words("", ""));
    }
}
