//! Scores tie extraction on labelled notes without building the whole CLI: the same
//! `predict` and `score` as `doorstep eval ecomap`, printed as JSON.

use std::io::{BufRead, Write};

use doorstep_ecomap::eval::{LabelledNote, predict, score};
use doorstep_ecomap::{Extractor, Lexicon};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: eval_ecomap NOTES.jsonl")?;
    let file = std::io::BufReader::new(std::fs::File::open(path)?);
    let mut labelled: Vec<LabelledNote> = Vec::new();
    for line in file.lines() {
        let line = line?;
        if !line.trim().is_empty() {
            labelled.push(serde_json::from_str(&line)?);
        }
    }
    let lexicon = Lexicon::built_in()?;
    let predicted = predict(&Extractor::new(&lexicon), &labelled)?;
    let scores = serde_json::to_string_pretty(&score(&labelled, &predicted))?;
    writeln!(std::io::stdout().lock(), "{scores}")?;
    Ok(())
}
