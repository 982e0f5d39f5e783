//! Turning a parsed query into an FTS5 expression. Every word and phrase goes in as a quoted
//! string, so nothing the practitioner types is read as FTS5 syntax (`NEAR`, `*`, `-`, `:`,
//! column filters).

use crate::query::Query;

/// Words too common to rank by ("who helps with shopping" ranks by "helps" and "shopping").
const STOP_WORDS: &[&str] = &[
    "a", "about", "an", "and", "any", "are", "as", "at", "be", "by", "did", "do", "does", "for",
    "from", "had", "has", "have", "he", "her", "him", "his", "how", "i", "in", "is", "it", "its",
    "me", "my", "of", "on", "or", "our", "she", "that", "the", "their", "them", "they", "this",
    "to", "was", "we", "were", "what", "when", "where", "which", "who", "whom", "why", "with",
    "you", "your",
];

/// The words of `query` that rank notes: without the stop words (all of them when the query is
/// nothing but stop words), each once.
pub fn ranking_words(query: &Query) -> Vec<&str> {
    let mut words: Vec<&str> =
        query.words.iter().map(String::as_str).filter(|w| !STOP_WORDS.contains(w)).collect();
    if words.is_empty() {
        words = query.words.iter().map(String::as_str).collect();
    }
    let mut seen = std::collections::HashSet::new();
    words.retain(|w| seen.insert(*w));
    words
}

/// The expression for one word.
pub fn word(word: &str) -> String {
    quoted(word)
}

/// The expression for `query`, or None when it has no words to match. Quoted phrases must all
/// be present; free words rank the notes, any of them matching, except those in `common`.
pub fn expression(query: &Query, common: &[&str]) -> Option<String> {
    if !query.phrases.is_empty() {
        let phrases: Vec<String> = query.phrases.iter().map(|p| quoted(&p.join(" "))).collect();
        return Some(phrases.join(" AND "));
    }
    let words: Vec<&str> =
        ranking_words(query).into_iter().filter(|w| !common.contains(w)).collect();
    if words.is_empty() {
        return None;
    }
    Some(words.iter().map(|w| quoted(w)).collect::<Vec<_>>().join(" OR "))
}

/// An FTS5 string: double quotes inside are doubled.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expr(q: &str) -> Option<String> {
        expression(&Query::parse(q).unwrap_or_else(|e| panic!("{e}")), &[])
    }

    #[test]
    fn words_are_quoted_and_any_may_match() {
        assert_eq!(expr("who helps with shopping").as_deref(), Some(r#""helps" OR "shopping""#));
        assert_eq!(expr("who").as_deref(), Some(r#""who""#));
        assert_eq!(expr(r#"NOT drugs*"#).as_deref(), Some(r#""not" OR "drugs""#));
        assert_eq!(
            expr(r#"dog "hands round her neck""#).as_deref(),
            Some(r#""hands round her neck""#)
        );
        assert_eq!(expr("person:Joan"), None);
        let query = Query::parse("support from church").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(expression(&query, &["support"]).as_deref(), Some(r#""church""#));
    }
}
