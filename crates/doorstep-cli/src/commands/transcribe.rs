//! `doorstep transcribe` and `doorstep ingest`: speech to text on this device.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use anyhow::Context as _;
use doorstep_speech::audio::AudioStream;
use doorstep_speech::models::{Manifest, choose_model};
use doorstep_speech::transcribe::job::transcribe_stream;
use doorstep_speech::transcribe::{
    DecodeOptions, Engine, Job, MAX_PROMPT_TOKENS, NoCheckpoint, Progress, ProgressFn, Segment,
    Transcript, Vocabulary,
};
use serde::Serialize;

use super::Context;
use crate::cli::{SpeechArgs, TranscribeArgs};
use crate::subtitles;

/// Loads the model `--model` names, or the best installed one this device can hold.
pub fn load_engine(cx: &Context, spec: Option<&str>) -> anyhow::Result<Arc<Engine>> {
    let path = choose_model(spec, &cx.models_dir, &Manifest::builtin()?)?;
    Ok(Arc::new(Engine::load(&path)?))
}

/// Decoding options, with the vocabulary prompt fitted to the model's tokenizer.
pub fn decode_options(
    engine: &Engine,
    args: &SpeechArgs,
    case_names: Vec<String>,
) -> anyhow::Result<DecodeOptions> {
    let mut options = DecodeOptions {
        beam: args.beam.map(usize::from),
        language: args.language.clone(),
        ..DecodeOptions::default()
    };
    if let Some(threads) = args.threads {
        options.threads = usize::from(threads);
    }
    if !args.no_prompt {
        let vocabulary = Vocabulary::sector().with_names(case_names).with_names(args.terms.clone());
        options.prompt = vocabulary.prompt(MAX_PROMPT_TOKENS, |text| engine.token_count(text))?;
    }
    Ok(options)
}

/// A progress callback drawing a bar on a watched terminal.
pub fn progress_bar(cx: &Context) -> (indicatif::ProgressBar, ProgressFn) {
    let bar = cx.out.progress_percent("Transcribing");
    let shown = bar.clone();
    let report: ProgressFn = Arc::new(move |p: Progress| {
        if let Some(percent) = p.percent {
            shown.set_position(percent.round() as u64);
        }
    });
    (bar, report)
}

#[derive(Serialize)]
struct TranscriptJson<'a> {
    text: &'a str,
    segments: &'a [Segment],
    model: &'a str,
    audio_ms: u64,
    elapsed_ms: u64,
    windows: usize,
    prompt: &'a str,
}

pub fn transcribe(cx: &Context, args: &TranscribeArgs) -> anyhow::Result<()> {
    let stream = AudioStream::open(&args.file)?;
    let engine = load_engine(cx, args.speech.model.as_deref())?;
    let options = decode_options(&engine, &args.speech, Vec::new())?;
    let started = Instant::now();
    let (bar, progress) = progress_bar(cx);
    let expected_ms = stream.info().declared_ms;
    let job = Job::new(
        Arc::clone(&engine),
        options.clone(),
        Box::new(NoCheckpoint),
        Arc::new(AtomicBool::new(false)),
        Some(progress),
        expected_ms,
    )?;
    let transcript = transcribe_stream(stream, job)
        .with_context(|| format!("transcribing {}", args.file.display()))?;
    bar.finish_and_clear();
    let elapsed_ms = started.elapsed().as_millis() as u64;
    print_transcript(cx, args, &transcript, &options, elapsed_ms)
}

fn print_transcript(
    cx: &Context,
    args: &TranscribeArgs,
    transcript: &Transcript,
    options: &DecodeOptions,
    elapsed_ms: u64,
) -> anyhow::Result<()> {
    if cx.out.json {
        return cx.out.json(&TranscriptJson {
            text: &transcript.text,
            segments: &transcript.segments,
            model: &transcript.model,
            audio_ms: transcript.audio_ms,
            elapsed_ms,
            windows: transcript.windows,
            prompt: &options.prompt,
        });
    }
    if args.srt {
        return cx.out.text(&subtitles::srt(&transcript.segments));
    }
    if args.vtt {
        return cx.out.text(&subtitles::vtt(&transcript.segments));
    }
    cx.out.text(&transcript.text)
}
