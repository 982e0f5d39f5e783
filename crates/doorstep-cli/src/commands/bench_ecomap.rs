//! `doorstep bench ecomap`: how long reading a note into ties and drawing a map take, against
//! the goals (20 ms a note, 50 ms a drawing). Fonts are loaded once, as the app does.

use std::path::Path;
use std::time::{Duration, Instant};

use doorstep_core::ids::{PersonId, TieId};
use doorstep_core::model::{Ecomap, EcomapTie};
use doorstep_ecomap::eval::LabelledNote;
use doorstep_ecomap::{Extractor, Lexicon, merge, render};
use serde_json::json;

use super::Context;
use super::search::read_labelled;

/// The p50 and p95 of some timings, in milliseconds.
fn percentiles(mut times: Vec<Duration>) -> (f64, f64) {
    times.sort();
    let at = |q: f64| {
        let i = ((times.len() as f64 - 1.0) * q).round() as usize;
        times.get(i).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    (at(0.5), at(0.95))
}

pub fn run(cx: &Context, notes: &Path, rounds: usize) -> anyhow::Result<()> {
    let labelled: Vec<LabelledNote> = read_labelled(notes)?;
    let lexicon = Lexicon::built_in()?;
    let taxonomy = doorstep_themes::Taxonomy::builtin()?;
    let extractor = Extractor::with_strengths(&lexicon, &taxonomy);
    let mut order: Vec<&LabelledNote> = labelled.iter().collect();
    order.sort_by(|a, b| (&a.subject, &a.date).cmp(&(&b.subject, &b.date)));
    let mut suggest_times = Vec::new();
    let mut every_tie: Vec<EcomapTie> = Vec::new();
    for round in 0..rounds.max(1) {
        let mut map = Ecomap::empty(PersonId::new());
        let mut subject = "";
        for note in &order {
            if note.subject != subject {
                subject = &note.subject;
                map = Ecomap::empty(PersonId::new());
            }
            let started = Instant::now();
            let suggestion = extractor.suggest_with(&note.text, Some(subject), Some(&map))?;
            suggest_times.push(started.elapsed());
            merge::fold(&mut map, None, &suggestion, &[]);
            if round == 0 {
                every_tie.extend(map.ties.iter().cloned());
            }
        }
    }
    let mut big = Ecomap::empty(PersonId::new());
    for tie in every_tie {
        if big.ties.len() == 30 {
            break;
        }
        if !big.ties.iter().any(|t| t.who == tie.who) {
            big.ties.push(EcomapTie { id: TieId::new(), ..tie });
        }
    }
    let fonts = render::Fonts::system()?;
    let (mut svg_times, mut png_times) = (Vec::new(), Vec::new());
    for _ in 0..rounds.max(1) {
        let started = Instant::now();
        let svg = render::svg(&big, "Joan Platt");
        svg_times.push(started.elapsed());
        std::hint::black_box(svg);
        let started = Instant::now();
        let png = render::png_with(&big, "Joan Platt", 1.0, &fonts)?;
        png_times.push(started.elapsed());
        std::hint::black_box(png);
    }
    let (suggest_p50, suggest_p95) = percentiles(suggest_times);
    let (svg_p50, svg_p95) = percentiles(svg_times);
    let (png_p50, png_p95) = percentiles(png_times);
    cx.out.json(&json!({
        "notes": labelled.len(),
        "rounds": rounds,
        "suggest_ms": { "p50": suggest_p50, "p95": suggest_p95, "goal": 20.0 },
        "render_nodes": big.ties.len(),
        "render_svg_ms": { "p50": svg_p50, "p95": svg_p95 },
        "render_png_ms": { "p50": png_p50, "p95": png_p95, "goal": 50.0 },
    }))
}
