//! The vocabulary in the form whisper.cpp reads: each token's raw bytes.
//!
//! CTranslate2's `vocabulary.txt` holds GPT-2 byte-level tokens, where every byte is written as a
//! printable character ("Ġ" is a space); this undoes that mapping.

use std::collections::HashMap;
use std::path::Path;

use super::ConvertError;

const END_OF_TEXT: &str = "<|endoftext|>";

/// GPT-2's byte-to-character table, inverted.
fn byte_decoder() -> HashMap<char, u8> {
    let printable = |b: u8| matches!(b, b'!'..=b'~' | 0xA1..=0xAC | 0xAE..=0xFF);
    let mut map = HashMap::with_capacity(256);
    let mut shifted = 0u32;
    for b in 0..=255u8 {
        let c = if printable(b) {
            char::from(b)
        } else {
            shifted += 1;
            char::from_u32(255 + shifted).unwrap_or(char::REPLACEMENT_CHARACTER)
        };
        map.insert(c, b);
    }
    map
}

/// The ordinary tokens (everything before `<|endoftext|>`), as bytes. whisper.cpp adds the
/// special tokens itself from the model's vocabulary size.
pub(super) fn read_tokens(path: &Path) -> Result<Vec<Vec<u8>>, ConvertError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConvertError::io(path, e))?;
    let decoder = byte_decoder();
    let mut tokens = Vec::new();
    for (line, token) in text.lines().enumerate() {
        if token == END_OF_TEXT {
            return Ok(tokens);
        }
        let bytes = token
            .chars()
            .map(|c| decoder.get(&c).copied())
            .collect::<Option<Vec<u8>>>()
            .ok_or_else(|| {
                ConvertError::Malformed(format!(
                    "{} line {}: {token:?} is not a byte-level token",
                    path.display(),
                    line + 1
                ))
            })?;
        tokens.push(bytes);
    }
    Err(ConvertError::Malformed(format!("{} has no {END_OF_TEXT} token", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_level_tokens_decode_to_their_bytes() {
        let decoder = byte_decoder();
        assert_eq!(decoder.len(), 256);
        let decode = |s: &str| s.chars().map(|c| decoder[&c]).collect::<Vec<u8>>();
        assert_eq!(decode("Ġthe"), b" the");
        assert_eq!(decode("Ċ"), b"\n");
        assert_eq!(decode("Ã©"), "é".as_bytes());
    }

    #[test]
    fn tokens_stop_at_end_of_text() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vocabulary.txt");
        std::fs::write(&path, "!\nĠhello\n<|endoftext|>\n<|startoftranscript|>\n").unwrap();
        let tokens = read_tokens(&path).unwrap();
        assert_eq!(tokens, vec![b"!".to_vec(), b" hello".to_vec()]);
        std::fs::write(&path, "a\nb\n").unwrap();
        assert!(read_tokens(&path).is_err());
    }
}
