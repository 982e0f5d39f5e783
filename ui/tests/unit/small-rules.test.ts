// The small pure rules behind the screens: first-run checks, the level meter, the sync line,
// chronology order, labels and the saved colour scheme.
import { describe, expect, test } from 'vitest';

import { sortChronology } from '../../src/lib/chronology';
import { effectiveScheme, loadChoice, saveChoice } from '../../src/lib/colour-scheme';
import { supportLabel, themeName, tieName } from '../../src/lib/labels';
import { levelPercent, levelWord } from '../../src/lib/levels';
import { syncLine } from '../../src/lib/sync-text';
import type { ChronologyEntry, SyncSummary } from '../../src/lib/types';
import { isValid, validateFirstRun } from '../../src/lib/validation';

describe('first-run rules', () => {
  test('name, length and match', () => {
    expect(validateFirstRun({ practitioner: ' ', passphrase: 'short', confirm: 'other' })).toEqual({
      practitioner: 'Enter your name.',
      passphrase: 'Use at least 8 characters.',
      confirm: 'The two passphrases do not match.',
    });
    expect(isValid(validateFirstRun({ practitioner: 'Sam', passphrase: '12345678', confirm: '12345678' }))).toBe(true);
  });

  test('length counts characters, not UTF-16 units', () => {
    expect(validateFirstRun({ practitioner: 'Sam', passphrase: '🌈🌈🌈🌈', confirm: '🌈🌈🌈🌈' }).passphrase).toBeDefined();
  });
});

describe('level meter', () => {
  test('a decibel scale from -60 dBFS', () => {
    expect(levelPercent(0)).toBe(0);
    expect(levelPercent(0.001)).toBe(0);
    expect(levelPercent(0.01)).toBe(33);
    expect(levelPercent(0.1)).toBe(67);
    expect(levelPercent(1)).toBe(100);
    expect(levelPercent(3)).toBe(100);
    expect(levelPercent(Number.NaN)).toBe(0);
  });

  test('in words', () => {
    expect(levelWord(0.0005, 0.001)).toBe('silent');
    expect(levelWord(0.01, 0.02)).toBe('quiet');
    expect(levelWord(0.1, 0.3)).toBe('good');
    expect(levelWord(0.5, 1)).toBe('too loud');
  });
});

describe('sync line', () => {
  const base: SyncSummary = { configured: true, server: 'https://s', queued: 0, queuedAudio: 0, unqueued: 0, incomingRecordings: 0, setAside: 0, lastSuccess: null, lastError: null, safeToClose: true };

  test('what the banner says', () => {
    expect(syncLine(base)).toEqual({ safe: true, text: 'Safe to close' });
    expect(syncLine({ ...base, queued: 2, unqueued: 1, safeToClose: false })).toEqual({ safe: false, text: '3 waiting to sync' });
    expect(syncLine({ ...base, safeToClose: false })).toEqual({ safe: false, text: 'Not safe to close yet' });
    expect(syncLine({ ...base, configured: false, server: null }).text).toBe('Sync is not set up. Records stay on this device.');
    expect(syncLine({ ...base, configured: false, queued: 1 }).text).toBe('1 record kept on this device. Sync is not set up.');
  });
});

describe('chronology order', () => {
  const entry = (noteId: string, date: string | null): ChronologyEntry => ({ noteId, date, theme: 't', label: 'T', text: '', start: 0, end: 1, startMs: null, confirmed: true });

  test('oldest first, undated last, ties keep their order', () => {
    const sorted = sortChronology([entry('c', '2026-03-01'), entry('x', null), entry('a', '2025-01-01'), entry('b1', '2026-01-01'), entry('b2', '2026-01-01')]);
    expect(sorted.map((e) => e.noteId)).toEqual(['a', 'b1', 'b2', 'c', 'x']);
  });
});

describe('labels', () => {
  test('support is said from the subject’s side', () => {
    expect(supportLabel('to_subject', 'Joan')).toBe('Supports Joan');
    expect(supportLabel('from_subject', 'Joan')).toBe('Joan supports them');
  });

  test('tie names and theme names', () => {
    expect(tieName({ who: 'Karen', role: 'daughter' })).toBe('Karen (daughter)');
    expect(tieName({ who: 'GP', role: 'gp' })).toBe('GP');
    expect(themeName('domestic_abuse')).toBe('Domestic abuse');
    expect(themeName('alcohol', { alcohol: 'Alcohol misuse' })).toBe('Alcohol misuse');
    expect(themeName('Already a label')).toBe('Already a label');
  });
});

describe('colour scheme', () => {
  test('the device decides unless a choice was saved', () => {
    const saved = new Map<string, string>();
    const storage = {
      getItem: (k: string) => saved.get(k) ?? null,
      setItem: (k: string, v: string) => void saved.set(k, v),
      removeItem: (k: string) => void saved.delete(k),
    };
    expect(loadChoice(storage)).toBe('system');
    expect(effectiveScheme('system', true)).toBe('night');
    saveChoice('day', storage);
    expect(loadChoice(storage)).toBe('day');
    expect(effectiveScheme('day', true)).toBe('day');
    saveChoice('system', storage);
    expect(saved.size).toBe(0);
    saved.set('doorstep.scheme', 'purple');
    expect(loadChoice(storage)).toBe('system');
  });
});
