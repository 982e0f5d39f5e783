//! The ecomap as SVG text, from its layout: what the app shows, exports and turns into PNG.
//!
//! Pure string building with every number printed one way and every text escaped, so the same
//! map gives byte-identical SVG (exports can be compared and cached) and no name can break the
//! document. The description for screen readers goes in the SVG's own `<desc>`.

use std::f64::consts::PI;
use std::fmt::Write as _;

use doorstep_core::model::Ecomap;

use super::describe::describe;
use super::layout::{Layout, TextLine, TextStyle};
use super::legend;
use super::strokes::{self, INK, num};
use super::style::{arrow_heads, category_tint, quality_word, stroke};

/// Fonts asked for, in order; DejaVu Sans is what Doorstep's machines install.
pub(crate) const FONT_FAMILY: &str = "DejaVu Sans, Noto Sans, Liberation Sans, Arial, sans-serif";

/// Text made safe inside an XML element or attribute: markup characters as entities, and
/// characters XML 1.0 does not allow at all (most control characters) left out.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || matches!(c, '\u{FFFE}' | '\u{FFFF}') => {}
            c => out.push(c),
        }
    }
    out
}

/// Draws `layout` (made from `map`) as a standalone SVG document.
pub(crate) fn draw(map: &Ecomap, person_name: &str, layout: &Layout) -> String {
    let mut out = String::with_capacity(4096 + layout.ties.len() * 1024);
    let (width, height) = (num(layout.width), num(layout.height));
    let _ = write!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-labelledby="ecomap-title ecomap-desc" font-family="{FONT_FAMILY}"><title id="ecomap-title">{}</title><desc id="ecomap-desc">{}</desc><rect width="{width}" height="{height}" fill="#ffffff"/>"##,
        escape(&layout.title.iter().map(|line| line.text.as_str()).collect::<Vec<_>>().join(" ")),
        escape(&describe(map, person_name)),
    );
    for line in &layout.title {
        text(&mut out, line, "start", line.x - line.width / 2.0, INK);
    }
    sectors(&mut out, layout);
    for placed in &layout.ties {
        let Some(tie) = map.ties.get(placed.tie) else { continue };
        let (fill, outline) = category_tint(&tie.category);
        let c = placed.circle;
        let centre = layout.centre;
        let (dx, dy) = (c.x - centre.x, c.y - centre.y);
        let distance = dx.hypot(dy).max(1.0);
        let u = (dx / distance, dy / distance);
        let from = (centre.x + u.0 * centre.r, centre.y + u.1 * centre.r);
        let to = (c.x - u.0 * c.r, c.y - u.1 * c.r);
        let mut hover = tie.who.trim().to_owned();
        if !tie.role.trim().is_empty() {
            let _ = write!(hover, " ({})", tie.role.trim());
        }
        let _ = write!(hover, ": {} tie", quality_word(&tie.quality));
        let _ = write!(out, "<g><title>{}</title>", escape(&hover));
        strokes::tie_line(&mut out, from, to, stroke(&tie.quality), arrow_heads(&tie.support));
        let _ = write!(
            out,
            r#"<circle cx="{}" cy="{}" r="{}" fill="{fill}" stroke="{outline}" stroke-width="1.6"/>"#,
            num(c.x),
            num(c.y),
            num(c.r)
        );
        for line in &placed.label {
            text(&mut out, line, "middle", line.x, INK);
        }
        out.push_str("</g>");
    }
    let c = layout.centre;
    let _ = write!(
        out,
        r##"<g id="person"><circle cx="{x}" cy="{y}" r="{r}" fill="#ffffff" stroke="{INK}" stroke-width="3"/><circle cx="{x}" cy="{y}" r="{inner}" fill="none" stroke="{INK}" stroke-width="1"/>"##,
        x = num(c.x),
        y = num(c.y),
        r = num(c.r),
        inner = num(c.r - 5.0),
    );
    for line in &layout.centre_label {
        text(&mut out, line, "middle", line.x, INK);
    }
    out.push_str("</g>");
    legend::draw(&mut out, map, layout.legend);
    out.push_str("</svg>\n");
    out
}

/// Each sector's arc, in its category's colour, and its heading.
fn sectors(out: &mut String, layout: &Layout) {
    let centre = layout.centre;
    for sector in &layout.sectors {
        let (_, outline) = category_tint(&sector.category);
        let r = sector.arc_radius;
        let point = |angle: f64| (centre.x + angle.cos() * r, centre.y + angle.sin() * r);
        let (start, end) = (point(sector.start), point(sector.end));
        let large = if sector.end - sector.start > PI { 1 } else { 0 };
        let _ = write!(
            out,
            r#"<path d="M{} {} A{} {} 0 {large} 1 {} {}" fill="none" stroke="{outline}" stroke-width="3" stroke-linecap="round"/>"#,
            num(start.0),
            num(start.1),
            num(r),
            num(r),
            num(end.0),
            num(end.1)
        );
        text(out, &sector.heading, "middle", sector.heading.x, outline);
    }
}

fn text(out: &mut String, line: &TextLine, anchor: &str, x: f64, colour: &str) {
    let weight = match line.style {
        TextStyle::Title | TextStyle::Name | TextStyle::Centre | TextStyle::Heading => {
            r#" font-weight="bold""#
        }
        TextStyle::Role => r#" font-style="italic""#,
    };
    let _ = write!(
        out,
        r#"<text x="{}" y="{}" font-size="{}"{weight} text-anchor="{anchor}" fill="{colour}">{}</text>"#,
        num(x),
        num(line.y),
        num(line.size),
        escape(&line.text)
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::samples;
    use doorstep_core::model::{SupportFlow, TieQuality};

    #[test]
    fn the_same_map_gives_the_same_svg() {
        let map = samples::thirty();
        let first = crate::render::svg(&map, "Joan");
        assert_eq!(first, crate::render::svg(&map, "Joan"));
        let mut shuffled = map;
        shuffled.ties.rotate_left(7);
        assert_eq!(first, crate::render::svg(&shuffled, "Joan"));
    }

    #[test]
    fn names_are_escaped() {
        let mut map = samples::joan();
        map.ties[0].who = r#"<script>alert("x")</script> & 'co'"#.into();
        map.ties[0].role = "\u{1}<b>".into();
        let svg = crate::render::svg(&map, r#"Jo <&"> Smith"#);
        assert!(!svg.contains("<script") && !svg.contains("<b>") && !svg.contains('\u{1}'));
        assert!(svg.contains("Jo &lt;&amp;&quot;&gt; Smith"), "the name is missing");
        assert!(svg.contains("&lt;script&gt;alert(&quot;x&quot;)"));
        assert_eq!(escape("a\u{0}b\u{FFFF}c\td"), "abc\td");
        // resvg's parser is a strict XML parser: it must read the document.
        let tree = resvg::usvg::Tree::from_str(&svg, &resvg::usvg::Options::default());
        assert!(tree.is_ok(), "{:?}", tree.err());
    }

    #[test]
    fn each_quality_has_its_own_pattern_and_support_its_arrow_heads() {
        let mut map = samples::joan();
        map.ties.truncate(1);
        let mut drawn = Vec::new();
        for quality in TieQuality::KNOWN {
            map.ties[0].quality = TieQuality::from(*quality);
            let svg = crate::render::svg(&map, "Joan");
            // The tie's own group: from its hover title to its circle.
            let start = svg.find("<g><title>").unwrap();
            let end = start + svg[start..].find("<circle").unwrap();
            drawn.push(svg[start..end].split("</title>").nth(1).unwrap().to_owned());
        }
        for (i, a) in drawn.iter().enumerate() {
            assert!(!drawn[i + 1..].contains(a), "{} looks like another", TieQuality::KNOWN[i]);
        }
        let mut heads = |support: &str| {
            map.ties[0].support = SupportFlow::from(support);
            let svg = crate::render::svg(&map, "Joan");
            let start = svg.find("<g><title>").unwrap();
            let end = start + svg[start..].find("<circle").unwrap();
            svg[start..end].matches("<polygon").count()
        };
        assert_eq!(
            [heads("none"), heads("to_subject"), heads("from_subject"), heads("both")],
            [0, 1, 1, 2]
        );
    }

    #[test]
    fn the_svg_has_a_title_key_headings_and_a_description() {
        let svg = crate::render::svg(&samples::joan(), "Joan");
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains("<title id=\"ecomap-title\">Ecomap of Joan</title>"));
        assert!(svg.contains("support flows to Joan"), "the description is missing");
        for word in
            ["strong", "tenuous", "stressful", "broken", "flows both ways", "Pets", "Health"]
        {
            assert!(svg.contains(&format!(">{word}<")), "{word} is missing");
        }
    }
}
