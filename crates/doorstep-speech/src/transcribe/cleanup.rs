//! Guards against Whisper's known failure modes on what it returns: a phrase looping ("and
//! then and then and then..."), the same sentence emitted twice, captions for sounds, and a
//! vocabulary prompt that derails a window.

use super::Segment;
use super::windows::Window;
use crate::audio::SAMPLE_RATE;

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

/// Whether a prompted transcript shows the two ways a prompt derails a small model: it skips
/// most of the speech (far fewer words than anyone says in that time), or it copies the
/// prompt's capitals and writes the whole note in them.
pub fn prompt_misled(segments: &[Segment], window: &Window, prompt: &str) -> bool {
    let words = word_count(segments);
    let seconds = window.audio.len() as f32 / SAMPLE_RATE as f32;
    (seconds >= 4.0 && (words as f32) < seconds * MIN_WORDS_PER_SECOND)
        || shouting(segments, prompt)
}

pub fn word_count(segments: &[Segment]) -> usize {
    segments.iter().map(|s| s.words.len()).sum()
}

/// People dictate at two to three words a second; a transcript with under one a second over a
/// window of speech has left most of it out.
const MIN_WORDS_PER_SECOND: f32 = 1.0;

/// Whether the words are in capitals the prompt did not ask for: more than a third of them (at
/// least four), or four in a row, which no dictated sentence has.
pub fn shouting(segments: &[Segment], prompt: &str) -> bool {
    let asked: std::collections::HashSet<&str> =
        prompt.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let (mut words, mut capitals, mut run, mut longest_run) = (0usize, 0usize, 0usize, 0usize);
    for word in segments.iter().flat_map(|s| &s.words) {
        let bare = word.text.trim_matches(|c: char| !c.is_alphanumeric());
        if bare.chars().filter(|c| c.is_alphabetic()).count() < 2 {
            continue;
        }
        words += 1;
        if !bare.chars().any(char::is_lowercase) && !asked.contains(bare) {
            capitals += 1;
            run += 1;
            longest_run = longest_run.max(run);
        } else {
            run = 0;
        }
    }
    longest_run >= SHOUTED_RUN || (capitals >= SHOUTED_RUN && capitals * 3 > words)
}

const SHOUTED_RUN: usize = 4;

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

    fn said(text: &str) -> Vec<Segment> {
        let words = text
            .split_whitespace()
            .map(|w| crate::transcribe::Word {
                text: w.into(),
                confidence: 0.9,
                start_ms: 0,
                end_ms: 0,
            })
            .collect();
        vec![Segment { start_ms: 0, end_ms: 0, text: text.into(), confidence: 0.9, words }]
    }

    fn window(seconds: usize) -> Window {
        Window { index: 0, audio: vec![0.0; seconds * SAMPLE_RATE as usize], pieces: Vec::new() }
    }

    #[test]
    fn a_prompt_that_derails_the_transcript_is_caught() {
        let prompt = "Notes after a home visit, mentioning the GP, CAMHS, EHCP.";
        let note =
            "Tyler has an EHCP and CAMHS have him on the waiting list, the GP says nine months.";
        assert!(!prompt_misled(&said(note), &window(6), prompt));
        assert!(
            prompt_misled(&said("Review in six weeks."), &window(20), prompt),
            "speech skipped"
        );
        assert!(
            !prompt_misled(&said("Review in six weeks."), &window(3), prompt),
            "a short window"
        );
        let shouted = "KERAMA SESMENT WITH RYAN COOL, 78, WHO LOOKS AFTER HIS WIFE JUNE.";
        assert!(prompt_misled(&said(shouted), &window(6), prompt), "capitals copied");
        assert!(shouting(&said(shouted), prompt));
        assert!(!shouting(&said("GP, CAMHS and EHCP: the GP and CAMHS."), prompt));
        let start_shouted = "CMHT, CIN, VISIT, TANIO, CAFER, FAMILIT, and then the note goes on \
            in ordinary words for a good long while, as the visit is described at length to the end.";
        assert!(shouting(&said(start_shouted), prompt), "a run of capitals");
    }
}
