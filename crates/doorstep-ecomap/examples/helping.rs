//! Prints, for each note of a JSON Lines file (`id`, `text`), the family and other ties the
//! extractor reads with their quality, support and the passage saying they help, and the
//! mentions offered to the theme tagger: a quick look at where network strengths come from.

use std::io::{BufRead, Write};

use doorstep_ecomap::{Extractor, Lexicon, helping_mentions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: helping NOTES.jsonl")?;
    let lexicon = Lexicon::built_in()?;
    let extractor = Extractor::new(&lexicon);
    let mut out = std::io::stdout().lock();
    for line in std::io::BufReader::new(std::fs::File::open(path)?).lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let note: serde_json::Value = serde_json::from_str(&line)?;
        let suggestion = extractor.suggest(note["text"].as_str().unwrap_or_default(), None)?;
        let ties: Vec<_> = suggestion
            .ties
            .iter()
            .map(|t| {
                serde_json::json!([
                    t.who,
                    t.category,
                    t.quality,
                    t.support,
                    t.help.as_ref().map(|h| h.text.clone())
                ])
            })
            .collect();
        let offered: Vec<_> =
            helping_mentions(&lexicon, &suggestion).into_iter().map(|m| m.theme).collect();
        writeln!(
            out,
            "{}",
            serde_json::json!({ "id": note["id"], "ties": ties, "offered": offered })
        )?;
    }
    Ok(())
}
