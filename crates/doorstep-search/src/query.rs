//! What a practitioner typed, understood: free words, quoted phrases, `person:`, `from:`/`to:`
//! dates and `theme:ID`, plus the themes the words name ("DV", "money worries"). Parsing never
//! fails on the shape of the text (unbalanced quotes, FTS5 operators, punctuation, 10 kB of it):
//! only a filter that cannot be honoured (an impossible date, an unknown theme) is reported.

use chrono::NaiveDate;

use crate::error::SearchError;

/// More words than this are ignored: a pasted paragraph is still a search, not an error.
pub const MAX_WORDS: usize = 64;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Query {
    /// Free words, in order, lower case.
    pub words: Vec<String>,
    /// Quoted phrases, each as its words.
    pub phrases: Vec<Vec<String>>,
    /// `person:NAME`.
    pub person: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// `theme:ID`, as written.
    pub themes: Vec<String>,
    /// The free text (words and phrases) as typed, for the meaning of the query.
    pub text: String,
}

impl Query {
    pub fn parse(input: &str) -> Result<Self, SearchError> {
        let mut query = Query::default();
        let mut rest = input.trim();
        let mut text = Vec::new();
        while let Some(start) = rest.find(|c: char| !c.is_whitespace()) {
            rest = &rest[start..];
            if let Some((key, after)) = filter_key(rest) {
                let (value, next) = take_value(after);
                rest = next;
                query.apply_filter(key, value.trim())?;
            } else if let Some(after) = rest.strip_prefix(['"', '“', '”']) {
                let end = after.find(['"', '“', '”']).unwrap_or(after.len());
                let phrase = words_of(&after[..end]);
                if !phrase.is_empty() {
                    text.push(after[..end].trim().to_owned());
                    query.phrases.push(phrase);
                }
                rest = after.get(end..).map_or("", |r| r.get(1..).unwrap_or(""));
            } else {
                let end = rest.find(|c: char| c.is_whitespace() || matches!(c, '"' | '“' | '”'));
                let end = end.unwrap_or(rest.len());
                let word = &rest[..end];
                text.push(word.to_owned());
                query.words.extend(words_of(word));
                rest = &rest[end..];
            }
        }
        query.words.truncate(MAX_WORDS);
        query.phrases.truncate(MAX_WORDS);
        query.text = text.join(" ");
        Ok(query)
    }

    /// Whether the query asks for anything beyond its filters.
    pub fn has_text(&self) -> bool {
        !self.words.is_empty() || !self.phrases.is_empty()
    }

    fn apply_filter(&mut self, key: Filter, value: &str) -> Result<(), SearchError> {
        if value.is_empty() {
            return Err(SearchError::EmptyFilter(key.name()));
        }
        match key {
            Filter::Person => self.person = Some(value.to_owned()),
            Filter::From => self.from = Some(parse_date(value, DateEnd::Start)?),
            Filter::To => self.to = Some(parse_date(value, DateEnd::End)?),
            Filter::Theme => self.themes.push(value.to_owned()),
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy)]
enum Filter {
    Person,
    From,
    To,
    Theme,
}

impl Filter {
    fn name(self) -> &'static str {
        match self {
            Filter::Person => "person:",
            Filter::From => "from:",
            Filter::To => "to:",
            Filter::Theme => "theme:",
        }
    }
}

/// `person:`, `subject:`, `from:`, `to:` or `theme:` at the start of `text`.
fn filter_key(text: &str) -> Option<(Filter, &str)> {
    let colon = text.find(':')?;
    let key = &text[..colon];
    let filter = match key.to_ascii_lowercase().as_str() {
        "person" | "subject" => Filter::Person,
        "from" | "since" => Filter::From,
        "to" | "until" => Filter::To,
        "theme" => Filter::Theme,
        _ => return None,
    };
    Some((filter, &text[colon + 1..]))
}

/// A filter's value: quoted (to the closing quote, or the end) or up to the next space.
fn take_value(text: &str) -> (&str, &str) {
    if let Some(after) = text.strip_prefix(['"', '“', '”']) {
        let end = after.find(['"', '“', '”']).unwrap_or(after.len());
        (&after[..end], after.get(end..).map_or("", |r| r.get(1..).unwrap_or("")))
    } else {
        let end = text.find(char::is_whitespace).unwrap_or(text.len());
        (&text[..end], &text[end..])
    }
}

/// The words of `text`, lower case, as FTS5's unicode61 tokenizer would split them.
pub fn words_of(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[derive(Debug, Clone, Copy)]
enum DateEnd {
    Start,
    End,
}

/// `2026-03-14`, `2026-03` or `2026`; a month or a year means its first day in `from:` and its
/// last in `to:`.
fn parse_date(value: &str, end: DateEnd) -> Result<NaiveDate, SearchError> {
    let bad = || SearchError::BadDate(value.to_owned());
    let parts: Vec<&str> = value.split('-').collect();
    let number = |s: &str| s.parse::<u32>().map_err(|_| bad());
    let year = parts.first().ok_or_else(bad).and_then(|y| y.parse::<i32>().map_err(|_| bad()))?;
    let date = match (parts.len(), end) {
        (1, DateEnd::Start) => NaiveDate::from_ymd_opt(year, 1, 1),
        (1, DateEnd::End) => NaiveDate::from_ymd_opt(year, 12, 31),
        (2, DateEnd::Start) => NaiveDate::from_ymd_opt(year, number(parts[1])?, 1),
        (2, DateEnd::End) => {
            let month = number(parts[1])?;
            let next = if month == 12 {
                NaiveDate::from_ymd_opt(year + 1, 1, 1)
            } else {
                NaiveDate::from_ymd_opt(year, month + 1, 1)
            };
            next.and_then(|d| d.pred_opt())
        }
        (3, _) => NaiveDate::from_ymd_opt(year, number(parts[1])?, number(parts[2])?),
        _ => None,
    };
    date.ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(q: &str) -> Query {
        Query::parse(q).unwrap_or_else(|e| panic!("{q}: {e}"))
    }

    #[test]
    fn words_phrases_and_filters_are_told_apart() {
        let q = parse(r#"person:"Joan Platt" falls "hands round her neck" from:2026-02 to:2026"#);
        assert_eq!(q.person.as_deref(), Some("Joan Platt"));
        assert_eq!(q.words, ["falls"]);
        assert_eq!(q.phrases, [vec!["hands", "round", "her", "neck"]]);
        assert_eq!(q.from, NaiveDate::from_ymd_opt(2026, 2, 1));
        assert_eq!(q.to, NaiveDate::from_ymd_opt(2026, 12, 31));
        assert_eq!(q.text, "falls hands round her neck");
        let q = parse("theme:alcohol to:2026-02 Subject:Gareth");
        assert_eq!(
            (q.themes, q.to, q.person.as_deref()),
            (vec!["alcohol".to_owned()], NaiveDate::from_ymd_opt(2026, 2, 28), Some("Gareth"))
        );
    }

    #[test]
    fn malformed_text_is_still_a_query() {
        for q in [
            r#""unbalanced quote"#,
            r#"a "b" "c"#,
            "NEAR(drugs alcohol) AND OR NOT * ^ - + :",
            "col:drugs {x} (y)",
            "\"\"",
            "   ",
            "",
            "“curly quotes”",
        ] {
            let parsed = parse(q);
            assert!(
                parsed
                    .words
                    .iter()
                    .chain(parsed.phrases.iter().flatten())
                    .all(|w| w.chars().all(char::is_alphanumeric))
            );
        }
        assert_eq!(parse(r#""unbalanced quote"#).phrases, [vec!["unbalanced", "quote"]]);
        assert!(!parse("").has_text());
        let long = "drinking ".repeat(1200);
        assert_eq!(parse(&long).words.len(), MAX_WORDS);
    }

    #[test]
    fn impossible_filters_are_reported() {
        assert!(matches!(Query::parse("from:2026-13-01"), Err(SearchError::BadDate(_))));
        assert!(matches!(Query::parse("to:yesterday"), Err(SearchError::BadDate(_))));
        assert!(matches!(Query::parse("person:"), Err(SearchError::EmptyFilter("person:"))));
        let message = Query::parse("from:2026-02-30").unwrap_err().to_string();
        assert!(message.contains("2026-02-30"), "{message}");
    }
}
