//! The tagger: finds the taxonomy's words in a note, sentence by sentence, and keeps only the
//! mentions that say the theme is there. A mention under a negation ("no concerns about drugs",
//! "denies any DV") or in a hypothetical or a plan ("if she misses school again", "I'll ask
//! about alcohol next time") is not a tag. Every tag carries the spans that justify it.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::taxonomy::{Taxonomy, ThemeId};

/// Where in the note a theme shows, by character offsets (not bytes) into the note's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// A theme found in a note.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tag {
    pub id: ThemeId,
    /// 0 to 1: how directly the note names the theme, and how often.
    pub confidence: f32,
    pub evidence: Vec<Evidence>,
    /// True when the tag is implied by a more specific theme (alcohol → substance_misuse).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub implied: bool,
}

/// How a phrase names its theme.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Strength {
    /// An acronym or a synonym: the theme's own name.
    Named,
    /// A cue: a phrase that shows the theme.
    Cue,
}

#[derive(Debug)]
struct Phrase {
    theme: usize,
    words: Vec<String>,
    /// The last word may have any ending.
    prefix: bool,
    /// Acronyms match with their capitals only.
    exact_case: bool,
    /// Words of a phrase match across endings; a single word is chosen exactly ("schooling"
    /// is not "school").
    stemmed: bool,
    strength: Strength,
}

/// Words that put what follows them, to the end of the clause, out of the note's facts.
const NEGATIONS: &[&str] = &[
    "no", "not", "never", "without", "denies", "denied", "deny", "nor", "neither", "none", "isn't",
    "wasn't", "aren't", "doesn't", "didn't", "don't", "hasn't", "haven't", "won't", "cannot",
    "can't", "rule", "ruled", "unlikely", "absent", "free",
];

/// Words that make a clause a condition, a question or a deferred enquiry rather than a fact
/// ("if she misses school again", "whether he is drinking", "I'll ask about drugs"). A plan to
/// act on a need ("I will refer her to the OT") still shows the need, so "will" is not here.
const HYPOTHETICALS: &[&str] =
    &["if", "unless", "whether", "would", "ask", "asked", "explore", "query", "suspected"];

/// How far back from a mention a negation reaches: "no" in "no concerns about his drinking"
/// is four words back; further than this it negates something else.
const NEGATION_REACH: usize = 5;

/// A theme's mention: the theme, the tokens it spans, and how it names the theme.
type Hit = (usize, usize, usize, Strength);

/// A theme shown by words of every group in one clause.
#[derive(Debug)]
struct Together {
    theme: usize,
    groups: Vec<Vec<String>>,
}

/// Finds themes in notes with one taxonomy's words.
#[derive(Debug)]
pub struct Tagger<'t> {
    taxonomy: &'t Taxonomy,
    phrases: Vec<Phrase>,
    /// Phrases by the form of their first word, so a note's word is checked only against the
    /// phrases that could start there...
    by_first: HashMap<String, Vec<usize>>,
    /// ...and those whose only word is a prefix.
    prefixes: Vec<usize>,
    together: Vec<Together>,
}

/// A word of the note: its text, lower case, and character span.
#[derive(Debug)]
struct Token {
    text: String,
    lower: String,
    stem: String,
    start: usize,
    end: usize,
}

impl<'t> Tagger<'t> {
    pub fn new(taxonomy: &'t Taxonomy) -> Self {
        let mut phrases = Vec::new();
        for (i, theme) in taxonomy.themes().iter().enumerate() {
            let named = theme.synonyms.iter().map(|w| (w, Strength::Named, false));
            let cues = theme.cues.iter().map(|w| (w, Strength::Cue, false));
            let acronyms = theme.acronyms.iter().map(|w| (w, Strength::Named, true));
            for (text, strength, exact_case) in acronyms.chain(named).chain(cues) {
                let prefix = text.ends_with('*');
                let text = text.trim_end_matches('*');
                let tokens = tokens(text);
                let last = tokens.len().saturating_sub(1);
                let stemmed = tokens.len() > 1;
                let words: Vec<String> = tokens
                    .into_iter()
                    .enumerate()
                    .map(|(i, t)| match (exact_case, prefix && i == last, stemmed) {
                        (true, _, _) => t.text,
                        (false, false, true) => t.stem,
                        (false, _, _) => t.lower,
                    })
                    .collect();
                if !words.is_empty() {
                    phrases.push(Phrase { theme: i, words, prefix, exact_case, stemmed, strength });
                }
            }
        }
        let together = taxonomy
            .themes()
            .iter()
            .enumerate()
            .filter(|(_, theme)| !theme.together.is_empty())
            .map(|(i, theme)| Together {
                theme: i,
                groups: theme
                    .together
                    .iter()
                    .map(|group| group.iter().map(|w| w.to_lowercase()).collect())
                    .collect(),
            })
            .collect();
        let (mut by_first, mut prefixes) = (HashMap::<String, Vec<usize>>::new(), Vec::new());
        for (i, phrase) in phrases.iter().enumerate() {
            if phrase.prefix && phrase.words.len() == 1 {
                prefixes.push(i);
            } else {
                by_first.entry(phrase.words[0].clone()).or_default().push(i);
            }
        }
        Self { taxonomy, phrases, by_first, prefixes, together }
    }

    /// Where the taxonomy's phrases occur in `tokens[clause]`, in phrase order then position.
    fn phrase_hits(&self, tokens: &[Token], clause: std::ops::Range<usize>) -> Vec<Hit> {
        let mut found: Vec<(usize, usize)> = Vec::new();
        for at in clause.clone() {
            let token = &tokens[at];
            let keyed = [&token.text, &token.lower, &token.stem]
                .into_iter()
                .filter_map(|form| self.by_first.get(form.as_str()))
                .flatten();
            for &i in keyed.chain(&self.prefixes) {
                if matches(&self.phrases[i], &tokens[at..clause.end]) {
                    found.push((i, at));
                }
            }
        }
        found.sort_unstable();
        found.dedup();
        found
            .into_iter()
            .map(|(i, at)| {
                let phrase = &self.phrases[i];
                (phrase.theme, at, at + phrase.words.len(), phrase.strength)
            })
            .collect()
    }

    /// The themes `text` shows, most confident first.
    pub fn tag(&self, text: &str) -> Vec<Tag> {
        let tokens = tokens(text);
        let mut found: Vec<Hit> = Vec::new();
        // A theme denied anywhere in a sentence is not also found in it: "lives alone but is
        // never lonely" is not loneliness.
        let mut sentence_hits = Vec::new();
        let mut denied = std::collections::HashSet::new();
        let mut current = 0;
        for (sentence, clause) in clauses(text, &tokens) {
            if sentence != current {
                found.extend(sentence_hits.drain(..).filter(|h: &Hit| !denied.contains(&h.0)));
                denied.clear();
                current = sentence;
            }
            let mut hits = self.phrase_hits(&tokens, clause.clone());
            // A phrase inside a longer one of another theme is that theme's ("self-neglect").
            let longest = hits.clone();
            hits.retain(|&(theme, from, to, _)| {
                !longest.iter().any(|&(other, f, t, _)| {
                    other != theme && f <= from && to <= t && (t - f) > (to - from)
                })
            });
            for rule in &self.together {
                let at: Option<Vec<usize>> = rule
                    .groups
                    .iter()
                    .map(|group| clause.clone().find(|&i| in_group(group, &tokens[i].lower)))
                    .collect();
                if let Some(at) = at {
                    let (from, to) = (at.iter().min(), at.iter().max());
                    // A negation anywhere before the last of the words undoes them all.
                    if let (Some(&from), Some(&to)) = (from, to)
                        && !ruled_out(&tokens[clause.start..to])
                    {
                        hits.push((rule.theme, from, to + 1, Strength::Cue));
                    }
                }
            }
            for hit in hits {
                if ruled_out(&tokens[clause.start..hit.1]) {
                    denied.insert(hit.0);
                } else {
                    sentence_hits.push(hit);
                }
            }
        }
        found.extend(sentence_hits.into_iter().filter(|h| !denied.contains(&h.0)));
        self.tags(text, &tokens, &found)
    }

    fn tags(&self, text: &str, tokens: &[Token], found: &[Hit]) -> Vec<Tag> {
        let chars: Vec<char> = text.chars().collect();
        let mut by_theme: BTreeMap<usize, Vec<(usize, usize, Strength)>> = BTreeMap::new();
        for &(theme, from, to, how) in found {
            let spans = by_theme.entry(theme).or_default();
            if !spans.iter().any(|&(f, t, _)| f < to && from < t) {
                spans.push((from, to, how));
            }
        }
        let themes = self.taxonomy.themes();
        let mut tags: BTreeMap<ThemeId, Tag> = BTreeMap::new();
        for (theme, spans) in by_theme {
            let named = spans.iter().filter(|s| s.2 == Strength::Named).count();
            let confidence =
                (0.55 + 0.3 * named.min(1) as f32 + 0.1 * (spans.len() - 1).min(2) as f32)
                    .min(0.98);
            let evidence = spans
                .iter()
                .map(|&(from, to, _)| {
                    let (start, end) = (tokens[from].start, tokens[to - 1].end);
                    Evidence { start, end, text: chars[start..end].iter().collect() }
                })
                .collect::<Vec<_>>();
            let id = themes[theme].id.clone();
            for (depth, ancestor) in self.taxonomy.with_ancestors(&id).into_iter().enumerate() {
                let tag = tags.entry(ancestor.id.clone()).or_insert_with(|| Tag {
                    id: ancestor.id.clone(),
                    confidence: 0.0,
                    evidence: Vec::new(),
                    implied: depth > 0,
                });
                tag.implied &= depth > 0;
                tag.confidence = tag.confidence.max(confidence);
                for e in &evidence {
                    if !tag.evidence.contains(e) {
                        tag.evidence.push(e.clone());
                    }
                }
            }
        }
        let mut tags: Vec<Tag> = tags.into_values().collect();
        for tag in &mut tags {
            tag.evidence.sort_by_key(|e| e.start);
        }
        tags.sort_by(|a, b| b.confidence.total_cmp(&a.confidence).then(a.id.cmp(&b.id)));
        tags
    }
}

fn in_group(group: &[String], word: &str) -> bool {
    group.iter().any(|w| match w.strip_suffix('*') {
        Some(stem) => word.starts_with(stem),
        None => word == w,
    })
}

fn matches(phrase: &Phrase, rest: &[Token]) -> bool {
    if rest.len() < phrase.words.len() {
        return false;
    }
    let last = phrase.words.len() - 1;
    phrase.words.iter().enumerate().all(|(i, word)| {
        if phrase.exact_case {
            rest[i].text == *word
        } else if i == last && phrase.prefix {
            rest[i].lower.starts_with(word.as_str())
        } else if phrase.stemmed {
            rest[i].stem == *word
        } else {
            rest[i].lower == *word
        }
    })
}

/// Whether the words before a mention, in its clause, negate it (close by) or make it
/// hypothetical (anywhere before it in the clause).
fn ruled_out(before: &[Token]) -> bool {
    let near = &before[before.len().saturating_sub(NEGATION_REACH)..];
    near.iter().any(|t| NEGATIONS.contains(&t.lower.as_str()))
        || before.iter().any(|t| HYPOTHETICALS.contains(&t.lower.as_str()))
}

impl Token {
    fn new(text: String, start: usize, end: usize) -> Self {
        let lower = text.to_lowercase();
        Self { stem: stem(&lower), lower, text, start, end }
    }
}

/// A word without its commonest English endings, so "volunteered", "volunteers" and
/// "volunteering" meet: -ing, -ed, -es, -s, on words long enough to keep a stem of four letters.
fn stem(word: &str) -> String {
    for suffix in ["ing", "ed", "es", "s"] {
        if let Some(stem) = word.strip_suffix(suffix)
            && stem.chars().count() >= 4
            && !word.ends_with("ss")
        {
            return stem.to_owned();
        }
    }
    word.to_owned()
}

/// Words with their character spans; an apostrophe or hyphen inside a word keeps it whole.
fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut current: Option<(usize, String)> = None;
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let inner = (c == '\'' || c == '’' || c == '-' || c == '&')
            && current.is_some()
            && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
        if c.is_alphanumeric() || inner {
            let c = if c == '’' { '\'' } else { c };
            current.get_or_insert_with(|| (i, String::new())).1.push(c);
        } else if let Some((start, word)) = current.take() {
            out.push(Token::new(word, start, i));
        }
    }
    if let Some((start, word)) = current {
        out.push(Token::new(word, start, chars.len()));
    }
    out
}

/// Clauses as ranges of tokens: a sentence ends at . ! ? ; or a line break, and a clause
/// also at "but", "although", "however" and "though", which turn what follows back to fact.
fn clauses(text: &str, tokens: &[Token]) -> Vec<(usize, std::ops::Range<usize>)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let (mut start, mut sentence) = (0, 0);
    for i in 0..tokens.len() {
        let turn = matches!(tokens[i].lower.as_str(), "but" | "although" | "however" | "though");
        if turn && i > start {
            out.push((sentence, start..i));
            start = i;
        }
        let gap_end = tokens.get(i + 1).map_or(chars.len(), |n| n.start);
        let ends = chars[tokens[i].end..gap_end]
            .iter()
            .any(|c| matches!(c, '.' | '!' | '?' | ';' | '\n' | ':'));
        if ends {
            out.push((sentence, start..i + 1));
            start = i + 1;
            sentence += 1;
        }
    }
    if start < tokens.len() {
        out.push((sentence, start..tokens.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TAXONOMY: &str = r#"
[[theme]]
id = "substance_misuse"
label = "Substance misuse"
kind = "risk"

[[theme]]
id = "alcohol"
label = "Alcohol misuse"
parent = "substance_misuse"
kind = "risk"
synonyms = ["problem drinking"]
cues = ["smelled of alcohol", "empty cans", "drunk"]

[[theme]]
id = "domestic_abuse"
label = "Domestic abuse"
kind = "risk"
acronyms = ["DV"]
cues = ["hands round her neck"]

[[theme]]
id = "strength_family_support"
label = "Strength: family support"
kind = "strength"
together = [["daughter", "son"], ["shopping", "visits", "rings"]]

[[theme]]
id = "loneliness"
label = "Loneliness"
kind = "need"
synonyms = ["lonely"]
cues = ["lives alone"]

[[theme]]
id = "neglect"
label = "Neglect"
kind = "risk"
synonyms = ["neglect"]

[[theme]]
id = "self_neglect"
label = "Self-neglect"
kind = "risk"
synonyms = ["self-neglect"]
"#;

    fn ids(text: &str) -> Vec<String> {
        let taxonomy = Taxonomy::from_toml(TAXONOMY).unwrap_or_else(|e| panic!("{e}"));
        let mut ids: Vec<String> =
            Tagger::new(&taxonomy).tag(text).iter().map(|t| t.id.to_string()).collect();
        ids.sort();
        ids
    }

    #[test]
    fn mentions_become_tags_with_their_evidence_and_parents() {
        let taxonomy = Taxonomy::from_toml(TAXONOMY).unwrap_or_else(|e| panic!("{e}"));
        let text = "He put his hands round her neck. Flat smelled of alcohol, empty cans.";
        let tags = Tagger::new(&taxonomy).tag(text);
        let da = tags.iter().find(|t| t.id.as_str() == "domestic_abuse").map(|t| &t.evidence);
        assert_eq!(
            da,
            Some(&vec![Evidence { start: 11, end: 31, text: "hands round her neck".into() }])
        );
        let alcohol = tags.iter().find(|t| t.id.as_str() == "alcohol").map(|t| t.evidence.len());
        assert_eq!(alcohol, Some(2));
        let parent = tags.iter().find(|t| t.id.as_str() == "substance_misuse");
        assert!(parent.is_some_and(|p| p.implied));
    }

    #[test]
    fn denials_plans_and_conditions_are_not_tags() {
        assert!(ids("No concerns about DV.").is_empty());
        assert!(ids("She denies any problem drinking.").is_empty());
        assert!(ids("I'll ask about problem drinking next time.").is_empty());
        assert_eq!(
            ids("I will refer him for his problem drinking."),
            ["alcohol", "substance_misuse"]
        );
        assert_eq!(
            ids("No food in the house for days and the flat was filthy and he was drunk."),
            ["alcohol", "substance_misuse"]
        );
        assert!(ids("If he comes home drunk again we would act.").is_empty());
        assert_eq!(ids("No DV disclosed, but he was drunk."), ["alcohol", "substance_misuse"]);
    }

    #[test]
    fn a_theme_denied_in_a_sentence_is_not_found_in_it() {
        assert!(ids("She lives alone but says she is never lonely.").is_empty());
        assert_eq!(ids("She lives alone. She is not lonely, she says."), ["loneliness"]);
    }

    #[test]
    fn words_together_in_a_clause_show_a_theme() {
        assert_eq!(ids("Her daughter does the shopping."), ["strength_family_support"]);
        assert!(ids("Her daughter lives in Spain. The shopping is delivered.").is_empty());
        assert!(ids("Her son never visits.").is_empty());
    }

    #[test]
    fn endings_do_not_hide_a_cue() {
        assert_eq!(ids("He smells of alcohol."), ["alcohol", "substance_misuse"]);
        assert_eq!(stem("volunteered"), stem("volunteers"));
        assert_eq!(stem("glass"), "glass");
        assert_eq!(stem("was"), "was");
        assert!(ids("Her drunken uncle.").is_empty(), "a single-word cue is matched exactly");
    }

    #[test]
    fn acronyms_need_their_capitals_and_longer_phrases_win() {
        assert!(ids("dv").is_empty());
        assert_eq!(ids("Signs of self-neglect at home."), ["self_neglect"]);
    }
}
