//! The key beside the map: what each line pattern and arrow means.
//!
//! A printed ecomap is read by people who never saw the app, so the key is part of the
//! drawing, not of the screen around it. Sized here (the layout makes room) and drawn here.

use std::fmt::Write as _;

use doorstep_core::model::{Ecomap, TieQuality};

use super::layout::Rect;
use super::measure::{self, LINE_HEIGHT};
use super::strokes::{self, INK, num};
use super::style::Stroke;
use super::svg::escape;

const PAD: f64 = 14.0;
const SAMPLE: f64 = 58.0;
const SAMPLE_GAP: f64 = 12.0;
const ROW: f64 = 24.0;
const TEXT_SIZE: f64 = 12.0;
const HEADING_SIZE: f64 = 13.0;

/// A row of the key: a sample line and its arrow heads (at the start, at the end) and its
/// meaning, or, without a sample, a section heading.
type Row = (Option<(Stroke, (bool, bool))>, &'static str);

fn rows(map: &Ecomap) -> Vec<Row> {
    let mut rows = vec![
        (None, "Ties"),
        (Some((Stroke::Thick, (false, false))), "strong"),
        (Some((Stroke::Solid, (false, false))), "moderate"),
        (Some((Stroke::Dashed, (false, false))), "tenuous"),
        (Some((Stroke::Zigzag, (false, false))), "stressful"),
        (Some((Stroke::Cut, (false, false))), "broken"),
    ];
    if map.ties.iter().any(|tie| matches!(tie.quality, TieQuality::Other(_))) {
        rows.push((Some((Stroke::Dotted, (false, false))), "other (see the description)"));
    }
    rows.extend([
        (None, "Support"),
        (Some((Stroke::Solid, (false, true))), "flows towards the arrow"),
        (Some((Stroke::Solid, (true, true))), "flows both ways"),
        (Some((Stroke::Solid, (false, false))), "none noted"),
    ]);
    rows
}

/// Width and height of the key.
pub(crate) fn size(map: &Ecomap) -> (f64, f64) {
    let rows = rows(map);
    let text = rows
        .iter()
        .map(|(sample, text)| match sample {
            Some(_) => SAMPLE + SAMPLE_GAP + measure::text_width(text, TEXT_SIZE),
            None => measure::bold_width(text, HEADING_SIZE),
        })
        .fold(0.0, f64::max);
    let headings = rows.iter().filter(|(sample, _)| sample.is_none()).count() as f64;
    let height = PAD * 2.0 + rows.len() as f64 * ROW + (headings - 1.0).max(0.0) * 6.0;
    ((text + 2.0 * PAD).ceil(), height.ceil())
}

/// Draws the key in `rect`.
pub(crate) fn draw(out: &mut String, map: &Ecomap, rect: Rect) {
    let _ = write!(
        out,
        r##"<g id="key"><rect x="{}" y="{}" width="{}" height="{}" rx="6" fill="#ffffff" stroke="#8a8a8a" stroke-width="1"/>"##,
        num(rect.x),
        num(rect.y),
        num(rect.width),
        num(rect.height)
    );
    let mut y = rect.y + PAD;
    for (k, (sample, text)) in rows(map).into_iter().enumerate() {
        let middle = y + ROW / 2.0;
        match sample {
            None => {
                if k > 0 {
                    y += 6.0;
                }
                let baseline = y + ROW / 2.0 + HEADING_SIZE * (LINE_HEIGHT / 2.0 - 0.2);
                let _ = write!(
                    out,
                    r#"<text x="{}" y="{}" font-size="{HEADING_SIZE}" font-weight="bold" fill="{INK}">{}</text>"#,
                    num(rect.x + PAD),
                    num(baseline),
                    escape(text)
                );
            }
            Some((stroke, heads)) => {
                let x = rect.x + PAD;
                strokes::tie_line(out, (x, middle), (x + SAMPLE, middle), stroke, heads);
                let _ = write!(
                    out,
                    r#"<text x="{}" y="{}" font-size="{TEXT_SIZE}" fill="{INK}">{}</text>"#,
                    num(x + SAMPLE + SAMPLE_GAP),
                    num(middle + TEXT_SIZE * 0.36),
                    escape(text)
                );
            }
        }
        y += ROW;
    }
    out.push_str("</g>");
}
