//! Writing whisper.cpp's ggml model format, and ggml's block quantisations.

use std::io::Write;

use half::f16;

/// "ggml", the file's first four bytes as a little-endian u32.
pub(super) const MAGIC: u32 = 0x6767_6d6c;
/// ggml's quantisation format version, folded into the header's ftype.
const QNT_VERSION: i32 = 2;
const QK: usize = 32;

/// How a tensor's elements are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TensorType {
    F32,
    F16,
    Q8_0,
    Q5_1,
}

impl TensorType {
    /// ggml's `ggml_type` number.
    fn code(self) -> i32 {
        match self {
            Self::F32 => 0,
            Self::F16 => 1,
            Self::Q5_1 => 7,
            Self::Q8_0 => 8,
        }
    }

    /// The header's `ftype` for a model whose matrices are of this type.
    pub(super) fn file_type(self) -> i32 {
        match self {
            Self::F32 => 0,
            Self::F16 => 1,
            Self::Q8_0 => 7 + QNT_VERSION * 1000,
            Self::Q5_1 => 9 + QNT_VERSION * 1000,
        }
    }

    pub(super) fn is_quantized(self) -> bool {
        matches!(self, Self::Q8_0 | Self::Q5_1)
    }
}

pub(super) fn write_i32(out: &mut impl Write, value: i32) -> std::io::Result<()> {
    out.write_all(&value.to_le_bytes())
}

/// Writes one tensor record: dims (innermost first), name, type, then the data.
pub(super) fn write_tensor(
    out: &mut impl Write,
    name: &str,
    ne: &[usize],
    ty: TensorType,
    values: &[f32],
) -> std::io::Result<()> {
    let as_i32 = |n: usize| i32::try_from(n).map_err(std::io::Error::other);
    write_i32(out, as_i32(ne.len())?)?;
    write_i32(out, as_i32(name.len())?)?;
    write_i32(out, ty.code())?;
    for &n in ne {
        write_i32(out, as_i32(n)?)?;
    }
    out.write_all(name.as_bytes())?;
    out.write_all(&encode(ty, values))
}

/// The bytes of `values` stored as `ty`. Quantised types need a length that is a multiple of 32
/// (ggml quantises each row in blocks of 32; Whisper's rows all are).
pub(super) fn encode(ty: TensorType, values: &[f32]) -> Vec<u8> {
    match ty {
        TensorType::F32 => values.iter().flat_map(|v| v.to_le_bytes()).collect(),
        TensorType::F16 => values.iter().flat_map(|v| f16::from_f32(*v).to_le_bytes()).collect(),
        TensorType::Q8_0 => values.chunks(QK).flat_map(quantize_q8_0).collect(),
        TensorType::Q5_1 => values.chunks(QK).flat_map(quantize_q5_1).collect(),
    }
}

/// One block: f16 scale, then 32 signed bytes.
fn quantize_q8_0(block: &[f32]) -> Vec<u8> {
    let amax = block.iter().fold(0.0f32, |m, v| m.max(v.abs()));
    let d = amax / 127.0;
    let id = if d != 0.0 { 1.0 / d } else { 0.0 };
    let mut out = Vec::with_capacity(2 + QK);
    out.extend_from_slice(&f16::from_f32(d).to_le_bytes());
    out.extend(block.iter().map(|v| ((v * id).round() as i8) as u8));
    out.resize(2 + QK, 0);
    out
}

/// One block: f16 scale, f16 minimum, 32 high bits, then 16 bytes of paired low nibbles.
fn quantize_q5_1(block: &[f32]) -> Vec<u8> {
    let mut x = [0.0f32; QK];
    x[..block.len()].copy_from_slice(block);
    let min = x.iter().copied().fold(f32::INFINITY, f32::min);
    let max = x.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let d = (max - min) / 31.0;
    let id = if d != 0.0 { 1.0 / d } else { 0.0 };
    let mut qh: u32 = 0;
    let mut qs = [0u8; QK / 2];
    for j in 0..QK / 2 {
        let q0 = ((x[j] - min) * id + 0.5) as u8;
        let q1 = ((x[j + QK / 2] - min) * id + 0.5) as u8;
        qs[j] = (q0 & 0x0F) | ((q1 & 0x0F) << 4);
        qh |= u32::from((q0 & 0x10) >> 4) << j;
        qh |= u32::from((q1 & 0x10) >> 4) << (j + QK / 2);
    }
    let mut out = Vec::with_capacity(4 + 4 + QK / 2);
    out.extend_from_slice(&f16::from_f32(d).to_le_bytes());
    out.extend_from_slice(&f16::from_f32(min).to_le_bytes());
    out.extend_from_slice(&qh.to_le_bytes());
    out.extend_from_slice(&qs);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dequantize_q8_0(bytes: &[u8]) -> Vec<f32> {
        bytes
            .chunks(34)
            .flat_map(|b| {
                let d = f16::from_le_bytes([b[0], b[1]]).to_f32();
                b[2..].iter().map(move |q| f32::from(*q as i8) * d)
            })
            .collect()
    }

    fn dequantize_q5_1(bytes: &[u8]) -> Vec<f32> {
        bytes
            .chunks(24)
            .flat_map(|b| {
                let d = f16::from_le_bytes([b[0], b[1]]).to_f32();
                let m = f16::from_le_bytes([b[2], b[3]]).to_f32();
                let qh = u32::from_le_bytes([b[4], b[5], b[6], b[7]]);
                let qs = &b[8..24];
                let mut out = [0.0f32; 32];
                for j in 0..16 {
                    let h0 = ((qh >> j) & 1) << 4;
                    let h1 = ((qh >> (j + 16)) & 1) << 4;
                    out[j] = (u32::from(qs[j] & 0x0F) | h0) as f32 * d + m;
                    out[j + 16] = (u32::from(qs[j] >> 4) | h1) as f32 * d + m;
                }
                out
            })
            .collect()
    }

    fn sample() -> Vec<f32> {
        (0..256).map(|i| ((i as f32) * 0.37).sin() * (1.0 + (i % 7) as f32)).collect()
    }

    #[test]
    fn q8_0_blocks_round_trip_within_half_a_step() {
        let x = sample();
        let bytes = encode(TensorType::Q8_0, &x);
        assert_eq!(bytes.len(), 256 / 32 * 34);
        for (block, back) in x.chunks(32).zip(dequantize_q8_0(&bytes).chunks(32)) {
            let step = block.iter().fold(0.0f32, |m, v| m.max(v.abs())) / 127.0;
            for (a, b) in block.iter().zip(back) {
                assert!((a - b).abs() <= step * 0.5 + 1e-3, "{a} vs {b}");
            }
        }
    }

    #[test]
    fn q5_1_blocks_round_trip_within_half_a_step() {
        let x = sample();
        let bytes = encode(TensorType::Q5_1, &x);
        assert_eq!(bytes.len(), 256 / 32 * 24);
        for (block, back) in x.chunks(32).zip(dequantize_q5_1(&bytes).chunks(32)) {
            let (lo, hi) =
                block.iter().fold((f32::MAX, f32::MIN), |(l, h), v| (l.min(*v), h.max(*v)));
            let step = (hi - lo) / 31.0;
            for (a, b) in block.iter().zip(back) {
                assert!((a - b).abs() <= step * 0.5 + 2e-2, "{a} vs {b}");
            }
        }
    }

    #[test]
    fn tensor_records_follow_the_loader() {
        let mut out = Vec::new();
        write_tensor(&mut out, "decoder.ln.bias", &[4], TensorType::F32, &[1.0, 2.0, 3.0, 4.0])
            .unwrap();
        let ints: Vec<i32> =
            out[..16].chunks(4).map(|b| i32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect();
        assert_eq!(ints, [1, 15, 0, 4]);
        assert_eq!(&out[16..31], b"decoder.ln.bias");
        assert_eq!(out.len(), 31 + 16);
    }
}
