//! One loaded Whisper model (one whisper.cpp context, shared) and the decoding of one window
//! with it. Everything whisper-rs is confined here.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use whisper_rs::{
    FullParams, SamplingStrategy, WhisperContext, WhisperContextParameters, WhisperError,
    WhisperState,
};

use super::cleanup::{collapse_loops, is_non_speech, prompt_misled, shouting, word_count};
use super::windows::Window;
use super::words::{WordBuilder, mean, sentences};
use super::{Segment, TranscribeError, Word};
use crate::audio::SAMPLE_RATE;

/// "ggml" as whisper.cpp writes it at the start of a model file.
const GGML_MAGIC: u32 = 0x6767_6d6c;

/// How to decode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeOptions {
    pub threads: usize,
    /// Beam width; `None` decodes greedily.
    pub beam: Option<usize>,
    /// An ISO 639-1 code, or "auto" to let a multilingual model detect it.
    pub language: String,
    /// Prior text that steers spelling; see [`super::prompt`].
    pub prompt: String,
}

impl Default for DecodeOptions {
    fn default() -> Self {
        Self {
            threads: std::thread::available_parallelism().map_or(4, |n| n.get()),
            beam: None,
            language: "en".into(),
            prompt: String::new(),
        }
    }
}

/// A model file's identity, for output and for telling checkpoints apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelInfo {
    pub path: PathBuf,
    /// The file name without `ggml-` and `.bin`: "tiny.en", "base-q5_1".
    pub name: String,
    pub bytes: u64,
    pub multilingual: bool,
}

/// A loaded model. Load once; each job takes its own [`WhisperState`].
pub struct Engine {
    ctx: WhisperContext,
    info: ModelInfo,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine").field("info", &self.info).finish()
    }
}

fn check_model_file(path: &Path) -> Result<u64, TranscribeError> {
    let io = |source| TranscribeError::ModelUnreadable { path: path.to_owned(), source };
    let mut file = File::open(path).map_err(io)?;
    let bytes = file.metadata().map_err(io)?.len();
    let mut magic = [0u8; 4];
    if bytes < 1024
        || file.read_exact(&mut magic).is_err()
        || u32::from_le_bytes(magic) != GGML_MAGIC
    {
        return Err(TranscribeError::NotAModel { path: path.to_owned() });
    }
    Ok(bytes)
}

impl Engine {
    pub fn load(path: &Path) -> Result<Self, TranscribeError> {
        // whisper.cpp logs every tensor to stderr unless its log hooks are taken over.
        whisper_rs::install_logging_hooks();
        let bytes = check_model_file(path)?;
        let ctx =
            WhisperContext::new_with_params(path, WhisperContextParameters::default()).map_err(
                |e| TranscribeError::ModelLoad { path: path.to_owned(), detail: e.to_string() },
            )?;
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().trim_start_matches("ggml-").to_owned())
            .unwrap_or_default();
        let multilingual = ctx.is_multilingual();
        Ok(Self { ctx, info: ModelInfo { path: path.to_owned(), name, bytes, multilingual } })
    }

    pub fn info(&self) -> &ModelInfo {
        &self.info
    }

    /// Tokens `text` takes as a prompt.
    pub fn token_count(&self, text: &str) -> Result<usize, TranscribeError> {
        if text.is_empty() {
            return Ok(0);
        }
        let limit = text.len() + 8;
        self.ctx.tokenize(text, limit).map(|t| t.len()).map_err(TranscribeError::Whisper)
    }

    pub fn new_state(&self) -> Result<WhisperState, TranscribeError> {
        self.ctx.create_state().map_err(TranscribeError::Whisper)
    }

    /// Transcribes one window; timestamps come back on the source's timeline. When the
    /// vocabulary prompt has led Whisper astray (see [`prompt_misled`]), the window is decoded
    /// again without it and the fuller transcript is kept.
    pub fn transcribe_window(
        &self,
        state: &mut WhisperState,
        window: &Window,
        options: &DecodeOptions,
        cancel: &Arc<AtomicBool>,
        on_progress: Box<dyn FnMut(i32)>,
    ) -> Result<Vec<Segment>, TranscribeError> {
        let prompted = self.decode(state, window, options, &options.prompt, cancel, on_progress)?;
        if options.prompt.is_empty() || !prompt_misled(&prompted, window, &options.prompt) {
            return Ok(prompted);
        }
        let plain = self.decode(state, window, options, "", cancel, Box::new(|_| {}))?;
        Ok(if word_count(&plain) >= word_count(&prompted) || shouting(&prompted, &options.prompt) {
            plain
        } else {
            prompted
        })
    }

    fn decode(
        &self,
        state: &mut WhisperState,
        window: &Window,
        options: &DecodeOptions,
        prompt: &str,
        cancel: &Arc<AtomicBool>,
        on_progress: Box<dyn FnMut(i32)>,
    ) -> Result<Vec<Segment>, TranscribeError> {
        if cancel.load(Ordering::Relaxed) {
            return Err(TranscribeError::Cancelled);
        }
        let strategy = match options.beam {
            Some(beam_size) => SamplingStrategy::BeamSearch {
                beam_size: i32::try_from(beam_size.clamp(1, 16)).unwrap_or(5),
                patience: -1.0,
            },
            None => SamplingStrategy::Greedy { best_of: 5 },
        };
        let mut params = FullParams::new(strategy);
        params.set_n_threads(i32::try_from(options.threads.clamp(1, 64)).unwrap_or(4));
        let language = if self.info.multilingual { options.language.as_str() } else { "en" };
        params.set_language(Some(language));
        params.set_translate(false);
        params.set_no_context(true);
        params.set_suppress_blank(true);
        params.set_suppress_nst(true);
        params.set_print_special(false);
        params.set_print_progress(false);
        params.set_print_realtime(false);
        params.set_print_timestamps(false);
        params.set_token_timestamps(true);
        if !prompt.is_empty() {
            params.set_initial_prompt(prompt);
        }
        params.set_progress_callback_safe::<_, Box<dyn FnMut(i32)>>(Some(on_progress));
        let flag = Arc::clone(cancel);
        // whisper-rs's abort trampoline casts its data to the closure's own type, which is only
        // sound when that type is the boxed trait object it stores.
        let abort: Box<dyn FnMut() -> bool> = Box::new(move || flag.load(Ordering::Relaxed));
        params.set_abort_callback_safe::<_, Box<dyn FnMut() -> bool>>(Some(abort));

        if let Err(e) = state.full(params, &window.audio) {
            return Err(if cancel.load(Ordering::Relaxed) {
                TranscribeError::Cancelled
            } else {
                TranscribeError::Whisper(e)
            });
        }
        if cancel.load(Ordering::Relaxed) {
            return Err(TranscribeError::Cancelled);
        }
        self.collect_segments(state, window)
    }

    fn collect_segments(
        &self,
        state: &WhisperState,
        window: &Window,
    ) -> Result<Vec<Segment>, TranscribeError> {
        let eot = self.ctx.token_eot();
        let to_ms = |centis: i64| {
            let at = usize::try_from(centis.max(0)).unwrap_or(0) * (SAMPLE_RATE as usize / 100);
            crate::audio::samples_to_ms(window.to_source(at.min(window.audio.len())))
        };
        let mut segments = Vec::new();
        for segment in state.as_iter() {
            let text = segment.to_str_lossy().map_err(TranscribeError::Whisper)?;
            let text = collapse_loops(text.trim());
            if is_non_speech(&text) {
                continue;
            }
            let (start, end) = (segment.start_timestamp(), segment.end_timestamp());
            let mut words = WordBuilder::default();
            for i in 0..segment.n_tokens() {
                let Some(token) = segment.get_token(i) else { continue };
                if token.token_id() >= eot {
                    continue;
                }
                let data = token.token_data();
                let bytes = token.to_bytes().map_err(TranscribeError::Whisper)?;
                let (t0, t1) = (data.t0.clamp(start, end), data.t1.clamp(start, end));
                words.push(bytes, data.p, to_ms(t0), to_ms(t1.max(t0)));
            }
            let words = words.finish();
            let joined = words.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ");
            if joined != text {
                // A loop was cut out of the text: its words no longer line up with the tokens.
                let confidence = mean(&words.iter().map(|w| w.confidence).collect::<Vec<_>>());
                let (start_ms, end_ms) = (to_ms(start), to_ms(end));
                let words = text
                    .split_whitespace()
                    .map(|w| Word { text: w.to_owned(), confidence, start_ms, end_ms })
                    .collect();
                segments.push(Segment { start_ms, end_ms, text, confidence, words });
                continue;
            }
            segments.extend(sentences(words, to_ms(start), to_ms(end)));
        }
        Ok(segments)
    }
}

impl From<WhisperError> for TranscribeError {
    fn from(e: WhisperError) -> Self {
        TranscribeError::Whisper(e)
    }
}
