//! Comparing the phrases notes use for a node: "Our Karen", "karen" and "her Karen." name the
//! same person, so diffs and rejections compare names in one normalised form.

/// Words that open a phrase without telling nodes apart ("her", "the").
const OPENING_WORDS: &[&str] = &["a", "an", "the", "her", "his", "their", "my", "our", "your"];

/// `who` in lower case, words only (letters and digits of any script), without an opening
/// possessive or article. Empty when nothing is left.
pub(crate) fn normalised(who: &str) -> String {
    let cleaned: String = who
        .chars()
        .map(|c| if c.is_alphanumeric() || c == '\'' { c } else { ' ' })
        .flat_map(char::to_lowercase)
        .collect();
    let mut words: Vec<&str> = cleaned
        .split_whitespace()
        .map(|w| w.trim_matches('\''))
        .filter(|w| !w.is_empty())
        .collect();
    while words.len() > 1 && words.first().is_some_and(|w| OPENING_WORDS.contains(w)) {
        words.remove(0);
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_for_one_node_compare_equal() {
        assert_eq!(normalised("Our Karen"), "karen");
        assert_eq!(normalised("  her   Karen. "), "karen");
        assert_eq!(normalised("the day-centre"), "day centre");
        assert_eq!(normalised("St Mark's food bank"), "st mark's food bank");
        assert_eq!(normalised("Her"), "her", "a lone word is kept");
        assert_eq!(normalised("جدتي 👵"), "جدتي");
        assert_eq!(normalised("!!"), "");
    }
}
