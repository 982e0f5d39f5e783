//! How wide a line of text will be, guessed without fonts, and labels wrapped to fit a circle.
//!
//! The layout has to be the same on every device and before any font is loaded (the SVG is drawn
//! by whatever reads it), so widths are estimated from character classes and always rounded up:
//! a guess that is too wide only leaves a little air, one that is too narrow makes labels collide.

/// Size in pixels of a tie's name (bold) and of its role (italic) under it.
pub(crate) const NAME_SIZE: f64 = 13.0;
pub(crate) const ROLE_SIZE: f64 = 11.0;
/// The person's name in the centre circle (bold).
pub(crate) const CENTRE_SIZE: f64 = 15.0;
/// Baseline-to-baseline distance, as a multiple of the font size.
pub(crate) const LINE_HEIGHT: f64 = 1.25;
/// Bold glyphs are up to a tenth wider than regular ones.
pub(crate) const BOLD: f64 = 1.1;

/// The widest a label line may be before it wraps, in pixels.
pub(crate) const LABEL_WIDTH: f64 = 118.0;
/// Lines kept of a tie's name; the last of them ends in an ellipsis when more text was cut.
pub(crate) const NAME_LINES: usize = 3;

const ELLIPSIS: char = '…';

/// The width of `text` at `size` pixels, in the regular weight, erring wide.
pub(crate) fn text_width(text: &str, size: f64) -> f64 {
    text.chars().map(char_em).sum::<f64>() * size
}

/// The width of `text` in bold.
pub(crate) fn bold_width(text: &str, size: f64) -> f64 {
    text_width(text, size) * BOLD
}

/// Advance width of one character in ems, an upper bound for DejaVu Sans and the usual fallbacks.
fn char_em(c: char) -> f64 {
    match c {
        // Combining marks, Arabic vowel signs, joiners and variation selectors take no room.
        '\u{0300}'..='\u{036F}'
        | '\u{064B}'..='\u{065F}'
        | '\u{0670}'
        | '\u{200B}'..='\u{200F}'
        | '\u{2060}'..='\u{2064}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{E0020}'..='\u{E007F}' => 0.0,
        ' ' => 0.34,
        'i' | 'j' | 'l' | '.' | ',' | '\'' | ':' | ';' | '!' | '|' => 0.34,
        'f' | 't' | 'r' | 'I' | '(' | ')' | '[' | ']' | '-' => 0.48,
        'm' | 'w' => 1.0,
        'M' | 'W' | '@' | '%' | '&' => 1.05,
        'a'..='z' | '0'..='9' => 0.66,
        'A'..='Z' => 0.82,
        c if c.is_ascii() => 0.86,
        // Latin, Greek and Cyrillic letters with accents.
        '\u{00C0}'..='\u{052F}' => 0.86,
        // Hebrew and Arabic, whose joined forms are narrower than their isolated ones.
        '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}' => 0.8,
        // Emoji, pictographs and dingbats: drawn from whatever fallback font has them.
        '\u{2190}'..='\u{2BFF}' | '\u{1F000}'..='\u{1FAFF}' => 1.3,
        // CJK, Hangul and full-width forms.
        '\u{1100}'..='\u{115F}'
        | '\u{2E80}'..='\u{A4CF}'
        | '\u{AC00}'..='\u{D7A3}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FF00}'..='\u{FF60}'
        | '\u{FFE0}'..='\u{FFE6}'
        | '\u{20000}'..='\u{3FFFD}' => 1.1,
        _ => 1.0,
    }
}

/// True for characters that must stay glued to the one before (marks, joiners, selectors).
fn joins_previous(c: char) -> bool {
    char_em(c) == 0.0 && !matches!(c, '\u{200B}')
}

/// Wraps `text` into at most `max_lines` lines no wider than `max_width` (bold when `bold`),
/// breaking at spaces and, for a word too long for a line, between characters. Text that does
/// not fit is cut and the last line ends with an ellipsis. Returns no lines for blank text.
pub(crate) fn wrap(
    text: &str,
    size: f64,
    bold: bool,
    max_width: f64,
    max_lines: usize,
) -> Vec<String> {
    let width = |s: &str| if bold { bold_width(s, size) } else { text_width(s, size) };
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        // A word may break after its hyphens and slashes before it breaks anywhere else.
        for (k, piece) in word.split_inclusive(['-', '/']).enumerate() {
            let joiner = if k == 0 && !current.is_empty() { " " } else { "" };
            let candidate = format!("{current}{joiner}{piece}");
            if width(&candidate) <= max_width {
                current = candidate;
                continue;
            }
            if !current.is_empty() {
                lines.push(std::mem::take(&mut current));
            }
            // The piece alone: split it between characters until the rest fits.
            for c in piece.chars() {
                let mut next = current.clone();
                next.push(c);
                if width(&next) > max_width && !current.is_empty() && !joins_previous(c) {
                    lines.push(std::mem::replace(&mut current, c.to_string()));
                } else {
                    current = next;
                }
            }
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            *last = ellipsize(last, &width, max_width);
        }
    }
    lines
}

/// `line` with an ellipsis at the end, shortened until both fit in `max_width`.
fn ellipsize(line: &str, width: &dyn Fn(&str) -> f64, max_width: f64) -> String {
    let mut kept: Vec<char> = line.chars().collect();
    loop {
        let mut candidate: String = kept.iter().collect::<String>().trim_end().to_owned();
        candidate.push(ELLIPSIS);
        if width(&candidate) <= max_width || kept.is_empty() {
            return candidate;
        }
        kept.pop();
        while kept.last().is_some_and(|c| joins_previous(*c)) {
            kept.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_characters_are_measured_wider() {
        let latin = text_width("abcd", 10.0);
        assert!(text_width("WWWW", 10.0) > latin);
        assert!(text_width("🐕🐕🐕🐕", 10.0) > latin);
        assert!(text_width("日本語の", 10.0) > latin);
        // A combining accent adds nothing; the letter it sits on does.
        assert_eq!(text_width("e\u{0301}", 10.0), text_width("e", 10.0));
    }

    #[test]
    fn wrap_breaks_at_spaces_and_keeps_every_line_within_the_width() {
        let lines = wrap("her daughter Karen from Leeds", NAME_SIZE, true, LABEL_WIDTH, 3);
        assert_eq!(lines, ["her daughter", "Karen from", "Leeds"]);
        for text in [
            "Maximilian Alexander Featherstonehaugh-Worthington the Third",
            "Supercalifragilisticexpialidociousness",
            "🐕🐕🐕🐕🐕🐕🐕🐕🐕🐕🐕🐕🐕🐕 the dog",
            "جدة فاطمة من الإسكندرية التي تزورها كل أسبوع",
        ] {
            let lines = wrap(text, NAME_SIZE, true, LABEL_WIDTH, 3);
            assert!(!lines.is_empty() && lines.len() <= 3, "{text}: {lines:?}");
            for line in &lines {
                assert!(bold_width(line, NAME_SIZE) <= LABEL_WIDTH, "{line} too wide");
            }
        }
    }

    #[test]
    fn long_words_break_after_a_hyphen_first() {
        let lines = wrap("Bernard O'Neill-Hughes-Montgomery", NAME_SIZE, true, LABEL_WIDTH, 4);
        assert_eq!(lines, ["Bernard", "O'Neill-", "Hughes-", "Montgomery"]);
    }

    #[test]
    fn text_cut_short_ends_in_an_ellipsis() {
        let lines = wrap("one two three four five six seven eight nine ten", 13.0, false, 40.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'), "{lines:?}");
        assert!(wrap("   ", 13.0, false, 40.0, 2).is_empty());
    }

    #[test]
    fn marks_stay_on_the_letter_they_belong_to() {
        let lines = wrap("e\u{0301}e\u{0301}e\u{0301}e\u{0301}", 10.0, false, 14.0, 9);
        assert!(lines.iter().all(|line| !line.starts_with('\u{0301}')), "{lines:?}");
    }
}
