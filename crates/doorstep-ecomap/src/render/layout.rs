//! The whole drawing's geometry: the person in the centre, each tie's circle sized to its label
//! and placed in its category's sector, sector headings, the title, the key and the canvas size.
//!
//! Everything the SVG draws is positioned here, so the drawing is a pure function of the map and
//! tests can check the geometry (nothing overlaps) without parsing SVG.

use doorstep_core::model::{Ecomap, EcomapTie, TieCategory};

use super::legend;
use super::measure::{
    self, CENTRE_SIZE, LABEL_WIDTH, LINE_HEIGHT, NAME_LINES, NAME_SIZE, ROLE_SIZE,
};
use super::rings::{self, RingInput};
use super::style::{category_rank, category_title};

/// Space around the drawing, and between the map and the key.
const MARGIN: f64 = 24.0;
const KEY_GAP: f64 = 32.0;
/// The smallest circle for a tie, and the smallest for the person.
const MIN_TIE_R: f64 = 32.0;
const MIN_CENTRE_R: f64 = 46.0;
/// Space between a label and its circle.
const LABEL_PAD: f64 = 5.0;
pub(crate) const TITLE_SIZE: f64 = 20.0;
pub(crate) const HEADING_SIZE: f64 = 12.0;

/// How a line of text is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextStyle {
    Title,
    Heading,
    Name,
    Role,
    Centre,
}

/// One line of text, centred on `x`, with its baseline at `y`.
#[derive(Debug, Clone, PartialEq)]
pub struct TextLine {
    pub text: String,
    pub x: f64,
    pub y: f64,
    pub size: f64,
    pub style: TextStyle,
    /// The estimated width (erring wide).
    pub width: f64,
}

impl TextLine {
    /// The box the line's glyphs stay within: (left, top, right, bottom).
    pub fn bounds(&self) -> (f64, f64, f64, f64) {
        let half = self.width / 2.0;
        (self.x - half, self.y - 0.95 * self.size, self.x + half, self.y + 0.3 * self.size)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Circle {
    pub x: f64,
    pub y: f64,
    pub r: f64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// A tie's place on the map.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedTie {
    /// Index of the tie in the map's `ties`.
    pub tie: usize,
    pub circle: Circle,
    pub label: Vec<TextLine>,
}

/// A category's sector: an arc just outside its circles and a heading beyond it.
#[derive(Debug, Clone, PartialEq)]
pub struct Sector {
    pub category: TieCategory,
    /// Angles in radians, clockwise from three o'clock, as SVG turns.
    pub start: f64,
    pub end: f64,
    pub arc_radius: f64,
    pub heading: TextLine,
}

/// The positioned drawing.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    pub title: Vec<TextLine>,
    pub centre: Circle,
    pub centre_label: Vec<TextLine>,
    /// In drawing order: by sector, then by name within it.
    pub ties: Vec<PlacedTie>,
    pub sectors: Vec<Sector>,
    pub legend: Rect,
}

/// The ties in the order they go round the map: by category, then name, then id.
pub(crate) fn order(map: &Ecomap) -> Vec<usize> {
    let mut order: Vec<usize> = (0..map.ties.len()).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&map.ties[a], &map.ties[b]);
        category_rank(&a.category)
            .cmp(&category_rank(&b.category))
            .then_with(|| a.who.to_lowercase().cmp(&b.who.to_lowercase()))
            .then_with(|| a.who.cmp(&b.who))
            .then_with(|| a.id.to_string().cmp(&b.id.to_string()))
    });
    order
}

/// Whether the role is worth a line under the name: not blank, not already said by the name.
pub(crate) fn role_adds(tie: &EcomapTie) -> bool {
    let role = tie.role.trim();
    !role.is_empty() && !tie.who.to_lowercase().contains(&role.to_lowercase())
}

/// Lays out the map of `person_name`.
pub fn layout(map: &Ecomap, person_name: &str) -> Layout {
    let order = order(map);
    let labels: Vec<Vec<TextLine>> = order.iter().map(|&i| tie_label(&map.ties[i])).collect();
    let radii: Vec<f64> = labels.iter().map(|label| fit_radius(label, MIN_TIE_R)).collect();
    let centre_label = lines(person_name, CENTRE_SIZE, TextStyle::Centre, 3, "the person");
    let centre_r = fit_radius(&centre_label, MIN_CENTRE_R);

    let mut categories: Vec<&TieCategory> = Vec::new();
    let mut sector_of = Vec::with_capacity(order.len());
    for &i in &order {
        let category = &map.ties[i].category;
        if categories.last() != Some(&category) {
            categories.push(category);
        }
        sector_of.push(categories.len() - 1);
    }
    let headings: Vec<TextLine> = categories
        .iter()
        .map(|category| text_line(category_title(category), HEADING_SIZE, TextStyle::Heading))
        .collect();
    let heading_sizes = headings.iter().map(|h| (h.width, HEADING_SIZE * LINE_HEIGHT)).collect();
    let plan = rings::plan(&RingInput {
        centre_r,
        radii: radii.clone(),
        sector_of,
        headings: heading_sizes,
    });

    // Everything around the origin first, then moved into the canvas.
    let mut circles: Vec<Circle> = plan
        .angles
        .iter()
        .zip(&plan.distances)
        .zip(&radii)
        .map(|((angle, distance), r)| Circle {
            x: angle.cos() * distance,
            y: angle.sin() * distance,
            r: *r,
        })
        .collect();
    let mut sectors: Vec<Sector> = categories
        .iter()
        .zip(headings)
        .zip(plan.spans.iter().zip(&plan.headings))
        .map(|((category, mut heading), (&(start, end), &(x, y, _, h)))| {
            heading.x = x;
            heading.y = y - h / 2.0 + baseline_offset(HEADING_SIZE);
            Sector {
                category: (*category).clone(),
                start,
                end,
                arc_radius: plan.arc_radius,
                heading,
            }
        })
        .collect();

    let (mut left, mut top, mut right, mut bottom) =
        (-plan.centre_r, -plan.centre_r, plan.centre_r, plan.centre_r);
    for c in &circles {
        left = left.min(c.x - c.r);
        top = top.min(c.y - c.r);
        right = right.max(c.x + c.r);
        bottom = bottom.max(c.y + c.r);
    }
    if !circles.is_empty() {
        let arc = plan.arc_radius + 2.0;
        (left, top, right, bottom) =
            (left.min(-arc), top.min(-arc), right.max(arc), bottom.max(arc));
    }
    for sector in &sectors {
        let (l, t, r, b) = sector.heading.bounds();
        (left, top, right, bottom) = (left.min(l), top.min(t), right.max(r), bottom.max(b));
    }
    let (map_width, map_height) = (right - left, bottom - top);
    let (legend_width, legend_height) = legend::size(map);

    let title_text = format!("Ecomap of {}", person_name.trim());
    let mut title = lines(&title_text, TITLE_SIZE, TextStyle::Title, 2, "Ecomap");
    let title_block = title.len() as f64 * TITLE_SIZE * LINE_HEIGHT;
    let title_width = title.iter().map(|line| line.width).fold(0.0, f64::max);
    let map_top = MARGIN + title_block + 16.0;
    let (dx, dy) = (MARGIN - left, map_top - top);
    let width =
        (MARGIN + map_width + KEY_GAP + legend_width + MARGIN).max(title_width + 2.0 * MARGIN);
    let height = (map_top + map_height.max(legend_height) + MARGIN).ceil();
    for (k, line) in title.iter_mut().enumerate() {
        line.x = MARGIN + line.width / 2.0;
        line.y = MARGIN + k as f64 * TITLE_SIZE * LINE_HEIGHT + baseline_offset(TITLE_SIZE);
    }

    let centre = Circle { x: dx, y: dy, r: plan.centre_r };
    for c in &mut circles {
        c.x += dx;
        c.y += dy;
    }
    for sector in &mut sectors {
        sector.heading.x += dx;
        sector.heading.y += dy;
    }
    let ties = order
        .iter()
        .zip(labels)
        .zip(circles)
        .map(|((&tie, label), circle)| PlacedTie { tie, label: centred(label, circle), circle })
        .collect();
    Layout {
        width: width.ceil(),
        height,
        title,
        centre_label: centred(centre_label, centre),
        centre,
        ties,
        sectors,
        legend: Rect {
            x: MARGIN + map_width + KEY_GAP,
            y: map_top,
            width: legend_width,
            height: legend_height,
        },
    }
}

/// The name (up to three lines, bold) and, when it adds something, the role (one line, italic).
fn tie_label(tie: &EcomapTie) -> Vec<TextLine> {
    let fallback = if tie.role.trim().is_empty() { "someone" } else { tie.role.trim() };
    let mut label = lines(&tie.who, NAME_SIZE, TextStyle::Name, NAME_LINES, fallback);
    if role_adds(tie) {
        label.extend(lines(&tie.role, ROLE_SIZE, TextStyle::Role, 1, ""));
    }
    label
}

fn lines(
    text: &str,
    size: f64,
    style: TextStyle,
    max_lines: usize,
    fallback: &str,
) -> Vec<TextLine> {
    let bold = matches!(style, TextStyle::Name | TextStyle::Centre | TextStyle::Title);
    let max_width = match style {
        TextStyle::Title => 640.0,
        TextStyle::Centre => LABEL_WIDTH + 40.0,
        _ => LABEL_WIDTH,
    };
    let mut wrapped = measure::wrap(text, size, bold, max_width, max_lines);
    if wrapped.is_empty() && !fallback.is_empty() {
        wrapped = measure::wrap(fallback, size, bold, max_width, max_lines);
    }
    wrapped.into_iter().map(|line| text_line(line, size, style)).collect()
}

fn text_line(text: String, size: f64, style: TextStyle) -> TextLine {
    let width = match style {
        TextStyle::Role => measure::text_width(&text, size),
        _ => measure::bold_width(&text, size),
    };
    TextLine { text, x: 0.0, y: 0.0, size, style, width }
}

/// From the top of a line's box to its baseline, so the glyphs sit in the middle of the box.
fn baseline_offset(size: f64) -> f64 {
    size * (LINE_HEIGHT / 2.0 + 0.36)
}

fn block_height(label: &[TextLine]) -> f64 {
    label.iter().map(|line| line.size * LINE_HEIGHT).sum()
}

/// The smallest circle holding the label's box.
fn fit_radius(label: &[TextLine], min: f64) -> f64 {
    let width = label.iter().map(|line| line.width).fold(0.0, f64::max);
    ((width / 2.0).hypot(block_height(label) / 2.0) + LABEL_PAD).max(min).ceil()
}

/// The label's lines stacked and centred in `circle`.
fn centred(mut label: Vec<TextLine>, circle: Circle) -> Vec<TextLine> {
    let mut top = circle.y - block_height(&label) / 2.0;
    for line in &mut label {
        line.x = circle.x;
        line.y = top + baseline_offset(line.size);
        top += line.size * LINE_HEIGHT;
    }
    label
}

#[cfg(test)]
mod tests;
