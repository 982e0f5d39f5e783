//! Drawing a person's ecomap in Hartman's notation: SVG for the app and exports, PNG for print
//! and attachments, and a plain-text description saying the same for screen readers.
//!
//! The person sits in the centre, their ties around them in category sectors; each line's
//! pattern says how the tie is (thick, solid, dashed, zigzag, cut) and arrow heads say which way
//! support flows, so the map reads without colour. Everything is a pure function of the map and
//! the person's name: the same map always gives the same drawing.
//!
//! ```text
//! layout ── positions, sizes, canvas (rings: the angles; measure: text widths)
//!   └─ svg ── the SVG text (strokes: line patterns; legend: the key; style: words and tints)
//!        └─ png ── resvg, with the device's fonts
//! describe ── the same map in words
//! ```

mod describe;
mod layout;
mod legend;
mod measure;
mod png;
mod rings;
#[cfg(test)]
mod samples;
mod strokes;
mod style;
mod svg;

use doorstep_core::model::Ecomap;

use crate::EcomapError;

pub use describe::describe;
pub use layout::{Circle, Layout, PlacedTie, Rect, Sector, TextLine, TextStyle, layout};
pub use png::{Fonts, MAX_SCALE, png_with};
pub use svg::escape;

/// The ecomap of `person_name` as a standalone SVG document.
pub fn svg(map: &Ecomap, person_name: &str) -> String {
    svg::draw(map, person_name, &layout(map, person_name))
}

/// The ecomap as PNG bytes at `scale` times the SVG's size, its text set in the system's fonts.
/// Loads the fonts each time: to draw several, load [`Fonts::system`] once and use
/// [`png_with`].
pub fn png(map: &Ecomap, person_name: &str, scale: f32) -> Result<Vec<u8>, EcomapError> {
    png_with(map, person_name, scale, &Fonts::system()?)
}
