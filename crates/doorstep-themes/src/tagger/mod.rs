//! The tagger: finds the taxonomy's words in a note, sentence by sentence, and keeps only the
//! mentions that say the theme is there. A mention under a negation ("no concerns about drugs",
//! "denies any DV") or in a hypothetical or a plan ("if she misses school again", "I'll ask
//! about alcohol next time") is not a tag. Every tag carries the spans that justify it.
//!
//! `text` splits the note into words, sentences, clauses and scopes; `matching` finds the
//! taxonomy's words; `scope` judges each mention (denied, a condition, over), with `after` for
//! verdicts that follow it and `strength` for support only offered; `spoken` finds what a
//! speaker took back; this module weighs the mentions of the whole note and builds the tags.

mod after;
mod matching;
mod scope;
mod spoken;
mod strength;
pub mod text;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::Serialize;

use std::ops::Range;

use matching::{Hit, Matcher, Strength};
use scope::{Around, Reading, ThemeNature, read, read_statement};
use text::{Place, TITLES, Token, places, tokens};

use crate::taxonomy::{Kind, Taxonomy, ThemeId};

/// Pronouns that make what follows them a statement with its doer, not a bare topic.
const DOERS: &[&str] =
    &["he", "she", "they", "i", "we", "he'd", "she'd", "they'd", "he's", "she's", "they've"];

/// Words that may open a heading before the theme it names ("Past cannabis:").
const HEADING_WORDS: &[&str] = &["past", "previous", "history", "hx", "current", "any", "re"];

/// Words that, hitting someone hard, are a blow rather than a blow struck: "that's hitting
/// him hard", "it hit her hard", "the news hit them hard".
const BLOWS: &[&str] = &["it", "that", "this", "which", "news", "death", "loss"];

/// Whether a mention of hitting is the idiom for taking something badly.
fn hits_hard(tokens: &[Token], hit: &Hit) -> bool {
    let word = |at: usize| tokens.get(at).map(|t| t.bare());
    word(hit.from).is_some_and(|w| w.starts_with("hit"))
        && word(hit.to) == Some("hard")
        && hit.from.checked_sub(1).and_then(word).is_some_and(|w| BLOWS.contains(&w))
}

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

/// A statement of a note that a sentence-embedding model finds close to a theme's examples: a
/// mention in meaning rather than words ("he put his hands round her throat"). The tagger
/// judges it as it judges words: denied, conditional or past statements are not tags.
#[derive(Debug, Clone, PartialEq)]
pub struct MeaningMatch {
    pub theme: ThemeId,
    /// Character offsets of the statement in the note.
    pub start: usize,
    pub end: usize,
    /// Cosine similarity to the nearest example, 0 to 1.
    pub similarity: f32,
}

/// Finds themes in notes with one taxonomy's words.
#[derive(Debug)]
pub struct Tagger<'t> {
    taxonomy: &'t Taxonomy,
    matcher: Matcher,
    natures: Vec<ThemeNature>,
    /// Each theme's `unless` words, lower case.
    unless: Vec<Vec<String>>,
    /// Every theme's `unless` words together, for finding the people they name.
    relation_words: HashSet<String>,
}

/// A mention and how its words judge it.
struct Judged {
    hit: Hit,
    sentence: usize,
    /// Where the mention's clause starts.
    clause: usize,
    reading: Reading,
}

impl<'t> Tagger<'t> {
    pub fn new(taxonomy: &'t Taxonomy) -> Self {
        let natures = taxonomy
            .themes()
            .iter()
            .map(|t| ThemeNature { strength: t.kind == Kind::Strength, lasting: t.lasting })
            .collect();
        let unless: Vec<Vec<String>> = taxonomy
            .themes()
            .iter()
            .map(|t| t.unless.iter().map(|w| w.to_lowercase()).collect())
            .collect();
        let relation_words = unless.iter().flatten().cloned().collect();
        Self { taxonomy, matcher: Matcher::new(taxonomy), natures, unless, relation_words }
    }

    /// Every mention in the note, judged by the words around it; `retracted` marks the words a
    /// speaker took back.
    fn judged(&self, tokens: &[Token], places: &[Place], retracted: &[bool]) -> Vec<Judged> {
        let items = self.matcher.note_items(tokens, places);
        let relations = self.relations(tokens, places);
        let mut clauses: Vec<Range<usize>> = places.iter().map(|p| p.clause.clone()).collect();
        clauses.dedup();
        let mut out = Vec::new();
        for clause in clauses {
            let hits = self.matcher.hits(tokens, clause.clone(), &items);
            let clause_from = out.len();
            // Words inside a phrase of the taxonomy: "can't" in "can't manage the stairs".
            let mut quoted = vec![false; tokens.len()];
            for h in hits.iter().filter(|h| h.last == h.from) {
                quoted[h.from..h.to].iter_mut().for_each(|q| *q = true);
            }
            for hit in hits {
                let (first, last) = (&places[hit.from], &places[hit.last]);
                // The words of the first item's scope up to the last item: "her son never visits".
                let scope_start = first.scope.start.min(last.scope.start);
                let sentence = tokens_of_sentence(places, first.sentence);
                let before = &tokens[scope_start..hit.last];
                let mut own = quoted[scope_start..hit.last].to_vec();
                own[hit.from - scope_start..].iter_mut().for_each(|q| *q = false);
                let around = Around {
                    before,
                    opening: hit.from - scope_start,
                    quoted: &own,
                    mention: &tokens[hit.from..hit.to],
                    after: &tokens[hit.to.min(last.scope.end)..last.scope.end],
                    clause_after: &tokens[hit.to.min(clause.end)..clause.end],
                    clause: &tokens[clause.clone()],
                    sentence_after: &tokens[hit.to.min(sentence.end)..sentence.end],
                    sentence: &tokens[sentence],
                };
                let unless = &self.unless[hit.theme];
                // A topic counts only as judged well after it: "money's fine", "mood is good",
                // "money is not an issue"; "no money" is no clearance.
                let mut reading = if hit.how != Strength::Topic {
                    read(&around, self.natures[hit.theme])
                } else if after::topic_well(around.after)
                    || after::verdict(around.after, around.clause_after).is_some()
                {
                    Reading::Denied { conclusion: false }
                } else {
                    Reading::Aside
                };
                // A heading or a question answered "none" / "no" in the next sentence.
                let whole = tokens_of_sentence(places, first.sentence);
                let next = match places.get(whole.end) {
                    Some(place) => &tokens[tokens_of_sentence(places, place.sentence)],
                    None => &[],
                };
                let tail = &tokens[hit.to.min(whole.end)..whole.end];
                let strength = self.natures[hit.theme].strength;
                // A topic opening its statement and answered after a comma: "Self-harm, he says
                // not", "vodka at weekends, but drugs, never".
                let answer = (hit.to < whole.end && places[hit.to].scope.start == hit.to)
                    .then(|| &tokens[places[hit.to].scope.clone()]);
                let opening = hit.from - places[hit.from].scope.start;
                // A topic has no doer before it: "she'd cut her arm, no, her thighs" corrects
                // itself rather than answering.
                let done = tokens[places[hit.from].scope.start..hit.from]
                    .iter()
                    .any(|t| DOERS.contains(&t.lower.as_str()));
                // A screen's acronym with a low score straight after it: "AUDIT-C 2", "PHQ-9 3,".
                let screen = scope::is_screen(&tokens[hit.from..hit.to]);
                let score = (hit.to < whole.end).then(|| &tokens[hit.to..places[hit.to].scope.end]);
                // "Lonely? There's no such thing here.": a short question the next sentence
                // answers with a denial.
                let question = places[whole.end - 1].question && !next.is_empty();
                if after::answered_no(
                    hit.from - whole.start,
                    whole.end - hit.to,
                    places[hit.to - 1].colon,
                    question,
                    next,
                ) || (!strength && after::cleared_at_end(tail))
                    || (opening <= 2 && !done && answer.is_some_and(after::short_answer_no))
                    || (!strength
                        && screen
                        && score.is_some_and(|after| {
                            scope::scored_normal(&tokens[hit.from..hit.to], after)
                        }))
                {
                    reading = Reading::Denied { conclusion: false };
                }
                // What a dash adds may put the mention behind: "Self-harm at 15 in a children's
                // home - nothing since and nothing now".
                let added = &next[..next.len().min(after::PUT_BEHIND_REACH)];
                if !strength
                    && reading == Reading::Fact
                    && places[whole.end - 1].dash
                    && (scope::over_since(added) || scope::has_seq(added, after::PUT_BEHIND))
                {
                    reading = Reading::Aside;
                }
                // A heading names what the lines after it are about: "Mobility: walks well",
                // "Past cannabis: stopped when Lenny came".
                if !strength
                    && tokens[whole.start..hit.from]
                        .iter()
                        .all(|t| HEADING_WORDS.contains(&t.lower.as_str()))
                    && hit.to == whole.end
                    && places[hit.to - 1].colon
                {
                    reading = Reading::Aside;
                }
                // Someone else's: "her husband works nights" is not her work; but "his uncle
                // takes him to football" is his football.
                let owner = apposed(tokens, places, scope_start);
                let related = |t: &Token| {
                    let word = relations.get(t.text.as_str()).map_or(t.bare(), String::as_str);
                    unless.iter().any(|u| u == word)
                };
                let own = &before[..hit.from - scope_start];
                let taken = own.iter().rposition(related).is_some_and(|at| {
                    (at + 1..own.len()).any(|i| {
                        OBJECTS.contains(&own[i].lower.as_str())
                            && own.get(i + 1).is_none_or(|next| next.lower == "to")
                    })
                });
                if own.iter().chain(owner).any(related) && !taken {
                    reading = Reading::Aside;
                }
                if retracted[hit.from] || hits_hard(tokens, &hit) {
                    reading = Reading::Aside;
                }
                out.push(Judged { hit, sentence: first.sentence, clause: clause.start, reading });
            }
            // A mention inside a longer one of its theme is read as the longer one is: "Suicidal"
            // in "Suicidal thoughts: none", "capacity" in "her capacity to decide is not in doubt".
            let judged = &mut out[clause_from..];
            let spans: Vec<(usize, Range<usize>, Reading)> =
                judged.iter().map(|j| (j.hit.theme, j.hit.from..j.hit.to, j.reading)).collect();
            for j in judged.iter_mut() {
                if let Some((_, _, reading)) = spans
                    .iter()
                    .filter(|(theme, span, _)| {
                        *theme == j.hit.theme
                            && span.start <= j.hit.from
                            && j.hit.to <= span.end
                            && span.len() > j.hit.to - j.hit.from
                    })
                    .max_by_key(|(_, span, _)| span.len())
                {
                    j.reading = *reading;
                }
            }
        }
        out
    }

    /// The people the note names after an `unless` word, with that word: "her daughter Linda"
    /// makes "Linda" the daughter, so "Linda works nights" is someone else's work too.
    fn relations<'a>(&self, tokens: &'a [Token], places: &[Place]) -> HashMap<&'a str, String> {
        let mut found = HashMap::new();
        for (i, t) in tokens.iter().enumerate() {
            if !self.relation_words.contains(t.bare()) {
                continue;
            }
            let mut at = i + 1;
            if tokens.get(at).is_some_and(|n| TITLES.contains(&n.text.as_str())) {
                at += 1;
            }
            if let Some(name) = tokens.get(at)
                && places[at].sentence == places[i].sentence
                && matching::is_name(&name.text)
            {
                found.entry(name.text.as_str()).or_insert_with(|| t.bare().to_owned());
            }
        }
        found
    }

    /// Every mention of a theme in `text` with how its words judge it ("fact", "denied",
    /// "aside"), before the note is weighed as a whole: why a theme was or was not tagged.
    pub fn mentions(&self, text: &str) -> Vec<(ThemeId, Evidence, &'static str)> {
        let tokens = tokens(text);
        let places = places(text, &tokens);
        let chars: Vec<char> = text.chars().collect();
        self.judged(&tokens, &places, &spoken::retracted(&tokens, &places))
            .into_iter()
            .map(|j| {
                let (start, end) = (tokens[j.hit.from].start, tokens[j.hit.to - 1].end);
                let text = chars[start..end].iter().collect();
                let reading = match j.reading {
                    Reading::Fact => "fact",
                    Reading::Denied { .. } => "denied",
                    Reading::Aside => "aside",
                };
                (
                    self.taxonomy.themes()[j.hit.theme].id.clone(),
                    Evidence { start, end, text },
                    reading,
                )
            })
            .collect()
    }

    /// The themes `text` shows, most confident first.
    pub fn tag(&self, text: &str) -> Vec<Tag> {
        self.tag_with_meaning(text, &[])
    }

    /// The themes `text` shows by its words and, through `meaning`, by statements a model
    /// matched to the themes' examples.
    pub fn tag_with_meaning(&self, text: &str, meaning: &[MeaningMatch]) -> Vec<Tag> {
        let tokens = tokens(text);
        let places = places(text, &tokens);
        let retracted = spoken::retracted(&tokens, &places);
        let judged = self.judged(&tokens, &places, &retracted);
        // A theme denied by its name in a sentence is not found in it ("lives alone but is never
        // lonely"), while one cue denied leaves the others ("not drunk today, though there
        // were empty cans");
        // one the practitioner concludes against ("no concerns about her drinking") is not
        // found in the note; one denied by its own name anywhere ("she is not lonely") is not
        // shown by a cue elsewhere ("lives alone").
        // A topic judged well or denied ("money's fine, DLA and carer's allowance are in") clears
        // the theme in its clause.
        let mut denied_in = BTreeSet::new();
        let mut cleared_in = BTreeSet::new();
        let mut concluded = BTreeSet::new();
        let mut denied = BTreeSet::new();
        for j in &judged {
            if let Reading::Denied { conclusion } = j.reading {
                if j.hit.how == Strength::Topic {
                    cleared_in.insert((j.hit.theme, j.clause));
                }
                if j.hit.how == Strength::Named {
                    denied_in.insert((j.hit.theme, j.sentence));
                    denied.insert(j.hit.theme);
                }
                if conclusion {
                    concluded.insert(j.hit.theme);
                }
            }
        }
        let facts: Vec<&Judged> = judged
            .iter()
            .filter(|j| j.reading == Reading::Fact)
            .filter(|j| !denied_in.contains(&(j.hit.theme, j.sentence)))
            .filter(|j| !cleared_in.contains(&(j.hit.theme, j.clause)))
            .filter(|j| !concluded.contains(&j.hit.theme))
            .collect();
        let named: BTreeSet<usize> =
            facts.iter().filter(|j| j.hit.how == Strength::Named).map(|j| j.hit.theme).collect();
        // Two or more signs of a theme outweigh its name denied elsewhere: "he's not on
        // probation" does not undo "on bail for a robbery".
        let mut signs: HashMap<usize, BTreeSet<usize>> = HashMap::new();
        for j in &facts {
            signs.entry(j.hit.theme).or_default().insert(j.hit.from);
        }
        let mut found: Vec<Hit> = facts
            .into_iter()
            .filter(|j| {
                !denied.contains(&j.hit.theme)
                    || named.contains(&j.hit.theme)
                    || signs[&j.hit.theme].len() >= 2
            })
            .map(|j| j.hit)
            .collect();
        for m in meaning {
            let Some(theme) = self.taxonomy.themes().iter().position(|t| t.id == m.theme) else {
                continue;
            };
            let from = tokens.partition_point(|t| t.start < m.start);
            let to = tokens.partition_point(|t| t.end <= m.end);
            if from >= to || retracted[from] {
                continue;
            }
            let sentence = places[from].sentence;
            if denied_in.contains(&(theme, sentence))
                || concluded.contains(&theme)
                || (denied.contains(&theme) && !named.contains(&theme))
            {
                continue;
            }
            let whole = &tokens[tokens_of_sentence(&places, sentence)];
            if read_statement(&tokens[from..to], whole, self.natures[theme]) == Reading::Fact {
                found.push(Hit { theme, from, to, how: Strength::Meaning, last: from });
            }
        }
        self.tags(text, &tokens, &found)
    }

    fn tags(&self, text: &str, tokens: &[Token], found: &[Hit]) -> Vec<Tag> {
        let chars: Vec<char> = text.chars().collect();
        let mut by_theme: BTreeMap<usize, Vec<(usize, usize, Strength)>> = BTreeMap::new();
        for hit in found {
            let spans = by_theme.entry(hit.theme).or_default();
            if !spans.iter().any(|&(f, t, _)| f < hit.to && hit.from < t) {
                spans.push((hit.from, hit.to, hit.how));
            }
        }
        let themes = self.taxonomy.themes();
        let mut tags: BTreeMap<ThemeId, Tag> = BTreeMap::new();
        for (theme, spans) in by_theme {
            let named = spans.iter().filter(|s| s.2 == Strength::Named).count();
            let worded = spans.iter().filter(|s| s.2 != Strength::Meaning).count();
            // Words outweigh meaning: a tag found only by the model is the least sure.
            let base = if worded == 0 { 0.4 } else { 0.55 };
            let confidence =
                (base + 0.3 * named.min(1) as f32 + 0.1 * (spans.len() - 1).min(2) as f32)
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

/// Pronouns that make the person the object of someone else's doing, before "to" or the
/// mention: "takes him to football", "takes her fishing".
const OBJECTS: &[&str] = &["him", "her", "them"];

/// The words naming whom a statement is about when they stand before it, apart: "Kai's dad" in
/// "Kai's dad, Marcus, works nights", and "her daughter" in "her daughter, who keeps on top of
/// the bills". Empty when there are none.
fn apposed<'a>(tokens: &'a [Token], places: &[Place], scope_start: usize) -> &'a [Token] {
    let Some(name) = scope_start.checked_sub(1).map(|i| places[i].scope.clone()) else {
        return &[];
    };
    let names = &tokens[name.clone()];
    let sentence = places[scope_start].sentence;
    if matches!(tokens[scope_start].lower.as_str(), "who" | "whose")
        && places[name.start].sentence == sentence
    {
        return &names[names.len().saturating_sub(3)..];
    }
    if names.is_empty() || names.len() > 2 || !names.iter().all(|t| matching::is_name(&t.text)) {
        return &[];
    }
    match name.start.checked_sub(1).map(|i| &places[i]) {
        Some(owner) if owner.sentence == sentence => &tokens[owner.scope.clone()],
        _ => &[],
    }
}

/// The token range of sentence `n`.
fn tokens_of_sentence(places: &[Place], n: usize) -> Range<usize> {
    let from = places.partition_point(|p| p.sentence < n);
    let to = places.partition_point(|p| p.sentence <= n);
    from..to
}

#[cfg(test)]
mod tests;
