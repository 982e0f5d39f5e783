//! Hartman's line for one tie, as SVG: its pattern and its arrow heads.
//!
//! The map and its key draw lines with this one function, so the key always shows exactly what
//! the map uses. Every pattern differs in shape (thickness, dashes, zigzag, a cut), never only
//! in colour, so the map reads in black and white and on paper.

use std::fmt::Write as _;

use super::style::Stroke;

/// Lines and arrow heads are near-black, for print.
pub(crate) const INK: &str = "#1f1f1f";
const ZIGZAG_STEP: f64 = 7.0;
const ZIGZAG_AMPLITUDE: f64 = 5.0;
const CUT_GAP: f64 = 16.0;
const CUT_BAR: f64 = 9.0;

/// A number for SVG: one decimal place, the same text for the same value everywhere.
pub(crate) fn num(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    // Never "-0".
    let rounded = if rounded == 0.0 { 0.0 } else { rounded };
    if rounded.fract() == 0.0 { format!("{rounded:.0}") } else { format!("{rounded:.1}") }
}

/// Draws a tie's line from `from` (the person's side) to `to` (the tie's side), with an arrow
/// head at `from` when `heads.0` and at `to` when `heads.1`. Both ends are where the line meets
/// a circle's edge: the tips touch it and nothing is hidden under a circle.
pub(crate) fn tie_line(
    out: &mut String,
    from: (f64, f64),
    to: (f64, f64),
    stroke: Stroke,
    heads: (bool, bool),
) {
    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
    let length = dx.hypot(dy);
    if length < 1.0 {
        return;
    }
    let u = (dx / length, dy / length);
    let (head_length, head_half) = if stroke == Stroke::Thick { (15.0, 8.5) } else { (12.0, 6.0) };
    // The line stops inside the head so its end does not poke past the tip.
    let inset = head_length - 2.0;
    let start = if heads.0 { along(from, u, inset) } else { from };
    let end = if heads.1 { along(to, u, -inset) } else { to };
    let span = (end.0 - start.0) * u.0 + (end.1 - start.1) * u.1;
    match stroke {
        Stroke::Thick => line(out, start, end, "5", None),
        Stroke::Solid => line(out, start, end, "2", None),
        Stroke::Dashed => line(out, start, end, "2.2", Some("10 6")),
        Stroke::Dotted => line(out, start, end, "2.6", Some("0.1 6")),
        Stroke::Zigzag => zigzag(out, start, u, span),
        Stroke::Cut => cut(out, start, end, u, span),
    }
    if heads.0 {
        arrow_head(out, from, (-u.0, -u.1), head_length, head_half);
    }
    if heads.1 {
        arrow_head(out, to, u, head_length, head_half);
    }
}

fn along(point: (f64, f64), u: (f64, f64), distance: f64) -> (f64, f64) {
    (point.0 + u.0 * distance, point.1 + u.1 * distance)
}

fn line(out: &mut String, a: (f64, f64), b: (f64, f64), width: &str, dashes: Option<&str>) {
    let _ = write!(
        out,
        r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{INK}" stroke-width="{width}""#,
        num(a.0),
        num(a.1),
        num(b.0),
        num(b.1)
    );
    if let Some(dashes) = dashes {
        let _ = write!(out, r#" stroke-dasharray="{dashes}" stroke-linecap="round""#);
    }
    out.push_str("/>");
}

/// A straight lead at each end and a zigzag between, whole teeth only.
fn zigzag(out: &mut String, start: (f64, f64), u: (f64, f64), span: f64) {
    let normal = (-u.1, u.0);
    let teeth = ((span - 8.0) / ZIGZAG_STEP).floor().max(0.0) as usize;
    let lead = (span - teeth as f64 * ZIGZAG_STEP) / 2.0;
    let mut points = vec![start, along(start, u, lead)];
    for k in 1..teeth {
        let side = if k % 2 == 1 { ZIGZAG_AMPLITUDE } else { -ZIGZAG_AMPLITUDE };
        let on_line = along(start, u, lead + k as f64 * ZIGZAG_STEP);
        points.push(along(on_line, normal, side));
    }
    points.push(along(start, u, span - lead));
    points.push(along(start, u, span));
    out.push_str(r#"<polyline points=""#);
    for (k, point) in points.iter().enumerate() {
        if k > 0 {
            out.push(' ');
        }
        let _ = write!(out, "{},{}", num(point.0), num(point.1));
    }
    let _ =
        write!(out, r#"" fill="none" stroke="{INK}" stroke-width="2" stroke-linejoin="round"/>"#);
}

/// A solid line with a gap in the middle, each side of the gap closed by a bar across.
fn cut(out: &mut String, start: (f64, f64), end: (f64, f64), u: (f64, f64), span: f64) {
    let normal = (-u.1, u.0);
    let before = along(start, u, (span - CUT_GAP) / 2.0);
    let after = along(start, u, (span + CUT_GAP) / 2.0);
    line(out, start, before, "2", None);
    line(out, after, end, "2", None);
    for bar in [before, after] {
        line(out, along(bar, normal, -CUT_BAR), along(bar, normal, CUT_BAR), "2.4", None);
    }
}

/// A filled triangle with its tip at `tip`, pointing along `direction`.
fn arrow_head(out: &mut String, tip: (f64, f64), direction: (f64, f64), length: f64, half: f64) {
    let base = along(tip, direction, -length);
    let normal = (-direction.1, direction.0);
    let left = along(base, normal, half);
    let right = along(base, normal, -half);
    let _ = write!(
        out,
        r#"<polygon points="{},{} {},{} {},{}" fill="{INK}"/>"#,
        num(tip.0),
        num(tip.1),
        num(left.0),
        num(left.1),
        num(right.0),
        num(right.1)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drawn(stroke: Stroke, heads: (bool, bool)) -> String {
        let mut out = String::new();
        tie_line(&mut out, (0.0, 0.0), (100.0, 0.0), stroke, heads);
        out
    }

    #[test]
    fn numbers_print_the_same_way_every_time() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.345), "12.3");
        assert_eq!(num(-0.01), "0");
    }

    #[test]
    fn every_stroke_draws_something_different() {
        let strokes = [
            Stroke::Thick,
            Stroke::Solid,
            Stroke::Dashed,
            Stroke::Zigzag,
            Stroke::Cut,
            Stroke::Dotted,
        ];
        let drawings: Vec<String> = strokes.iter().map(|s| drawn(*s, (false, false))).collect();
        for (i, a) in drawings.iter().enumerate() {
            assert!(!drawings[i + 1..].contains(a));
        }
        assert!(drawings[3].contains("<polyline"));
        assert_eq!(drawings[4].matches("<line").count(), 4, "two halves and two bars");
    }

    #[test]
    fn arrow_heads_touch_the_ends_they_point_at() {
        assert!(!drawn(Stroke::Solid, (false, false)).contains("<polygon"));
        let at_person = drawn(Stroke::Solid, (true, false));
        assert!(at_person.contains(r#"<polygon points="0,0 "#), "{at_person}");
        let at_tie = drawn(Stroke::Solid, (false, true));
        assert!(at_tie.contains(r#"<polygon points="100,0 "#), "{at_tie}");
        assert_eq!(drawn(Stroke::Zigzag, (true, true)).matches("<polygon").count(), 2);
    }
}
