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
    sums: HashMap<ThemeId, Vec<f32>>,
}

impl ThemeDirections {
    pub fn new(examples: &ThemeExamples) -> Self {
        let mut sums: HashMap<ThemeId, Vec<f32>> = HashMap::new();
        for (theme, vector) in examples.examples() {
            let sum = sums.entry(theme.clone()).or_insert_with(|| vec![0.0; DIM]);
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
        let mut direction = vec![0.0f32; DIM];
        for sum in themes.iter().filter_map(|t| self.sums.get(t)) {
            direction.iter_mut().zip(sum).for_each(|(d, s)| *d += s);
        }
        blend(query.as_slice(), &direction)
            .and_then(|v| quantized(&v))
            .unwrap_or_else(|| query.to_i8())
    }
}

/// The mean of unit `query` and `direction` scaled to unit length, itself of unit length; None
/// when `direction` is nothing (or cancels the query).
fn blend(query: &[f32], direction: &[f32]) -> Option<Vec<f32>> {
    let norm = length(direction)?;
    let mut blended: Vec<f32> = query.iter().zip(direction).map(|(q, d)| q + d / norm).collect();
    let norm = length(&blended)?;
    blended.iter_mut().for_each(|x| *x /= norm);
    Some(blended)
}

/// The length of `v`, when it is one worth dividing by.
fn length(v: &[f32]) -> Option<f32> {
    Some(v.iter().map(|x| x * x).sum::<f32>().sqrt()).filter(|n| n.is_normal())
}

/// A unit vector in the stored form, rounded as [`Embedding::to_i8`] rounds.
fn quantized(unit: &[f32]) -> Option<QuantizedEmbedding> {
    let bytes: Vec<u8> = unit
        .iter()
        .map(|x| {
            ((x * QuantizedEmbedding::SCALE).round().clamp(-127.0, 127.0) as i8).cast_unsigned()
        })
        .collect();
    QuantizedEmbedding::from_bytes(&bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_blend_is_the_unit_mean_of_the_query_and_the_direction() {
        let blended = blend(&[1.0, 0.0], &[0.0, 5.0]).unwrap_or_default();
        let half = std::f32::consts::FRAC_1_SQRT_2;
        assert!((blended[0] - half).abs() < 1e-6 && (blended[1] - half).abs() < 1e-6);
        assert_eq!(blend(&[1.0, 0.0], &[0.0, 0.0]), None, "no direction leaves the query alone");
        assert_eq!(blend(&[1.0, 0.0], &[-1.0, 0.0]), None);
    }
}
