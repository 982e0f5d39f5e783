//! The challenge set (`challenge.txt`): short invented snippets in many voices, written from the
//! labelling conventions alone, each with the themes that must be tagged and the themes that must
//! not be (denied, cleared, deferred, conditional, over, someone else's). It checks that the
//! tagger's handling of non-tags is general rather than fitted to the development notes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use doorstep_themes::{Tagger, Taxonomy};

/// Each challenge file and how many of its snippets must be judged right; raise a floor as the
/// tagger improves, never lower it. `challenge.txt` was written first; `denials.txt` and
/// `indirect.txt` later, by other hands, with many ways of denying, deferring and clearing every
/// risk and need, and of saying every theme without its name.
const SETS: &[(&str, &str, usize)] = &[
    ("challenge.txt", include_str!("challenge.txt"), 164),
    ("denials.txt", include_str!("denials.txt"), 194),
    ("indirect.txt", include_str!("indirect.txt"), 229),
];

fn ids(list: &str) -> Vec<&str> {
    list.split(',').map(str::trim).filter(|s| !s.is_empty()).collect()
}

#[test]
fn the_challenge_snippets_are_judged_right() {
    let taxonomy = Taxonomy::builtin().unwrap_or_else(|e| panic!("{e}"));
    let tagger = Tagger::new(&taxonomy);
    for (name, data, floor) in SETS {
        let (mut total, mut passed, mut failures) = (0, 0, Vec::new());
        for line in data.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
            let mut cols = line.splitn(3, '|');
            let (must, must_not, text) =
                (cols.next().unwrap(), cols.next().unwrap(), cols.next().unwrap());
            for id in ids(must).into_iter().chain(ids(must_not)) {
                assert!(taxonomy.by_id(id).is_some(), "unknown theme {id} in {line}");
            }
            let tags: Vec<String> =
                tagger.tag(text.trim()).iter().map(|t| t.id.to_string()).collect();
            let missing: Vec<&str> =
                ids(must).into_iter().filter(|id| !tags.iter().any(|t| t == id)).collect();
            let wrong: Vec<&str> =
                ids(must_not).into_iter().filter(|id| tags.iter().any(|t| t == id)).collect();
            total += 1;
            if missing.is_empty() && wrong.is_empty() {
                passed += 1;
            } else {
                failures.push(format!(
                    "missing {missing:?} wrong {wrong:?} got {tags:?}: {}",
                    text.trim()
                ));
            }
        }
        eprintln!("{name}: {passed} of {total} right");
        for failure in &failures {
            eprintln!("  {failure}");
        }
        assert!(passed >= *floor, "{name}: {passed} of {total} right, floor {floor}");
    }
}
