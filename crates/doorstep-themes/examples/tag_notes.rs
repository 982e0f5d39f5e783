//! Tags every note of a JSON Lines file (`id`, `text`) with the built-in taxonomy and prints one
//! JSON line per note with its tags and their evidence, and every mention with how it was judged: a quick way to see what the tagger finds
//! in a labelled set without building the whole app (`doorstep eval themes` gives the scores).

use std::io::{BufRead, Write};

use doorstep_themes::{Tagger, Taxonomy};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: tag_notes NOTES.jsonl")?;
    let taxonomy = Taxonomy::builtin()?;
    let tagger = Tagger::new(&taxonomy);
    let mut out = std::io::stdout().lock();
    for line in std::io::BufReader::new(std::fs::File::open(path)?).lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let note: serde_json::Value = serde_json::from_str(&line)?;
        let text = note["text"].as_str().unwrap_or_default();
        let tags = tagger.tag(text);
        let mentions: Vec<_> = tagger
            .mentions(text)
            .into_iter()
            .map(|(id, evidence, reading)| serde_json::json!([id, evidence.text, reading]))
            .collect();
        let line = serde_json::json!({ "id": note["id"], "tags": tags, "mentions": mentions });
        writeln!(out, "{line}")?;
    }
    Ok(())
}
