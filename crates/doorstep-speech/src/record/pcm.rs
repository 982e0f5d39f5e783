//! Sample conversions: the device's interleaved channels down to mono, and the 16 kHz f32 samples
//! to and from the signed 16-bit little-endian bytes a sealed recording holds.

/// Appends the mean of each frame's channels to `out`; a trailing partial frame is ignored.
pub(crate) fn downmix(interleaved: &[f32], channels: usize, out: &mut Vec<f32>) {
    match channels {
        0 => {}
        1 => out.extend_from_slice(interleaved),
        n => {
            let scale = 1.0 / n as f32;
            out.extend(interleaved.chunks_exact(n).map(|frame| frame.iter().sum::<f32>() * scale));
        }
    }
}

/// Appends `samples` as s16le, clipping anything beyond full scale.
pub(crate) fn to_s16le(samples: &[f32], out: &mut Vec<u8>) {
    out.reserve(samples.len() * 2);
    for &sample in samples {
        // NaN clamps to NaN, which `as` turns into 0: silence, not noise.
        let value = (sample.clamp(-1.0, 1.0) * f32::from(i16::MAX)).round() as i16;
        out.extend_from_slice(&value.to_le_bytes());
    }
}

/// Reads s16le bytes back as samples in [-1, 1); `None` if the length is odd.
pub(crate) fn from_s16le(bytes: &[u8]) -> Option<Vec<f32>> {
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    Some(
        bytes
            .chunks_exact(2)
            .map(|pair| f32::from(i16::from_le_bytes([pair[0], pair[1]])) / 32768.0)
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s16_conversion_round_trips_within_one_step_and_clips() {
        let samples = [0.0, 0.5, -0.5, 1.0, -1.0, 0.25, 2.0, -3.0, f32::NAN];
        let mut bytes = Vec::new();
        to_s16le(&samples, &mut bytes);
        assert_eq!(bytes.len(), samples.len() * 2);
        assert_eq!(&bytes[2..4], &16384i16.to_le_bytes(), "0.5 is half scale");
        assert_eq!(&bytes[6..8], &i16::MAX.to_le_bytes());
        assert_eq!(&bytes[8..10], &(-i16::MAX).to_le_bytes());
        let back = from_s16le(&bytes).unwrap();
        for (a, b) in samples[..6].iter().zip(&back) {
            assert!((a - b).abs() <= 1.0 / 32767.0, "{a} came back as {b}");
        }
        assert!((back[6] - 1.0).abs() < 1e-4, "clipped to full scale");
        assert!((back[7] + 1.0).abs() < 1e-4, "clipped to full scale");
        assert_eq!(back[8], 0.0, "NaN is silence");
        assert!(from_s16le(&bytes[..3]).is_none());
    }

    #[test]
    fn downmix_averages_channels() {
        let mut out = Vec::new();
        downmix(&[1.0, 0.0, 0.5, 0.5, -1.0, 1.0, 0.7], 2, &mut out);
        assert_eq!(out, [0.5, 0.5, 0.0], "the unpaired last sample is dropped");
        out.clear();
        downmix(&[0.1, 0.2], 1, &mut out);
        assert_eq!(out, [0.1, 0.2]);
    }
}
