//! Whisper's tokens gathered into words with their confidence and times, and its segments cut
//! into sentences: with a vocabulary prompt Whisper often gives a whole window as one segment.

use super::{Segment, Word};

/// Gathers tokens into words: a token starting with a space starts a word.
#[derive(Default)]
pub struct WordBuilder {
    words: Vec<(Word, usize)>,
    pending: Vec<u8>,
    probs: Vec<f32>,
    span: Option<(u64, u64)>,
}

impl WordBuilder {
    pub fn push(&mut self, bytes: &[u8], p: f32, start_ms: u64, end_ms: u64) {
        if bytes.first() == Some(&b' ') {
            self.flush();
        }
        self.pending.extend_from_slice(bytes);
        self.probs.push(p);
        let (from, _) = self.span.unwrap_or((start_ms, end_ms));
        self.span = Some((from, end_ms.max(from)));
    }

    fn flush(&mut self) {
        let text = String::from_utf8_lossy(&self.pending).trim().to_owned();
        if let (false, Some((start_ms, end_ms))) = (text.is_empty(), self.span) {
            let confidence = mean(&self.probs);
            self.words.push((Word { text, confidence, start_ms, end_ms }, self.probs.len()));
        }
        self.pending.clear();
        self.probs.clear();
        self.span = None;
    }

    /// The words, each with how many tokens it took.
    pub fn finish(mut self) -> Vec<WordWithTokens> {
        self.flush();
        self.words.into_iter().map(|(word, tokens)| WordWithTokens { word, tokens }).collect()
    }
}

pub struct WordWithTokens {
    word: Word,
    tokens: usize,
}

impl std::ops::Deref for WordWithTokens {
    type Target = Word;
    fn deref(&self) -> &Word {
        &self.word
    }
}

/// Nobody says a word in under this; a sentence timed faster has its times from the token
/// timestamps' weak spot (the end of a long segment), and is timed by its length instead.
const MIN_MS_PER_WORD: u64 = 100;

/// Splits what Whisper gave as one segment at the ends of sentences, so a long window still
/// reads as timed sentences; each takes its time from its words, inside the segment's span.
pub fn sentences(words: Vec<WordWithTokens>, start_ms: u64, end_ms: u64) -> Vec<Segment> {
    let mut out = split(words, start_ms, end_ms);
    let implausible = out
        .iter()
        .any(|s| s.end_ms.saturating_sub(s.start_ms) < MIN_MS_PER_WORD * s.words.len() as u64);
    if implausible {
        retime_by_length(&mut out, start_ms, end_ms);
    }
    out
}

/// Shares `start_ms..end_ms` among the sentences and their words by their length in letters.
fn retime_by_length(sentences: &mut [Segment], start_ms: u64, end_ms: u64) {
    let weight = |w: &Word| w.text.chars().count() as u64 + 1;
    let total: u64 = sentences.iter().flat_map(|s| &s.words).map(weight).sum::<u64>().max(1);
    let span = end_ms.saturating_sub(start_ms);
    let mut done = 0;
    let at = |done: u64| start_ms + span * done / total;
    for sentence in sentences {
        sentence.start_ms = at(done);
        for word in &mut sentence.words {
            word.start_ms = at(done);
            done += weight(word);
            word.end_ms = at(done);
        }
        sentence.end_ms = at(done);
    }
}

fn split(words: Vec<WordWithTokens>, start_ms: u64, end_ms: u64) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut current: Vec<WordWithTokens> = Vec::new();
    let count = words.len();
    for (i, word) in words.into_iter().enumerate() {
        let ends_sentence = word.text.ends_with(['.', '?', '!']);
        current.push(word);
        if ends_sentence || i + 1 == count {
            let first = out.is_empty();
            let last = i + 1 == count;
            out.push(sentence(std::mem::take(&mut current), first, last, start_ms, end_ms));
        }
    }
    out
}

fn sentence(
    words: Vec<WordWithTokens>,
    first: bool,
    last: bool,
    start_ms: u64,
    end_ms: u64,
) -> Segment {
    let tokens: usize = words.iter().map(|w| w.tokens).sum();
    let confidence = if tokens == 0 {
        0.0
    } else {
        words.iter().map(|w| w.confidence * w.tokens as f32).sum::<f32>() / tokens as f32
    };
    let from = if first { start_ms } else { words.first().map_or(start_ms, |w| w.start_ms) };
    let to = if last { end_ms } else { words.last().map_or(end_ms, |w| w.end_ms) };
    let words: Vec<Word> = words.into_iter().map(|w| w.word).collect();
    let text = words.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ");
    Segment { start_ms: from, end_ms: to.max(from), text, confidence, words }
}

pub fn mean(values: &[f32]) -> f32 {
    if values.is_empty() { 0.0 } else { values.iter().sum::<f32>() / values.len() as f32 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(tokens: &[(&str, u64, u64)]) -> Vec<WordWithTokens> {
        let mut builder = WordBuilder::default();
        for (text, from, to) in tokens {
            builder.push(text.as_bytes(), 0.9, *from, *to);
        }
        builder.finish()
    }

    #[test]
    fn tokens_become_words_and_sentences_with_their_times() {
        let words = build(&[
            (" Vis", 0, 200),
            ("ited", 200, 500),
            (" Mrs", 500, 800),
            (" Holt.", 800, 1200),
            (" She", 1500, 1700),
            (" is", 1700, 1800),
            (" well.", 1800, 2300),
        ]);
        assert_eq!(words.len(), 6);
        assert_eq!(words[0].tokens, 2);
        let sentences = sentences(words, 0, 2400);
        let texts: Vec<_> = sentences.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, ["Visited Mrs Holt.", "She is well."]);
        assert_eq!((sentences[0].start_ms, sentences[0].end_ms), (0, 1200));
        assert_eq!((sentences[1].start_ms, sentences[1].end_ms), (1500, 2400));
        assert_eq!((sentences[0].words[0].start_ms, sentences[0].words[0].end_ms), (0, 500));
    }

    #[test]
    fn a_sentence_squeezed_into_the_end_is_timed_by_length() {
        let words = build(&[
            (" One", 0, 1000),
            (" two.", 1000, 3900),
            (" Three", 3990, 3995),
            (" four", 3995, 3998),
            (" five.", 3998, 4000),
        ]);
        let sentences = sentences(words, 0, 4000);
        assert_eq!(sentences.len(), 2);
        assert_eq!(sentences[0].start_ms, 0);
        assert_eq!(sentences[1].end_ms, 4000);
        assert!(sentences[1].start_ms > 1000 && sentences[1].start_ms < 2000, "{sentences:?}");
        for s in &sentences {
            assert!(s.end_ms - s.start_ms >= MIN_MS_PER_WORD * s.words.len() as u64);
        }
    }
}
