//! `doorstep models ...`

use doorstep_speech::convert::{TensorType, import_ct2};

use super::Context;
use crate::cli::{ModelsCommand, Quantization};

pub fn run(cx: &Context, command: ModelsCommand) -> anyhow::Result<()> {
    match command {
        ModelsCommand::ImportCt2 { dir, out, quantize } => {
            let weights = match quantize {
                None => TensorType::F16,
                Some(Quantization::F32) => TensorType::F32,
                Some(Quantization::Q8_0) => TensorType::Q8_0,
                Some(Quantization::Q5_1) => TensorType::Q5_1,
            };
            let done = import_ct2(&dir, &out, weights)?;
            if cx.out.json {
                return cx.out.json(&done);
            }
            cx.out.text(&format!(
                "Wrote {} ({:.1} MB, {} weights, {} tensors, {} encoder and {} decoder layers, {})",
                done.output.display(),
                done.bytes as f64 / 1e6,
                done.weights,
                done.tensors,
                done.encoder_layers,
                done.decoder_layers,
                if done.multilingual { "multilingual" } else { "English only" }
            ))
        }
    }
}
