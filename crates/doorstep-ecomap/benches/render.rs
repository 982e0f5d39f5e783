//! Drawing a crowded ecomap (30 ties, long and mixed-script names) as SVG and as PNG: both must
//! stay well under 50 ms, as the app redraws the map when the practitioner edits it.

use criterion::{Criterion, criterion_group, criterion_main};
use doorstep_core::ids::{PersonId, TieId};
use doorstep_core::model::{Ecomap, EcomapTie, SupportFlow, TieCategory, TieQuality};
use doorstep_ecomap::render::{self, Fonts};

const NAMES: [(&str, &str); 10] = [
    ("her daughter Karen", "family"),
    ("Maximilian Featherstonehaugh-Worthington", "family"),
    ("جدة فاطمة", "family"),
    ("Biscuit 🐕", "pet"),
    ("Priya", "friend"),
    ("Mrs Okafor next door", "neighbour"),
    ("Tuesday knit & natter group", "community"),
    ("Dr Patel", "health"),
    ("Community mental health team", "health"),
    ("Home care agency", "social_care"),
];
const QUALITIES: [&str; 5] = ["strong", "moderate", "tenuous", "stressful", "broken"];
const SUPPORTS: [&str; 4] = ["to_subject", "from_subject", "both", "none"];

fn thirty_ties() -> Ecomap {
    let mut map = Ecomap::empty(PersonId::new());
    map.ties = (0..30)
        .map(|i| {
            let (who, category) = NAMES[i % NAMES.len()];
            EcomapTie {
                id: TieId::new(),
                who: format!("{who} {}", i / NAMES.len() + 1),
                aliases: Vec::new(),
                role: if i % 3 == 0 { "a role".into() } else { String::new() },
                category: TieCategory::from(category),
                quality: TieQuality::from(QUALITIES[i % QUALITIES.len()]),
                support: SupportFlow::from(SUPPORTS[i % SUPPORTS.len()]),
                note: String::new(),
                domains: Vec::new(),
                evidence: None,
            }
        })
        .collect();
    map
}

fn bench(c: &mut Criterion) {
    let map = thirty_ties();
    let fonts = Fonts::system().unwrap_or_else(|e| panic!("the benchmark needs fonts: {e}"));
    c.bench_function("svg_30_ties", |b| b.iter(|| render::svg(&map, "Amira Haddad")));
    c.bench_function("png_30_ties", |b| {
        b.iter(|| render::png_with(&map, "Amira Haddad", 1.0, &fonts));
    });
    c.bench_function("png_30_ties_loading_fonts", |b| {
        b.iter(|| render::png(&map, "Amira Haddad", 1.0));
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
