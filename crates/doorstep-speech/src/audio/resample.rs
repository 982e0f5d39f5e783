//! Streaming sample-rate conversion to 16 kHz with rubato, chunk by chunk, so the converted
//! audio can be handed on while the source is still being read (or captured).

use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{Fft, FixedSync, Indexing, Resampler};

use super::{AudioError, SAMPLE_RATE};

const CHUNK_FRAMES: usize = 1024;

/// Converts mono audio at any rate to [`SAMPLE_RATE`], as a stream: `push` what arrives, take
/// what is ready, `finish` at the end. The output is trimmed of the resampler's delay, so it
/// lines up sample for sample with the input's timeline.
#[derive(Debug)]
pub struct StreamResampler {
    from_hz: u32,
    inner: Option<Fft<f32>>,
    pending: Vec<f32>,
    out_buf: Vec<f32>,
    delay_left: usize,
    consumed: u64,
    produced: u64,
}

impl StreamResampler {
    pub fn new(from_hz: u32) -> Result<Self, AudioError> {
        let inner = if from_hz == SAMPLE_RATE {
            None
        } else {
            let fft = Fft::<f32>::new(
                from_hz as usize,
                SAMPLE_RATE as usize,
                CHUNK_FRAMES,
                1,
                FixedSync::Input,
            )
            .map_err(|e| AudioError::Resample { from_hz, detail: e.to_string() })?;
            Some(fft)
        };
        let delay_left = inner.as_ref().map_or(0, Resampler::output_delay);
        let out_len = inner.as_ref().map_or(0, Resampler::output_frames_max);
        Ok(Self {
            from_hz,
            inner,
            pending: Vec::new(),
            out_buf: vec![0.0; out_len],
            delay_left,
            consumed: 0,
            produced: 0,
        })
    }

    /// Feeds `input` (mono, at the source rate) and appends what is ready to `out`.
    pub fn push(&mut self, input: &[f32], out: &mut Vec<f32>) -> Result<(), AudioError> {
        self.consumed += input.len() as u64;
        if self.inner.is_none() {
            out.extend_from_slice(input);
            self.produced += input.len() as u64;
            return Ok(());
        }
        self.pending.extend_from_slice(input);
        let mut start = 0;
        while self.pending.len() - start >= CHUNK_FRAMES {
            self.run(start, None, out)?;
            start += CHUNK_FRAMES;
        }
        self.pending.drain(..start);
        Ok(())
    }

    /// Flushes the tail: the output then holds exactly as much time as the input did.
    pub fn finish(&mut self, out: &mut Vec<f32>) -> Result<(), AudioError> {
        if self.inner.is_none() {
            return Ok(());
        }
        let expected = self.consumed * u64::from(SAMPLE_RATE) / u64::from(self.from_hz);
        // Silence pushes the last real samples through the filter's delay.
        let mut guard = 0;
        while self.produced < expected && guard < 64 {
            let partial = self.pending.len().min(CHUNK_FRAMES);
            self.pending.resize(CHUNK_FRAMES, 0.0);
            self.run(0, Some(partial), out)?;
            self.pending.clear();
            guard += 1;
        }
        let excess = self.produced.saturating_sub(expected);
        out.truncate(out.len().saturating_sub(usize::try_from(excess).unwrap_or(0)));
        self.produced = expected;
        Ok(())
    }

    fn run(
        &mut self,
        start: usize,
        partial: Option<usize>,
        out: &mut Vec<f32>,
    ) -> Result<(), AudioError> {
        let from_hz = self.from_hz;
        let err = |detail: String| AudioError::Resample { from_hz, detail };
        let Some(inner) = self.inner.as_mut() else { return Ok(()) };
        let input =
            InterleavedSlice::new(&self.pending[start..start + CHUNK_FRAMES], 1, CHUNK_FRAMES)
                .map_err(|e| err(e.to_string()))?;
        let frames_out = self.out_buf.len();
        let mut output = InterleavedSlice::new_mut(&mut self.out_buf[..], 1, frames_out)
            .map_err(|e| err(e.to_string()))?;
        let indexing = Indexing {
            input_offset: 0,
            output_offset: 0,
            partial_len: partial,
            active_channels_mask: None,
        };
        let (_, written) = inner
            .process_into_buffer(&input, &mut output, Some(&indexing))
            .map_err(|e| err(e.to_string()))?;
        let skip = self.delay_left.min(written);
        self.delay_left -= skip;
        out.extend_from_slice(&self.out_buf[skip..written]);
        self.produced += (written - skip) as u64;
        Ok(())
    }
}
