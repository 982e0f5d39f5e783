//! How long embedding takes: a search query, a visit note, a batch of sentences (a note being
//! indexed), each on the default threads and on one; and a scan of stored quantised embeddings.
//! Needs `DOORSTEP_EMBED_MODEL_DIR` (`source scripts/models.sh; ensure_minilm`).
//!
//!     cargo bench -p doorstep-embed

use std::hint::black_box;
use std::num::NonZeroUsize;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use doorstep_embed::{Embedder, QuantizedEmbedding};

const QUERY: &str = "partner controls the money";

// 150 words.
const NOTE: &str = "Visited Sam and the children at home. Sam said the last two \
weeks have been hard: her partner has been staying most nights again, and she feels he watches \
what she spends and who she talks to. She has not seen her sister since the summer. The house \
was warm and tidy, the fridge had food in it, and the twins were playing in the front room. \
Jade, who is seven, showed me a drawing from school and said her teacher is kind. \
Sam is still on the waiting list for counselling and has missed one GP appointment because she \
had no credit on her phone. We talked about what helps when things get bad; she named her \
neighbour Pat and the family centre on Hill Street. Agreed to refer her to the domestic abuse \
service, with her consent, and to visit again next Thursday with the health visitor present.";

const SENTENCES: [&str; 32] = [
    "Mum says she is coping better since the new routine started.",
    "Dad did not attend the meeting again.",
    "The boiler has been broken for three weeks.",
    "He put his hands round her neck during the argument.",
    "The school reports good attendance this term.",
    "Grandma collects the children on Wednesdays.",
    "There were empty cans of lager in the kitchen.",
    "She has started volunteering at the food bank.",
    "The landlord has served a notice to leave.",
    "Tom is worried about his mother's memory.",
    "The carer arrives late most mornings.",
    "Rent arrears are now over two thousand pounds.",
    "She said she feels safe at home now.",
    "The baby was clean and well fed.",
    "He has not taken his medication for a week.",
    "The neighbour called the police on Saturday night.",
    "They enjoy going to the park together.",
    "Her sister visits every weekend and helps with shopping.",
    "There is damp and mould in the bedroom.",
    "He struggles to manage the stairs.",
    "The GP has referred her to the memory clinic.",
    "She is frightened of what he will do when he is drunk.",
    "Both children are on the waiting list for CAMHS.",
    "The family has no money left for electricity.",
    "He goes to the men's shed on Tuesdays.",
    "She missed her last three appointments.",
    "The youth worker has built a good relationship with Jay.",
    "There was no food in the fridge.",
    "She wants to return to college next year.",
    "The dog is friendly and well cared for.",
    "He said he hears voices telling him to hurt himself.",
    "The church group brings meals twice a week.",
];

fn embedders() -> Option<(Embedder, Embedder)> {
    let Some(dir) = std::env::var_os("DOORSTEP_EMBED_MODEL_DIR") else {
        eprintln!("skipped: DOORSTEP_EMBED_MODEL_DIR is not set (scripts/models.sh sets it)");
        return None;
    };
    let dir = PathBuf::from(dir);
    let load = || Embedder::load(&dir).unwrap_or_else(|err| panic!("{}: {err}", dir.display()));
    let one =
        load().with_threads(NonZeroUsize::MIN).unwrap_or_else(|err| panic!("one thread: {err}"));
    Some((load(), one))
}

fn embedding(c: &mut Criterion) {
    let Some((shared, single)) = embedders() else { return };
    for (name, embedder) in [("default threads", &shared), ("1 thread", &single)] {
        let mut group = c.benchmark_group(format!("embed ({name})"));
        group.bench_function("query (4 words)", |b| {
            b.iter(|| embedder.embed(black_box(QUERY)).is_ok());
        });
        group.bench_function("note (150 words)", |b| {
            b.iter(|| embedder.embed(black_box(NOTE)).is_ok());
        });
        group.sample_size(20);
        group.bench_function("batch of 32 sentences", |b| {
            b.iter(|| embedder.embed_batch(black_box(&SENTENCES)).is_ok());
        });
        group.finish();
    }

    // Ranking stored notes against a query: 10,000 quantised embeddings.
    let stored: Vec<QuantizedEmbedding> = match shared.embed_batch(&SENTENCES) {
        Ok(embedded) => embedded.iter().map(|e| e.to_i8()).cycle().take(10_000).collect(),
        Err(err) => panic!("{err}"),
    };
    let query = match shared.embed(QUERY) {
        Ok(query) => query.to_i8(),
        Err(err) => panic!("{err}"),
    };
    c.bench_function("dot_i8 against 10,000 stored", |b| {
        b.iter(|| stored.iter().map(|note| black_box(&query).dot_i8(note)).max());
    });
}

criterion_group!(benches, embedding);
criterion_main!(benches);
