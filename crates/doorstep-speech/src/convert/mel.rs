//! The mel filterbank whisper.cpp expects inside a model file: Slaney-style triangular filters
//! with Slaney area normalisation, as librosa's `filters.mel(sr=16000, n_fft=400)` computes and
//! OpenAI's Whisper ships.

pub(super) const SAMPLE_RATE: f64 = 16_000.0;
pub(super) const N_FFT: usize = 400;

// Slaney's mel scale: linear below 1 kHz, logarithmic above.
const F_SP: f64 = 200.0 / 3.0;
const MIN_LOG_HZ: f64 = 1000.0;
const MIN_LOG_MEL: f64 = MIN_LOG_HZ / F_SP;

fn log_step() -> f64 {
    6.4f64.ln() / 27.0
}

fn hz_to_mel(hz: f64) -> f64 {
    if hz >= MIN_LOG_HZ { MIN_LOG_MEL + (hz / MIN_LOG_HZ).ln() / log_step() } else { hz / F_SP }
}

fn mel_to_hz(mel: f64) -> f64 {
    if mel >= MIN_LOG_MEL {
        MIN_LOG_HZ * (log_step() * (mel - MIN_LOG_MEL)).exp()
    } else {
        F_SP * mel
    }
}

/// `n_mels` rows of `N_FFT / 2 + 1` weights, row-major.
pub(super) fn filterbank(n_mels: usize) -> Vec<f32> {
    let n_bins = N_FFT / 2 + 1;
    let fft_freqs: Vec<f64> = (0..n_bins).map(|i| i as f64 * SAMPLE_RATE / N_FFT as f64).collect();
    let (low, high) = (hz_to_mel(0.0), hz_to_mel(SAMPLE_RATE / 2.0));
    let mel_points: Vec<f64> = (0..n_mels + 2)
        .map(|i| mel_to_hz(low + (high - low) * i as f64 / (n_mels + 1) as f64))
        .collect();
    let mut weights = Vec::with_capacity(n_mels * n_bins);
    for m in 0..n_mels {
        let (left, centre, right) = (mel_points[m], mel_points[m + 1], mel_points[m + 2]);
        let norm = 2.0 / (right - left);
        for &f in &fft_freqs {
            let rising = (f - left) / (centre - left);
            let falling = (right - f) / (right - centre);
            weights.push((rising.min(falling).max(0.0) * norm) as f32);
        }
    }
    weights
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_librosa_slaney_filters() {
        let bank = filterbank(80);
        assert_eq!(bank.len(), 80 * 201);
        // Values of mel_80 in OpenAI Whisper's assets/mel_filters.npz (librosa, Slaney).
        let expected = [
            (0, 1, 0.024_862_595_f32),
            (1, 2, 0.022_871_772),
            (20, 20, 0.013_890_394),
            (40, 43, 0.014_735_566),
            (60, 93, 0.006_591_093),
            (79, 192, 0.003_164_712),
            (79, 198, 0.000_897_518),
            (40, 40, 0.0),
        ];
        for (row, col, value) in expected {
            let got = bank[row * 201 + col];
            assert!((got - value).abs() < 1e-7, "[{row}][{col}] = {got}, expected {value}");
        }
        assert!(bank.iter().all(|w| *w >= 0.0));
        for row in 0..80 {
            assert!(
                bank[row * 201..(row + 1) * 201].iter().any(|w| *w > 0.0),
                "row {row} is empty"
            );
        }
    }
}
