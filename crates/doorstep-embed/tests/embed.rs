//! The embedder on the real all-MiniLM-L6-v2, from `DOORSTEP_EMBED_MODEL_DIR` (set by
//! `scripts/models.sh`, which the test script runs). Without the variable these tests print why
//! and pass; with it, a missing or broken model fails them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::sync::OnceLock;

use doorstep_embed::{DIM, Embedder, Embedding};

fn embedder() -> Option<&'static Embedder> {
    static EMBEDDER: OnceLock<Embedder> = OnceLock::new();
    let Some(dir) = std::env::var_os("DOORSTEP_EMBED_MODEL_DIR") else {
        println!("skipped: DOORSTEP_EMBED_MODEL_DIR is not set (scripts/models.sh sets it)");
        return None;
    };
    Some(EMBEDDER.get_or_init(|| {
        let dir = PathBuf::from(dir);
        Embedder::load(&dir).unwrap_or_else(|err| {
            panic!("DOORSTEP_EMBED_MODEL_DIR is {}, but: {err} ({err:?})", dir.display())
        })
    }))
}

fn assert_unit(e: &Embedding) {
    assert_eq!(e.as_slice().len(), DIM);
    let norm = e.as_slice().iter().map(|x| x * x).sum::<f32>().sqrt();
    assert!((norm - 1.0).abs() < 1e-5, "norm {norm}");
}

#[test]
fn the_embedder_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Embedder>();
}

#[test]
fn embeddings_are_unit_vectors_of_dim() {
    let Some(embedder) = embedder() else { return };
    assert_eq!(embedder.max_tokens(), 256);
    for text in ["domestic abuse", "", "   ", "Mum is coping well 😊 with the twins."] {
        assert_unit(&embedder.embed(text).unwrap());
    }
}

#[test]
fn a_close_pair_scores_higher_than_an_unrelated_one() {
    let Some(embedder) = embedder() else { return };
    let hands = embedder.embed("he put his hands round her neck").unwrap();
    let strangled = embedder.embed("her partner strangled her").unwrap();
    let boiler = embedder.embed("the boiler needs repairing").unwrap();
    let close = hands.dot(&strangled);
    let unrelated = hands.dot(&boiler);
    assert!(close > unrelated + 0.2, "close {close}, unrelated {unrelated}");
}

// Reference values from sentence-transformers 6.3.0 (torch 2.15.0 on the CPU, float32) loading
// the same folder: `SentenceTransformer(dir, device="cpu").encode(TEXTS)`, printing the first
// eight components of each vector, rounded to 6 places, and the cosine similarities `e @ e.T`.
// LONG (562 word pieces) checks truncation to 256 tokens the way sentence-transformers does.
const LONG_SENTENCE: &str =
    "The family support worker visited on Tuesday and the children were at school.";
const TEXTS: [&str; 5] = [
    "he put his hands round her neck",
    "her partner strangled her",
    "the boiler needs repairing",
    "",
    "Mum says she's not coping since Dad left; the café shut in MARCH.",
];
const FIRST8: [[f32; 8]; 6] = [
    [0.043209, 0.089695, -0.055703, 0.016898, -0.02745, -0.039206, 0.122127, 0.012761],
    [-0.021854, 0.028911, -0.048902, 0.099108, -0.028098, 0.04661, 0.021675, 0.011113],
    [-0.068386, -0.017422, 0.083007, 0.05039, 0.02589, -0.005745, 0.004285, 0.043345],
    [-0.118838, 0.048299, -0.002548, -0.011011, 0.051951, 0.010292, 0.115433, 0.000701],
    [0.101851, -0.044353, 0.041893, 0.062239, 0.03626, 0.083548, -0.065936, -0.012019],
    [-0.081054, 0.036562, 0.049279, 0.022777, 0.001153, 0.025309, 0.010145, -0.001044],
];
/// The upper triangle of the similarity matrix: (i, j, cosine).
const SIMILARITIES: [(usize, usize, f32); 15] = [
    (0, 1, 0.396887),
    (0, 2, 0.005619),
    (0, 3, 0.13496),
    (0, 4, 0.129645),
    (0, 5, -0.032255),
    (1, 2, 0.079489),
    (1, 3, 0.139466),
    (1, 4, 0.242201),
    (1, 5, 0.040154),
    (2, 3, 0.070107),
    (2, 4, 0.199178),
    (2, 5, 0.068934),
    (3, 4, 0.028938),
    (3, 5, 0.048701),
    (4, 5, 0.081458),
];

fn reference_texts() -> Vec<String> {
    let long = vec![LONG_SENTENCE; 40].join(" ");
    TEXTS.iter().map(|t| t.to_string()).chain([long]).collect()
}

#[test]
fn vectors_match_sentence_transformers() {
    let Some(embedder) = embedder() else { return };
    let texts = reference_texts();
    let embedded: Vec<Embedding> = texts.iter().map(|t| embedder.embed(t).unwrap()).collect();
    let mut worst = 0f32;
    for (i, (embedding, expected)) in embedded.iter().zip(FIRST8).enumerate() {
        for (k, (&got, want)) in embedding.as_slice().iter().zip(expected).enumerate() {
            worst = worst.max((got - want).abs());
            assert!((got - want).abs() < 1e-4, "text {i} component {k}: {got} vs {want}");
        }
    }
    for (i, j, want) in SIMILARITIES {
        let got = embedded[i].dot(&embedded[j]);
        worst = worst.max((got - want).abs());
        assert!((got - want).abs() < 1e-4, "similarity of {i} and {j}: {got} vs {want}");
    }
    println!("largest difference from sentence-transformers: {worst:e}");
}

#[test]
fn a_batch_gives_the_same_vectors_as_one_at_a_time() {
    let Some(embedder) = embedder() else { return };
    let mut texts = reference_texts();
    // More than one internal batch of 32, in an order unlike the length order.
    texts.extend((0..40).map(|i| format!("visit {i}: {}", "the child was happy ".repeat(i % 7))));
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    let batch = embedder.embed_batch(&texts).unwrap();
    assert_eq!(batch.len(), texts.len());
    for (text, together) in texts.iter().zip(&batch) {
        let alone = embedder.embed(text).unwrap();
        for (a, b) in alone.as_slice().iter().zip(together.as_slice()) {
            assert!((a - b).abs() < 1e-4, "{text:?}: {a} vs {b}");
        }
    }
    assert!(embedder.embed_batch(&[]).unwrap().is_empty());
}

#[test]
fn quantised_similarity_is_close_to_the_float_one() {
    let Some(embedder) = embedder() else { return };
    let texts = reference_texts();
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    let embedded = embedder.embed_batch(&texts).unwrap();
    for a in &embedded {
        for b in &embedded {
            let float = a.dot(b);
            let quantised = a.to_i8().dot(&b.to_i8());
            assert!((float - quantised).abs() < 0.02, "{float} vs {quantised}");
        }
    }
}

#[test]
fn a_ten_thousand_word_text_is_truncated() {
    let Some(embedder) = embedder() else { return };
    let words: Vec<String> = (0..10_000).map(|i| format!("word{}", i % 97)).collect();
    let long = embedder.embed(&words.join(" ")).unwrap();
    assert_unit(&long);
    // Every word is at least one word piece, so the first 300 words already fill 256 tokens:
    // what comes after them is not read.
    let start = embedder.embed(&words[..300].join(" ")).unwrap();
    assert!((long.dot(&start) - 1.0).abs() < 1e-5, "{}", long.dot(&start));
}

#[test]
fn a_pool_of_one_thread_gives_the_same_vectors() {
    let Some(_) = embedder() else { return };
    let dir = PathBuf::from(std::env::var_os("DOORSTEP_EMBED_MODEL_DIR").unwrap());
    let single = Embedder::load(&dir).unwrap().with_threads(NonZeroUsize::MIN).unwrap();
    let shared = embedder().unwrap();
    let text = TEXTS[4];
    let a = single.embed(text).unwrap();
    let b = shared.embed(text).unwrap();
    assert!((a.dot(&b) - 1.0).abs() < 1e-5);
    assert!(format!("{single:?}").contains("threads: Some(1)"), "{single:?}");
}
