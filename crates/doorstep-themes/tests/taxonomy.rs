//! The built-in taxonomy against the evaluation corpus's list of themes: the corpus's ids are
//! the product's ids.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use doorstep_themes::{Kind, Taxonomy};

fn themes_tsv() -> String {
    let shared = std::env::var_os("DOORSTEP_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    std::fs::read_to_string(shared.join("eval/themes.tsv")).unwrap()
}

#[test]
fn every_corpus_theme_is_built_in_with_its_label_parent_and_kind() {
    let taxonomy = Taxonomy::builtin().unwrap_or_else(|e| panic!("{e}"));
    let tsv = themes_tsv();
    let mut ids = Vec::new();
    for line in tsv.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (id, label, parent, kind) = (cols[0], cols[1], cols[2], cols[3]);
        let theme = taxonomy.by_id(id).unwrap_or_else(|| panic!("{id} is not built in"));
        assert_eq!(theme.label, label, "{id}");
        assert_eq!(theme.parent.as_ref().map(ToString::to_string).unwrap_or_default(), parent);
        let kind_name = match theme.kind {
            Kind::Risk => "risk",
            Kind::Need => "need",
            Kind::Strength => "strength",
        };
        assert_eq!(kind_name, kind, "{id}");
        assert!(!theme.synonyms.is_empty() && !theme.cues.is_empty(), "{id} has no words");
        ids.push(id);
    }
    assert_eq!(taxonomy.themes().len(), ids.len(), "only the corpus's themes are built in");
}

#[test]
fn practitioners_words_name_built_in_themes() {
    let taxonomy = Taxonomy::builtin().unwrap();
    for (words, id) in [
        ("DV", "domestic_abuse"),
        ("domestic violence", "domestic_abuse"),
        ("EHCP", "send_disability"),
        ("CSE", "exploitation"),
        ("DoLS", "mental_capacity"),
    ] {
        let named: Vec<String> = taxonomy.named(words).iter().map(|t| t.id.to_string()).collect();
        assert!(named.contains(&id.to_owned()), "{words:?} gave {named:?}");
    }
}

#[test]
fn every_built_in_theme_has_examples_stating_it_as_present() {
    const NEGATIONS: [&str; 6] = ["no", "not", "never", "denies", "denied", "without"];
    let taxonomy = Taxonomy::builtin().unwrap();
    let mut seen = std::collections::HashMap::new();
    for theme in taxonomy.themes() {
        let id = &theme.id;
        assert!(theme.examples.len() >= 8, "{id} has {} examples", theme.examples.len());
        for example in &theme.examples {
            let negation = example
                .split(|c: char| !c.is_alphabetic())
                .find(|w| NEGATIONS.iter().any(|n| w.eq_ignore_ascii_case(n)));
            assert_eq!(negation, None, "{id}: {example:?} is negated");
            if let Some(other) = seen.insert(example.to_lowercase(), id) {
                panic!("{example:?} is an example of both {other} and {id}");
            }
        }
    }
}

/// Whether the built-in taxonomy tags `text` with `theme`.
fn tagged(text: &str, theme: &str) -> bool {
    let taxonomy = Taxonomy::builtin().unwrap();
    doorstep_themes::Tagger::new(&taxonomy).tag(text).iter().any(|t| t.id.as_str() == theme)
}

#[test]
fn a_benefit_paid_is_income_and_a_benefit_claimed_or_cut_is_a_money_need() {
    let poverty = |text: &str| tagged(text, "poverty_finances");
    assert!(!poverty("His PIP goes into his own account and the statements are in order."));
    assert!(!poverty(
        "Money: pension credit and attendance allowance in payment, Tariq is appointee."
    ));
    assert!(poverty("We started the PIP form and her sister is helping with the UC claim."));
    assert!(poverty("His Universal Credit was sanctioned in March."));
    assert!(poverty("I helped her apply for attendance allowance."));
}

#[test]
fn a_colour_or_a_mood_is_not_a_personal_strength() {
    let personal = |text: &str| tagged(text, "strength_personal");
    assert!(!personal("He said he's not bothered but he went bright red."));
    assert!(!personal("Mood bright, PHQ-9 2."));
    assert!(personal("She is bright and funny."));
}

#[test]
fn where_a_dying_person_wants_to_be_and_anothers_overdose_are_no_self_harm() {
    let self_harm = |text: &str| tagged(text, "self_harm_suicide");
    assert!(!self_harm("He has said more than once that he wants to die at home."));
    assert!(!self_harm("June is the anniversary of her mum's overdose death."));
    assert!(self_harm("She took an overdose last night."));
    assert!(tagged(
        "Detox assessment with the community addictions team (agreed).",
        "strength_engagement"
    ));
}
