//! Embeddings as values: the float vector the model gives, and a quarter-size form to store
//! beside each note and scan fast, with an integer dot product the compiler vectorises.
//!
//! An embedding is derived from case text and can be partly inverted back to it, so `Debug`
//! prints neither form's numbers; read them with `as_slice` or `as_bytes` where that is meant.

use std::fmt;

use crate::{DIM, EmbedError};

/// A text's embedding: [`DIM`] floats of unit length (or all zero), so [`Embedding::dot`] of two
/// is their cosine similarity, from -1 (opposite) through 0 (unrelated) to 1 (same meaning).
#[derive(Clone, PartialEq)]
pub struct Embedding(Box<[f32; DIM]>);

impl Embedding {
    pub(crate) fn from_array(values: Box<[f32; DIM]>) -> Self {
        Embedding(values)
    }

    /// The direction of several embeddings together: their mean, scaled to unit length. None for
    /// no embeddings (or ones that cancel out).
    pub fn mean(parts: &[&Embedding]) -> Option<Embedding> {
        let mut sum = [0f32; DIM];
        for part in parts {
            for (s, x) in sum.iter_mut().zip(part.0.iter()) {
                *s += x;
            }
        }
        Self::unit(sum)
    }

    /// A direction made of other vectors, `values` scaled to unit length. None when they have
    /// no length to scale.
    pub fn unit(mut values: [f32; DIM]) -> Option<Embedding> {
        let norm = values.iter().map(|x| x * x).sum::<f32>().sqrt();
        if !norm.is_normal() {
            return None;
        }
        values.iter_mut().for_each(|x| *x /= norm);
        Some(Embedding(Box::new(values)))
    }

    /// The [`DIM`] components.
    pub fn as_slice(&self) -> &[f32] {
        self.0.as_slice()
    }

    /// The dot product, which for two embeddings is their cosine similarity.
    pub fn dot(&self, other: &Embedding) -> f32 {
        // Eight running sums, so the additions need not happen in order and become SIMD lanes.
        let mut sums = [0f32; 8];
        for (a, b) in self.0.chunks_exact(8).zip(other.0.chunks_exact(8)) {
            for ((sum, x), y) in sums.iter_mut().zip(a).zip(b) {
                *sum += x * y;
            }
        }
        sums.iter().sum()
    }

    /// The compact form: each component times [`QuantizedEmbedding::SCALE`], rounded, as one
    /// signed byte. Components of a unit vector are within ±1, so nothing is clipped.
    pub fn to_i8(&self) -> QuantizedEmbedding {
        let mut bytes = [0u8; DIM];
        for (byte, &x) in bytes.iter_mut().zip(self.0.iter()) {
            // `as` saturates (and takes NaN to 0); the clamp keeps -128 out, so the range is
            // symmetric.
            let q = (x * QuantizedEmbedding::SCALE).round().clamp(-127.0, 127.0) as i8;
            *byte = q.cast_unsigned();
        }
        QuantizedEmbedding(Box::new(bytes))
    }
}

impl fmt::Debug for Embedding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Embedding({DIM} floats)")
    }
}

/// An embedding in [`DIM`] bytes: each component a signed byte, the float times
/// [`QuantizedEmbedding::SCALE`]. The bytes are the storage format ([`as_bytes`],
/// [`from_bytes`]); ranking by [`dot_i8`] is ranking by cosine similarity to within about 0.01.
///
/// [`as_bytes`]: QuantizedEmbedding::as_bytes
/// [`from_bytes`]: QuantizedEmbedding::from_bytes
/// [`dot_i8`]: QuantizedEmbedding::dot_i8
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct QuantizedEmbedding(Box<[u8; DIM]>);

impl QuantizedEmbedding {
    /// What a float component is multiplied by before rounding.
    pub const SCALE: f32 = 127.0;

    /// The stored form: [`DIM`] bytes, each an `i8` in two's complement.
    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_slice()
    }

    /// Reads the stored form back; anything but [`DIM`] bytes is an error.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, EmbedError> {
        let array: [u8; DIM] =
            bytes.try_into().map_err(|_| EmbedError::QuantizedLength { len: bytes.len() })?;
        Ok(QuantizedEmbedding(Box::new(array)))
    }

    /// The integer dot product, about `SCALE²` times the cosine similarity (never more than
    /// 127² · [`DIM`] in size, far inside `i32`). For ranking many stored notes against a query.
    pub fn dot_i8(&self, other: &QuantizedEmbedding) -> i32 {
        dot_i8_bytes(self.as_bytes(), other.as_bytes())
    }

    /// The cosine similarity, as [`dot_i8`](QuantizedEmbedding::dot_i8) scaled back.
    pub fn dot(&self, other: &QuantizedEmbedding) -> f32 {
        self.dot_i8(other) as f32 / (Self::SCALE * Self::SCALE)
    }
}

/// [`QuantizedEmbedding::dot_i8`] of two vectors in their stored form, `DIM` bytes each (for
/// an index that keeps many vectors in one block rather than one allocation each). Bytes past
/// the shorter of the two are ignored.
pub fn dot_i8_bytes(a: &[u8], b: &[u8]) -> i32 {
    // Sixteen running sums over sixteen-byte chunks: the compiler turns each chunk into a
    // few SIMD multiply-adds (2× faster than one running sum, measured).
    let mut sums = [0i32; 16];
    for (a, b) in a.chunks_exact(16).zip(b.chunks_exact(16)) {
        for ((sum, &x), &y) in sums.iter_mut().zip(a).zip(b) {
            *sum += i32::from(x.cast_signed()) * i32::from(y.cast_signed());
        }
    }
    sums.iter().sum()
}

impl fmt::Debug for QuantizedEmbedding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "QuantizedEmbedding({DIM} bytes)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(seed: u32) -> Embedding {
        // A deterministic pseudo-random unit vector.
        let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
        let mut v = [0f32; DIM];
        for x in &mut v {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            *x = (state as f32 / u32::MAX as f32) - 0.5;
        }
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.iter_mut().for_each(|x| *x /= norm);
        Embedding::from_array(Box::new(v))
    }

    #[test]
    fn dot_of_unit_vectors_is_cosine() {
        let a = unit(1);
        assert!((a.dot(&a) - 1.0).abs() < 1e-5);
        let naive: f32 = a.as_slice().iter().zip(unit(2).as_slice()).map(|(x, y)| x * y).sum();
        assert!((a.dot(&unit(2)) - naive).abs() < 1e-5);
    }

    #[test]
    fn quantised_dot_is_close_to_the_float_dot() {
        for seed in 0..20 {
            let (a, b) = (unit(seed), unit(seed + 100));
            let (qa, qb) = (a.to_i8(), b.to_i8());
            assert!((qa.dot(&qb) - a.dot(&b)).abs() < 0.02);
            assert!((qa.dot(&qa) - 1.0).abs() < 0.02);
        }
    }

    #[test]
    fn extremes_are_clamped_symmetrically() {
        let mut v = [0f32; DIM];
        v[0] = 1.0;
        v[1] = -1.0;
        v[2] = f32::NAN;
        let q = Embedding::from_array(Box::new(v)).to_i8();
        assert_eq!(&q.as_bytes()[..3], &[127, (-127i8).cast_unsigned(), 0]);
        assert_eq!(q.dot_i8(&q), 2 * 127 * 127);
    }

    #[test]
    fn bytes_round_trip_and_wrong_lengths_fail() {
        let q = unit(7).to_i8();
        assert_eq!(QuantizedEmbedding::from_bytes(q.as_bytes()).unwrap(), q);
        let err = QuantizedEmbedding::from_bytes(&q.as_bytes()[..DIM - 1]).unwrap_err();
        assert!(matches!(err, EmbedError::QuantizedLength { len } if len == DIM - 1));
        assert!(err.to_string().contains("383"), "{err}");
        assert!(QuantizedEmbedding::from_bytes(&[0; DIM + 1]).is_err());
    }

    #[test]
    fn the_mean_is_a_unit_vector_between_its_parts() {
        assert!(Embedding::mean(&[]).is_none());
        let (a, b) = (unit(1), unit(2));
        let mean = Embedding::mean(&[&a, &b]).unwrap();
        assert!((mean.dot(&mean) - 1.0).abs() < 1e-5);
        assert!((mean.dot(&a) - mean.dot(&b)).abs() < 1e-5);
        assert!((Embedding::mean(&[&a]).unwrap().dot(&a) - 1.0).abs() < 1e-5);
        let opposite = Embedding::from_array(Box::new(a.0.map(|x| -x)));
        assert!(Embedding::mean(&[&a, &opposite]).is_none());
    }

    #[test]
    fn debug_hides_the_numbers() {
        assert_eq!(format!("{:?}", unit(3)), "Embedding(384 floats)");
        assert_eq!(format!("{:?}", unit(3).to_i8()), "QuantizedEmbedding(384 bytes)");
    }
}
