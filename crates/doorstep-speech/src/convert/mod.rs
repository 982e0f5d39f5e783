//! `doorstep models import-ct2`: turns a CTranslate2 Whisper model into whisper.cpp's ggml file.
//!
//! This is how a device gets a model without a model hub: the weights come from a CTranslate2
//! directory (shipped in a registry package, or copied across), and whisper.cpp loads the result.
//! The layout written is the one `whisper_model_load` in whisper.cpp reads: magic, hyper-
//! parameters, the mel filterbank, the vocabulary, then named tensors. CTranslate2 fuses some
//! projections that whisper.cpp keeps apart; they are split here.

mod ct2;
mod ggml;
mod mel;
mod vocab;

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

pub use ggml::TensorType;

use self::ct2::{Ct2Model, Variable};
use self::ggml::write_i32;

#[derive(Debug, thiserror::Error)]
pub enum ConvertError {
    #[error("{0}: not a CTranslate2 Whisper model")]
    NotCt2(String),
    #[error("the CTranslate2 model is malformed: {0}")]
    Malformed(String),
    #[error("cannot convert this model: {0}")]
    Unsupported(String),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
}

impl ConvertError {
    fn io(path: &Path, source: std::io::Error) -> Self {
        Self::Io { path: path.to_owned(), source }
    }
}

/// What a conversion produced.
#[derive(Debug, Clone, Serialize)]
pub struct Conversion {
    pub output: PathBuf,
    pub bytes: u64,
    pub tensors: usize,
    pub n_vocab: usize,
    pub encoder_layers: usize,
    pub decoder_layers: usize,
    pub multilingual: bool,
    pub weights: String,
}

struct Hparams {
    n_vocab: usize,
    n_audio_ctx: usize,
    n_audio_state: usize,
    n_audio_head: usize,
    n_audio_layer: usize,
    n_text_ctx: usize,
    n_text_state: usize,
    n_text_head: usize,
    n_text_layer: usize,
    n_mels: usize,
}

fn layer_count(model: &Ct2Model, prefix: &str) -> usize {
    (0..)
        .take_while(|i| {
            model.variables.keys().any(|k| k.starts_with(&format!("{prefix}/layer_{i}/")))
        })
        .count()
}

fn heads(model: &Ct2Model, name: &str) -> Result<usize, ConvertError> {
    model
        .get(name)?
        .scalar()
        .and_then(|n| usize::try_from(n).ok())
        .filter(|n| *n > 0)
        .ok_or_else(|| ConvertError::Malformed(format!("{name} is not a head count")))
}

fn dims2(model: &Ct2Model, name: &str) -> Result<(usize, usize), ConvertError> {
    match model.get(name)?.dims.as_slice() {
        [a, b] => Ok((*a, *b)),
        other => Err(ConvertError::Malformed(format!("{name} has shape {other:?}, expected 2-D"))),
    }
}

impl Hparams {
    fn read(model: &Ct2Model) -> Result<Self, ConvertError> {
        let (n_vocab, n_text_state) = dims2(model, "decoder/embeddings/weight")?;
        let (n_audio_ctx, n_audio_state) = dims2(model, "encoder/position_encodings/encodings")?;
        let (n_text_ctx, _) = dims2(model, "decoder/position_encodings/encodings")?;
        let n_mels = match model.get("encoder/conv1/weight")?.dims.as_slice() {
            [_, mels, 3] => *mels,
            other => {
                return Err(ConvertError::Malformed(format!(
                    "encoder/conv1/weight has shape {other:?}"
                )));
            }
        };
        if n_audio_state != n_text_state {
            return Err(ConvertError::Unsupported("encoder and decoder widths differ".into()));
        }
        Ok(Self {
            n_vocab,
            n_audio_ctx,
            n_audio_state,
            n_audio_head: heads(model, "encoder/num_heads")?,
            n_audio_layer: layer_count(model, "encoder"),
            n_text_ctx,
            n_text_state,
            n_text_head: heads(model, "decoder/num_heads")?,
            n_text_layer: layer_count(model, "decoder"),
            n_mels,
        })
    }

    fn write(&self, out: &mut impl Write, weights: TensorType) -> std::io::Result<()> {
        for value in [
            self.n_vocab,
            self.n_audio_ctx,
            self.n_audio_state,
            self.n_audio_head,
            self.n_audio_layer,
            self.n_text_ctx,
            self.n_text_state,
            self.n_text_head,
            self.n_text_layer,
            self.n_mels,
        ] {
            write_i32(out, i32::try_from(value).map_err(std::io::Error::other)?)?;
        }
        write_i32(out, weights.file_type())
    }
}

/// Which storage a tensor gets: whisper.cpp checks each against what it expects.
#[derive(Clone, Copy)]
enum Role {
    /// Biases, norms, positional embeddings: always f32.
    Vector,
    /// Convolution kernels: f16 (f32 in an all-f32 model), never quantised.
    Conv,
    /// Matrices: the model's weight type.
    Matrix,
}

/// Writes tensors, choosing each one's storage from its role.
struct TensorWriter<W: Write> {
    out: W,
    weights: TensorType,
    count: usize,
}

impl<W: Write> TensorWriter<W> {
    fn put(&mut self, name: &str, ne: &[usize], role: Role, values: &[f32]) -> std::io::Result<()> {
        let ty = match (role, self.weights) {
            (Role::Vector, _) | (_, TensorType::F32) => TensorType::F32,
            (Role::Conv, _) => TensorType::F16,
            (Role::Matrix, w) => w,
        };
        self.count += 1;
        ggml::write_tensor(&mut self.out, name, ne, ty, values)
    }

    /// A CTranslate2 variable under its whisper.cpp name, shape reversed into ggml's order.
    fn copy(
        &mut self,
        model: &Ct2Model,
        from: &str,
        to: &str,
        role: Role,
    ) -> Result<(), ConvertError> {
        let var = model.get(from)?;
        let values = var.to_f32(from)?;
        let mut ne: Vec<usize> = var.dims.iter().rev().copied().collect();
        if matches!(role, Role::Vector) && ne.len() == 1 && to.starts_with("encoder.conv") {
            ne.push(ne[0]);
            ne[0] = 1;
        }
        self.put(to, &ne, role, &values).map_err(write_error)
    }

    /// Splits a fused projection (rows stacked: q, k, v or k, v) into its parts; `None` names
    /// a part whisper.cpp does not have (the key bias, which Whisper's model lacks).
    fn split(
        &mut self,
        model: &Ct2Model,
        from: &str,
        parts: &[Option<&str>],
    ) -> Result<(), ConvertError> {
        let var: &Variable = model.get(from)?;
        let values = var.to_f32(from)?;
        let rows = *var.dims.first().unwrap_or(&0);
        if !rows.is_multiple_of(parts.len()) || var.len() == 0 {
            return Err(ConvertError::Malformed(format!(
                "{from} cannot be split in {}",
                parts.len()
            )));
        }
        let part_rows = rows / parts.len();
        let part_len = values.len() / parts.len();
        for (i, name) in parts.iter().enumerate() {
            let Some(name) = name else { continue };
            let chunk = &values[i * part_len..(i + 1) * part_len];
            let (ne, role) = match var.dims.as_slice() {
                [_, cols] => (vec![*cols, part_rows], Role::Matrix),
                _ => (vec![part_rows], Role::Vector),
            };
            self.put(name, &ne, role, chunk).map_err(write_error)?;
        }
        Ok(())
    }
}

fn write_error(e: std::io::Error) -> ConvertError {
    ConvertError::Io { path: PathBuf::from("the output file"), source: e }
}

fn write_attention<W: Write>(
    w: &mut TensorWriter<W>,
    model: &Ct2Model,
    from: &str,
    to: &str,
) -> Result<(), ConvertError> {
    w.copy(model, &format!("{from}/layer_norm/gamma"), &format!("{to}_ln.weight"), Role::Vector)?;
    w.copy(model, &format!("{from}/layer_norm/beta"), &format!("{to}_ln.bias"), Role::Vector)?;
    let (q, k, v) = (format!("{to}.query"), format!("{to}.key"), format!("{to}.value"));
    let is_cross = from.ends_with("/attention");
    let out_linear = if is_cross {
        w.copy(model, &format!("{from}/linear_0/weight"), &format!("{q}.weight"), Role::Matrix)?;
        w.copy(model, &format!("{from}/linear_0/bias"), &format!("{q}.bias"), Role::Vector)?;
        let (kw, vw, vb) = (format!("{k}.weight"), format!("{v}.weight"), format!("{v}.bias"));
        w.split(model, &format!("{from}/linear_1/weight"), &[Some(&kw), Some(&vw)])?;
        w.split(model, &format!("{from}/linear_1/bias"), &[None, Some(&vb)])?;
        "linear_2"
    } else {
        let (qw, kw, vw) = (format!("{q}.weight"), format!("{k}.weight"), format!("{v}.weight"));
        let (qb, vb) = (format!("{q}.bias"), format!("{v}.bias"));
        w.split(model, &format!("{from}/linear_0/weight"), &[Some(&qw), Some(&kw), Some(&vw)])?;
        w.split(model, &format!("{from}/linear_0/bias"), &[Some(&qb), None, Some(&vb)])?;
        "linear_1"
    };
    w.copy(
        model,
        &format!("{from}/{out_linear}/weight"),
        &format!("{to}.out.weight"),
        Role::Matrix,
    )?;
    w.copy(model, &format!("{from}/{out_linear}/bias"), &format!("{to}.out.bias"), Role::Vector)
}

fn write_block<W: Write>(
    w: &mut TensorWriter<W>,
    model: &Ct2Model,
    side: &str,
    layer: usize,
) -> Result<(), ConvertError> {
    let from = format!("{side}/layer_{layer}");
    let to = format!("{side}.blocks.{layer}");
    write_attention(w, model, &format!("{from}/self_attention"), &format!("{to}.attn"))?;
    if side == "decoder" {
        write_attention(w, model, &format!("{from}/attention"), &format!("{to}.cross_attn"))?;
    }
    let ffn = format!("{from}/ffn");
    w.copy(
        model,
        &format!("{ffn}/layer_norm/gamma"),
        &format!("{to}.mlp_ln.weight"),
        Role::Vector,
    )?;
    w.copy(model, &format!("{ffn}/layer_norm/beta"), &format!("{to}.mlp_ln.bias"), Role::Vector)?;
    for (linear, index) in [("linear_0", 0), ("linear_1", 2)] {
        w.copy(
            model,
            &format!("{ffn}/{linear}/weight"),
            &format!("{to}.mlp.{index}.weight"),
            Role::Matrix,
        )?;
        w.copy(
            model,
            &format!("{ffn}/{linear}/bias"),
            &format!("{to}.mlp.{index}.bias"),
            Role::Vector,
        )?;
    }
    Ok(())
}

/// Converts the CTranslate2 model in `dir` to a ggml file at `output`, with matrices stored as
/// `weights` (f16 keeps the source precision). The file appears only once complete.
pub fn import_ct2(
    dir: &Path,
    output: &Path,
    weights: TensorType,
) -> Result<Conversion, ConvertError> {
    let files = ct2::model_files(dir)?;
    let model = ct2::read(&files)?;
    if model.spec != "WhisperSpec" {
        return Err(ConvertError::NotCt2(format!(
            "{} holds a {} model",
            dir.display(),
            model.spec
        )));
    }
    let hp = Hparams::read(&model)?;
    if weights.is_quantized() && hp.n_audio_state % 32 != 0 {
        return Err(ConvertError::Unsupported("rows are not a multiple of 32".into()));
    }
    let vocab_path = dir.join("vocabulary.txt");
    let tokens = vocab::read_tokens(&vocab_path)?;
    if tokens.len() >= hp.n_vocab {
        return Err(ConvertError::Malformed("the vocabulary is larger than the embedding".into()));
    }

    let partial = output.with_extension("partial");
    let result = write_model(&model, &hp, &tokens, weights, &partial).and_then(|count| {
        fs::rename(&partial, output).map_err(|e| ConvertError::io(output, e))?;
        Ok(count)
    });
    let tensors = match result {
        Ok(count) => count,
        Err(e) => {
            let _ = fs::remove_file(&partial);
            return Err(e);
        }
    };
    Ok(Conversion {
        output: output.to_owned(),
        bytes: fs::metadata(output).map_err(|e| ConvertError::io(output, e))?.len(),
        tensors,
        n_vocab: hp.n_vocab,
        encoder_layers: hp.n_audio_layer,
        decoder_layers: hp.n_text_layer,
        multilingual: hp.n_vocab >= 51865,
        weights: format!("{weights:?}").to_lowercase(),
    })
}

fn write_model(
    model: &Ct2Model,
    hp: &Hparams,
    tokens: &[Vec<u8>],
    weights: TensorType,
    path: &Path,
) -> Result<usize, ConvertError> {
    let file = File::create(path).map_err(|e| ConvertError::io(path, e))?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    let io = |e| ConvertError::io(path, e);
    out.write_all(&ggml::MAGIC.to_le_bytes()).map_err(io)?;
    hp.write(&mut out, weights).map_err(io)?;
    let n_bins = mel::N_FFT / 2 + 1;
    write_i32(&mut out, hp.n_mels as i32).map_err(io)?;
    write_i32(&mut out, n_bins as i32).map_err(io)?;
    for w in mel::filterbank(hp.n_mels) {
        out.write_all(&w.to_le_bytes()).map_err(io)?;
    }
    write_i32(&mut out, tokens.len() as i32).map_err(io)?;
    for token in tokens {
        out.write_all(&(token.len() as u32).to_le_bytes()).map_err(io)?;
        out.write_all(token).map_err(io)?;
    }

    let mut w = TensorWriter { out, weights, count: 0 };
    w.copy(
        model,
        "encoder/position_encodings/encodings",
        "encoder.positional_embedding",
        Role::Vector,
    )?;
    for conv in ["conv1", "conv2"] {
        w.copy(
            model,
            &format!("encoder/{conv}/weight"),
            &format!("encoder.{conv}.weight"),
            Role::Conv,
        )?;
        w.copy(
            model,
            &format!("encoder/{conv}/bias"),
            &format!("encoder.{conv}.bias"),
            Role::Vector,
        )?;
    }
    for layer in 0..hp.n_audio_layer {
        write_block(&mut w, model, "encoder", layer)?;
    }
    w.copy(model, "encoder/layer_norm/gamma", "encoder.ln_post.weight", Role::Vector)?;
    w.copy(model, "encoder/layer_norm/beta", "encoder.ln_post.bias", Role::Vector)?;
    w.copy(
        model,
        "decoder/position_encodings/encodings",
        "decoder.positional_embedding",
        Role::Vector,
    )?;
    w.copy(model, "decoder/embeddings/weight", "decoder.token_embedding.weight", Role::Matrix)?;
    for layer in 0..hp.n_text_layer {
        write_block(&mut w, model, "decoder", layer)?;
    }
    w.copy(model, "decoder/layer_norm/gamma", "decoder.ln.weight", Role::Vector)?;
    w.copy(model, "decoder/layer_norm/beta", "decoder.ln.bias", Role::Vector)?;

    let count = w.count;
    let file = w.out.into_inner().map_err(|e| ConvertError::io(path, e.into_error()))?;
    file.sync_all().map_err(io)?;
    Ok(count)
}

#[cfg(test)]
mod tests;
