//! A query that names a theme is searched by meaning toward that theme. A query is a few words
//! ("lonely", "DV", "money worries") and a note says what happened ("she hasn't spoken to anyone
//! since Christmas"): the embedding of a short name sits far from such sentences, and an acronym
//! means little to the model. So the query's vector is blended, half and half, with the
//! direction of the named themes' example sentences (the ones the meaning tagger uses), which
//! are written the way notes are. The query's own words keep half the weight, so "hoarding"
//! still leans to hoarding within self-neglect.

use std::collections::HashMap;

use doorstep_embed::{DIM, Embedding, QuantizedEmbedding};
use doorstep_themes::ThemeId;

use crate::meaning::ThemeExamples;

/// Each theme's examples summed, in floats.
#[derive(Debug, Default)]
pub struct ThemeDirections {
    sums: HashMap<ThemeId, [f32; DIM]>,
}

impl ThemeDirections {
    pub fn new(examples: &ThemeExamples) -> Self {
        let mut sums: HashMap<ThemeId, [f32; DIM]> = HashMap::new();
        for (theme, vector) in examples.examples() {
            let sum = sums.entry(theme.clone()).or_insert([0.0; DIM]);
            for (s, &b) in sum.iter_mut().zip(vector.as_bytes()) {
                *s += f32::from(b.cast_signed()) / QuantizedEmbedding::SCALE;
            }
        }
        Self { sums }
    }

    /// `query` turned toward `themes`: the mean of its unit vector and the unit direction of
    /// the themes' examples together, in the compact form the note vectors are searched in.
    /// The query alone when no theme has examples.
    pub fn toward(&self, query: &Embedding, themes: &[ThemeId]) -> QuantizedEmbedding {
        blend(query, self.direction(themes)).as_ref().unwrap_or(query).to_i8()
    }

    /// The themes' examples summed.
    fn direction(&self, themes: &[ThemeId]) -> [f32; DIM] {
        let mut direction = [0.0f32; DIM];
        for sum in themes.iter().filter_map(|t| self.sums.get(t)) {
            direction.iter_mut().zip(sum).for_each(|(d, s)| *d += s);
        }
        direction
    }
}

/// The mean of unit `query` and `direction` scaled to unit length, itself of unit length; None
/// when `direction` is nothing (or cancels the query).
fn blend(query: &Embedding, direction: [f32; DIM]) -> Option<Embedding> {
    Embedding::mean(&[query, &Embedding::unit(direction)?])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A vector of [`DIM`] components, `x` and `y` first and the rest nothing.
    fn plane(x: f32, y: f32) -> [f32; DIM] {
        let mut v = [0.0; DIM];
        (v[0], v[1]) = (x, y);
        v
    }

    #[test]
    fn the_blend_is_the_unit_mean_of_the_query_and_the_direction() {
        let Some(query) = Embedding::unit(plane(1.0, 0.0)) else { panic!("a unit query") };
        let blended = blend(&query, plane(0.0, 5.0)).map(|b| b.as_slice().to_vec());
        let blended = blended.unwrap_or_default();
        let half = std::f32::consts::FRAC_1_SQRT_2;
        assert!((blended[0] - half).abs() < 1e-6 && (blended[1] - half).abs() < 1e-6);
        assert_eq!(blend(&query, plane(0.0, 0.0)), None, "no direction leaves the query alone");
        assert_eq!(blend(&query, plane(-1.0, 0.0)), None);
    }
}
