//! From the model's one vector per token to one vector per text, as sentence-transformers does
//! for all-MiniLM-L6-v2: the mean of the vectors of the real tokens (padding excluded by the
//! attention mask), then scaled to unit length, so a dot product is a cosine similarity.

use crate::{DIM, Embedding};

/// Pools `hidden`, the model's output for a batch laid out as `[text][token][DIM]`, with `mask`
/// laid out as `[text][token]` (1 for a real token, 0 for padding). `seq_len` is the number of
/// tokens per text, padding included.
pub(crate) fn mean_pool(hidden: &[f32], mask: &[u32], seq_len: usize) -> Vec<Embedding> {
    if seq_len == 0 {
        return Vec::new();
    }
    hidden
        .chunks_exact(seq_len * DIM)
        .zip(mask.chunks_exact(seq_len))
        .map(|(tokens, mask)| {
            let mut sum = [0f32; DIM];
            let mut count = 0f32;
            for (token, &real) in tokens.chunks_exact(DIM).zip(mask) {
                if real == 0 {
                    continue;
                }
                count += 1.0;
                for (total, &x) in sum.iter_mut().zip(token) {
                    *total += x;
                }
            }
            // sentence-transformers clamps the count to 1e-9 (no token: a zero vector, not NaN).
            let count = count.max(1e-9);
            for total in &mut sum {
                *total /= count;
            }
            normalise(&mut sum);
            Embedding::from_array(Box::new(sum))
        })
        .collect()
}

/// Scales `v` to unit length; torch's `normalize` divides by at least 1e-12, as here, so a zero
/// vector stays zero.
fn normalise(v: &mut [f32; DIM]) {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
    for x in v {
        *x /= norm;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(value: f32, at: usize) -> Vec<f32> {
        let mut t = vec![0.0; DIM];
        t[at] = value;
        t
    }

    #[test]
    fn padding_is_left_out_of_the_mean() {
        // Two texts of three token slots: the first has two real tokens, the second one.
        let hidden = [
            token(3.0, 0),
            token(4.0, 1),
            token(100.0, 2),
            token(-2.0, 5),
            token(100.0, 6),
            token(100.0, 7),
        ]
        .concat();
        let pooled = mean_pool(&hidden, &[1, 1, 0, 1, 0, 0], 3);
        assert_eq!(pooled.len(), 2);
        let first = pooled[0].as_slice();
        assert!((first[0] - 0.6).abs() < 1e-6 && (first[1] - 0.8).abs() < 1e-6);
        assert_eq!(first[2], 0.0);
        let second = pooled[1].as_slice();
        assert!((second[5] + 1.0).abs() < 1e-6);
        assert_eq!(second[6], 0.0);
    }

    #[test]
    fn a_zero_vector_stays_zero() {
        let pooled = mean_pool(&vec![0.0; DIM], &[1], 1);
        assert!(pooled[0].as_slice().iter().all(|&x| x == 0.0));
        let pooled = mean_pool(&vec![1.0; DIM], &[0], 1);
        assert!(pooled[0].as_slice().iter().all(|&x| x == 0.0));
    }

    #[test]
    fn no_tokens_no_vectors() {
        assert!(mean_pool(&[], &[], 0).is_empty());
    }
}
