//! Binary fields in JSON: base64 on the wire, bytes in memory.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Bytes that travel as base64. Debug prints only the length: these are ciphertext and wrapped
/// keys, of no use in a log.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Bytes(pub Vec<u8>);

impl fmt::Debug for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Bytes({} bytes)", self.0.len())
    }
}

impl Serialize for Bytes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Bytes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        STANDARD.decode(text.as_bytes()).map(Bytes).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_round_trip_as_base64_and_bad_base64_is_an_error() {
        let json = serde_json::to_string(&Bytes(vec![0, 1, 254, 255])).unwrap();
        assert_eq!(json, "\"AAH+/w==\"");
        assert_eq!(serde_json::from_str::<Bytes>(&json).unwrap(), Bytes(vec![0, 1, 254, 255]));
        assert!(serde_json::from_str::<Bytes>("\"not base64!\"").is_err());
        assert_eq!(format!("{:?}", Bytes(vec![1, 2, 3])), "Bytes(3 bytes)");
    }
}
