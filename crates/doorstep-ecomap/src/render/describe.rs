//! The ecomap in words, for screen readers and for anyone who cannot see the drawing.
//!
//! It says everything the picture says (every tie's quality and the way support flows, by
//! category in the drawing's order) plus the person's strengths and what matters to them, in
//! plain sentences. The SVG carries it as its `<desc>`.

use std::fmt::Write as _;

use doorstep_core::model::{Ecomap, EcomapTie, MapPoint, SupportFlow};

use super::layout::order;
use super::style::{category_title, quality_word};

/// Describes `map`, the ecomap of `person_name`, one paragraph per line.
pub fn describe(map: &Ecomap, person_name: &str) -> String {
    let name = match person_name.trim() {
        "" => "the person",
        name => name,
    };
    let mut out = String::new();
    let order = order(map);
    let _ = match map.ties.len() {
        0 => write!(out, "Ecomap of {name}: no ties recorded yet."),
        1 => write!(out, "Ecomap of {name}: 1 tie."),
        n => {
            let groups = order
                .windows(2)
                .filter(|w| map.ties[w[0]].category != map.ties[w[1]].category)
                .count()
                + 1;
            let groups =
                if groups == 1 { "1 group".to_owned() } else { format!("{groups} groups") };
            write!(out, "Ecomap of {name}: {n} ties in {groups}.")
        }
    };
    let mut current = None;
    for &i in &order {
        let tie = &map.ties[i];
        if current != Some(&tie.category) {
            if current.is_some() {
                out.push('.');
            }
            let _ = write!(out, "\n{}: ", category_title(&tie.category));
            current = Some(&tie.category);
        } else {
            out.push_str("; ");
        }
        out.push_str(&tie_words(tie, name));
    }
    if current.is_some() {
        out.push('.');
    }
    points(&mut out, "Strengths", &map.strengths);
    points(&mut out, &format!("What matters to {name}"), &map.matters);
    out
}

/// "her daughter Karen (daughter) — strong tie, support flows to Joan".
fn tie_words(tie: &EcomapTie, name: &str) -> String {
    let who = one_line(&tie.who);
    let role = one_line(&tie.role);
    let mut words = match (who.is_empty(), role.is_empty()) {
        (false, false) => format!("{who} ({role})"),
        (false, true) => who,
        (true, false) => role,
        (true, true) => "someone unnamed".to_owned(),
    };
    let support = match &tie.support {
        SupportFlow::ToSubject => format!("support flows to {name}"),
        SupportFlow::FromSubject => format!("support flows from {name}"),
        SupportFlow::Both => "support flows both ways".to_owned(),
        SupportFlow::None => "no support noted".to_owned(),
        SupportFlow::Other(text) => format!("support: {}", text.replace('_', " ")),
    };
    let _ = write!(words, " — {} tie, {support}", quality_word(&tie.quality));
    words
}

fn points(out: &mut String, heading: &str, points: &[MapPoint]) {
    let texts: Vec<String> = points
        .iter()
        .map(|point| one_line(&point.text).trim_end_matches('.').to_owned())
        .filter(|text| !text.is_empty())
        .collect();
    if !texts.is_empty() {
        let _ = write!(out, "\n{heading}: {}.", texts.join("; "));
    }
}

/// Text on one line, its runs of white space (line breaks included) made single spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::samples::{joan, tie};
    use doorstep_core::model::{TieCategory, TieQuality};

    #[test]
    fn says_each_tie_by_category_in_the_drawings_order() {
        let text = describe(&joan(), "Joan");
        let expected = "Ecomap of Joan: 5 ties in 4 groups.\n\
            Family: her daughter Karen (daughter) — strong tie, support flows to Joan; \
            Tom (son) — stressful tie, support flows both ways.\n\
            Pets: Biscuit (dog) — strong tie, support flows from Joan.\n\
            Neighbours: Mrs Okafor next door (neighbour) — tenuous tie, no support noted.\n\
            Health: Dr Patel (GP) — broken tie, no support noted.\n\
            Strengths: Knows her own mind; Still bakes every Sunday.\n\
            What matters to Joan: Staying in her own home.";
        assert_eq!(text, expected);
    }

    #[test]
    fn an_empty_map_and_odd_values_still_read_as_sentences() {
        let mut map = joan();
        map.ties.clear();
        map.strengths.clear();
        map.matters.clear();
        assert_eq!(describe(&map, "  "), "Ecomap of the person: no ties recorded yet.");
        let mut odd = tie(
            "",
            "",
            TieCategory::Other("faith_group".into()),
            TieQuality::Other("complicated".into()),
        );
        odd.support = SupportFlow::Other("in_kind".into());
        map.ties.push(odd);
        assert_eq!(
            describe(&map, "Joan"),
            "Ecomap of Joan: 1 tie.\nFaith group: someone unnamed — complicated tie, support: in kind."
        );
    }
}
