// The recording level meter's scale: microphone RMS and peak (0–1) shown on a decibel scale,
// so a quiet voice in a car still moves the bar, with a word for what the level means.

const FLOOR_DB = -60;

/** 0–100: where a 0–1 amplitude sits between -60 dBFS and full scale. */
export function levelPercent(amplitude: number): number {
  if (!(amplitude > 0)) return 0;
  const db = 20 * Math.log10(Math.min(amplitude, 1));
  return Math.round(Math.max(0, Math.min(100, ((db - FLOOR_DB) / -FLOOR_DB) * 100)));
}

/** What the level means for the recording, in words (the meter never relies on colour). */
export function levelWord(rms: number, peak: number): 'silent' | 'quiet' | 'good' | 'too loud' {
  if (peak >= 0.99) return 'too loud';
  const percent = levelPercent(rms);
  if (percent < 15) return 'silent';
  if (percent < 45) return 'quiet';
  return 'good';
}
