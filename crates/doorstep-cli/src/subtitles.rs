//! Transcripts as SubRip and WebVTT subtitles, for playing a note back with its words.

use doorstep_speech::transcribe::Segment;

fn timestamp(ms: u64, decimal: char) -> String {
    let (h, m, s, ms) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    format!("{h:02}:{m:02}:{s:02}{decimal}{ms:03}")
}

pub fn srt(segments: &[Segment]) -> String {
    let mut out = String::new();
    for (i, s) in segments.iter().enumerate() {
        let (start, end) = (timestamp(s.start_ms, ','), timestamp(s.end_ms, ','));
        out.push_str(&format!("{}\n{start} --> {end}\n{}\n\n", i + 1, s.text));
    }
    out
}

pub fn vtt(segments: &[Segment]) -> String {
    let mut out = String::from("WEBVTT\n\n");
    for s in segments {
        let (start, end) = (timestamp(s.start_ms, '.'), timestamp(s.end_ms, '.'));
        out.push_str(&format!("{start} --> {end}\n{}\n\n", s.text));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_written_as_each_format_wants() {
        let segments = [Segment {
            start_ms: 3_723_045,
            end_ms: 3_725_000,
            text: "Peter does the shopping.".into(),
            confidence: 0.9,
            words: Vec::new(),
        }];
        assert_eq!(
            srt(&segments),
            "1\n01:02:03,045 --> 01:02:05,000\nPeter does the shopping.\n\n"
        );
        assert!(vtt(&segments).starts_with("WEBVTT\n\n01:02:03.045 --> 01:02:05.000\n"));
    }
}
