//! Converting a small synthetic CTranslate2 model and reading the ggml file back the way
//! whisper.cpp's loader does.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use half::f16;

use super::*;

const STATE: usize = 64;
const VOCAB: usize = 51864;
const AUDIO_CTX: usize = 8;
const TEXT_CTX: usize = 6;
const MELS: usize = 80;

struct Ct2Writer(Vec<u8>, u32);

impl Ct2Writer {
    fn string(&mut self, s: &str) {
        self.0.extend_from_slice(&((s.len() + 1) as u16).to_le_bytes());
        self.0.extend_from_slice(s.as_bytes());
        self.0.push(0);
    }

    fn var(&mut self, name: &str, dims: &[usize]) {
        self.string(name);
        self.0.push(dims.len() as u8);
        for d in dims {
            self.0.extend_from_slice(&(*d as u32).to_le_bytes());
        }
        let n: usize = dims.iter().product();
        self.0.push(4);
        self.0.extend_from_slice(&((n * 2) as u32).to_le_bytes());
        for i in 0..n {
            self.0.extend_from_slice(&f16::from_f32((i % 13) as f32 * 0.01).to_le_bytes());
        }
        self.1 += 1;
    }

    fn scalar_i16(&mut self, name: &str, value: i16) {
        self.string(name);
        self.0.push(0);
        self.0.push(2);
        self.0.extend_from_slice(&2u32.to_le_bytes());
        self.0.extend_from_slice(&value.to_le_bytes());
        self.1 += 1;
    }
}

fn attention(w: &mut Ct2Writer, prefix: &str, fused: usize) {
    w.var(&format!("{prefix}/layer_norm/gamma"), &[STATE]);
    w.var(&format!("{prefix}/layer_norm/beta"), &[STATE]);
    w.var(&format!("{prefix}/linear_0/weight"), &[fused * STATE, STATE]);
    w.var(&format!("{prefix}/linear_0/bias"), &[fused * STATE]);
}

/// A one-layer Whisper in CTranslate2's layout, split across two part files.
fn write_synthetic(dir: &Path) {
    let mut w = Ct2Writer(Vec::new(), 0);
    w.scalar_i16("encoder/num_heads", 2);
    w.scalar_i16("decoder/num_heads", 2);
    w.var("encoder/conv1/weight", &[STATE, MELS, 3]);
    w.var("encoder/conv1/bias", &[STATE]);
    w.var("encoder/conv2/weight", &[STATE, STATE, 3]);
    w.var("encoder/conv2/bias", &[STATE]);
    w.var("encoder/position_encodings/encodings", &[AUDIO_CTX, STATE]);
    w.var("encoder/layer_norm/gamma", &[STATE]);
    w.var("encoder/layer_norm/beta", &[STATE]);
    w.var("decoder/embeddings/weight", &[VOCAB, STATE]);
    w.var("decoder/position_encodings/encodings", &[TEXT_CTX, STATE]);
    w.var("decoder/layer_norm/gamma", &[STATE]);
    w.var("decoder/layer_norm/beta", &[STATE]);
    for side in ["encoder", "decoder"] {
        let layer = format!("{side}/layer_0");
        attention(&mut w, &format!("{layer}/self_attention"), 3);
        w.var(&format!("{layer}/self_attention/linear_1/weight"), &[STATE, STATE]);
        w.var(&format!("{layer}/self_attention/linear_1/bias"), &[STATE]);
        if side == "decoder" {
            attention(&mut w, &format!("{layer}/attention"), 1);
            w.var(&format!("{layer}/attention/linear_1/weight"), &[2 * STATE, STATE]);
            w.var(&format!("{layer}/attention/linear_1/bias"), &[2 * STATE]);
            w.var(&format!("{layer}/attention/linear_2/weight"), &[STATE, STATE]);
            w.var(&format!("{layer}/attention/linear_2/bias"), &[STATE]);
        }
        w.var(&format!("{layer}/ffn/layer_norm/gamma"), &[STATE]);
        w.var(&format!("{layer}/ffn/layer_norm/beta"), &[STATE]);
        w.var(&format!("{layer}/ffn/linear_0/weight"), &[4 * STATE, STATE]);
        w.var(&format!("{layer}/ffn/linear_0/bias"), &[4 * STATE]);
        w.var(&format!("{layer}/ffn/linear_1/weight"), &[STATE, 4 * STATE]);
        w.var(&format!("{layer}/ffn/linear_1/bias"), &[STATE]);
    }
    let mut file = Vec::new();
    file.extend_from_slice(&6u32.to_le_bytes());
    let mut head = Ct2Writer(Vec::new(), 0);
    head.string("WhisperSpec");
    file.extend_from_slice(&head.0);
    file.extend_from_slice(&3u32.to_le_bytes());
    file.extend_from_slice(&w.1.to_le_bytes());
    file.extend_from_slice(&w.0);
    file.extend_from_slice(&0u32.to_le_bytes());
    let half = file.len() / 2;
    fs::write(dir.join("model.bin.part1"), &file[..half]).unwrap();
    fs::write(dir.join("model.bin.part2"), &file[half..]).unwrap();
    let mut vocab: String = (0..50256).map(|i| format!("t{i}\n")).collect();
    vocab.push_str("<|endoftext|>\n<|startoftranscript|>\n");
    fs::write(dir.join("vocabulary.txt"), vocab).unwrap();
}

/// Reads a ggml file as whisper.cpp does: header, filters, vocabulary, then tensors by name.
/// Each tensor's dims (innermost first) and ggml type, by name.
type Tensors = BTreeMap<String, (Vec<i32>, i32)>;

fn read_ggml(path: &Path) -> (Vec<i32>, usize, Tensors) {
    let bytes = fs::read(path).unwrap();
    let mut at = 0;
    let i32_at = |at: &mut usize| {
        let v = i32::from_le_bytes(bytes[*at..*at + 4].try_into().unwrap());
        *at += 4;
        v
    };
    assert_eq!(i32_at(&mut at) as u32, 0x6767_6d6c);
    let hparams: Vec<i32> = (0..11).map(|_| i32_at(&mut at)).collect();
    let (n_mel, n_fft) = (i32_at(&mut at), i32_at(&mut at));
    at += (n_mel * n_fft) as usize * 4;
    let n_vocab = i32_at(&mut at) as usize;
    for _ in 0..n_vocab {
        let len = i32_at(&mut at) as usize;
        at += len;
    }
    let mut tensors = BTreeMap::new();
    while at < bytes.len() {
        let (dims, name_len, ty) = (i32_at(&mut at), i32_at(&mut at), i32_at(&mut at));
        let ne: Vec<i32> = (0..dims).map(|_| i32_at(&mut at)).collect();
        let name = String::from_utf8(bytes[at..at + name_len as usize].to_vec()).unwrap();
        at += name_len as usize;
        let n: usize = ne.iter().map(|n| *n as usize).product();
        at += match ty {
            0 => n * 4,
            1 => n * 2,
            8 => n / 32 * 34,
            7 => n / 32 * 24,
            other => panic!("type {other}"),
        };
        tensors.insert(name, (ne, ty));
    }
    assert_eq!(at, bytes.len());
    (hparams, n_vocab, tensors)
}

#[test]
fn a_split_model_converts_to_the_layout_whisper_cpp_loads() {
    let dir = tempfile::tempdir().unwrap();
    write_synthetic(dir.path());
    let out = dir.path().join("model.ggml");
    let done = import_ct2(dir.path(), &out, TensorType::Q8_0).unwrap();
    assert_eq!((done.encoder_layers, done.decoder_layers, done.multilingual), (1, 1, false));
    let (hparams, n_vocab, tensors) = read_ggml(&out);
    let s = STATE as i32;
    assert_eq!(hparams, [VOCAB as i32, 8, s, 2, 1, 6, s, 2, 1, 80, 2007]);
    assert_eq!(n_vocab, 50256);
    // What whisper_model_load creates: 7 encoder inputs, 15 per encoder layer, 4 decoder
    // inputs, 24 per decoder layer (tiny.en, 4 + 4 layers, has 167).
    assert_eq!(tensors.len(), 50);
    let expect = |name: &str, ne: &[i32], ty: i32| {
        assert_eq!(tensors.get(name), Some(&(ne.to_vec(), ty)), "{name}");
    };
    expect("encoder.positional_embedding", &[s, 8], 0);
    expect("encoder.conv1.weight", &[3, 80, s], 1);
    expect("encoder.conv1.bias", &[1, s], 0);
    expect("encoder.blocks.0.attn.query.weight", &[s, s], 8);
    expect("encoder.blocks.0.attn.key.weight", &[s, s], 8);
    expect("encoder.blocks.0.attn.value.bias", &[s], 0);
    expect("encoder.blocks.0.mlp.0.weight", &[s, 4 * s], 8);
    expect("encoder.blocks.0.mlp.2.weight", &[4 * s, s], 8);
    expect("decoder.token_embedding.weight", &[s, VOCAB as i32], 8);
    expect("decoder.positional_embedding", &[s, 6], 0);
    expect("decoder.blocks.0.cross_attn.key.weight", &[s, s], 8);
    expect("decoder.blocks.0.cross_attn.value.weight", &[s, s], 8);
    expect("decoder.blocks.0.cross_attn.value.bias", &[s], 0);
    expect("decoder.blocks.0.cross_attn_ln.weight", &[s], 0);
    expect("decoder.ln.bias", &[s], 0);
    assert!(!tensors.keys().any(|k| k.ends_with("key.bias")), "Whisper has no key bias");
    assert!(!out.with_extension("partial").exists());
}

#[test]
fn bad_input_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.bin");
    let err = import_ct2(dir.path(), &out, TensorType::F16).unwrap_err();
    assert!(err.to_string().contains("no model.bin"), "{err}");
    write_synthetic(dir.path());
    fs::remove_file(dir.path().join("model.bin.part2")).unwrap();
    let err = import_ct2(dir.path(), &out, TensorType::F16).unwrap_err();
    assert!(err.to_string().contains("is a part missing?"), "{err}");
    assert!(!out.exists() && !out.with_extension("partial").exists());
    fs::write(dir.path().join("model.bin.part1"), b"\x07\x00\x00\x00").unwrap();
    let err = import_ct2(dir.path(), &out, TensorType::F16).unwrap_err();
    assert!(err.to_string().contains("format version 7"), "{err}");
}
