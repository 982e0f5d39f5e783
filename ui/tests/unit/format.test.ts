// Timers, durations, dates, sizes and greetings as the screens show them.
import { describe, expect, test } from 'vitest';

import {
  formatBytes,
  formatDate,
  formatDuration,
  formatInstant,
  formatPercent,
  formatTimer,
  greeting,
  isoToday,
  plural,
} from '../../src/lib/format';

describe('formatTimer', () => {
  test.each([
    [0, '0:00'],
    [999, '0:00'],
    [7_000, '0:07'],
    [754_000, '12:34'],
    [3_723_000, '1:02:03'],
    [-50, '0:00'],
  ])('%i ms reads %s', (ms, text) => {
    expect(formatTimer(ms)).toBe(text);
  });
});

describe('formatDuration', () => {
  test('in words, singular and plural', () => {
    expect(formatDuration(0)).toBe('0 seconds');
    expect(formatDuration(1_000)).toBe('1 second');
    expect(formatDuration(65_000)).toBe('1 minute 5 seconds');
    expect(formatDuration(3_600_000)).toBe('1 hour');
    expect(formatDuration(7_322_000)).toBe('2 hours 2 minutes 2 seconds');
  });
});

describe('dates', () => {
  test('a date reads the British way', () => {
    expect(formatDate('2026-03-03')).toBe('3 March 2026');
    expect(formatDate('2026-12-25')).toBe('25 December 2026');
    expect(formatDate(null)).toBe('No date');
    expect(formatDate('soon')).toBe('soon');
    expect(formatDate('2026-13-01')).toBe('2026-13-01');
  });

  test('an instant reads in local time', () => {
    const local = new Date(2026, 11, 1, 8, 5);
    expect(formatInstant(local.toISOString())).toBe('1 December 2026 at 08:05');
    expect(formatInstant(null)).toBe('Never');
  });

  test('today as YYYY-MM-DD', () => {
    expect(isoToday(new Date(2026, 0, 9))).toBe('2026-01-09');
  });

  test('greeting by time of day', () => {
    expect(greeting('Sam', new Date(2026, 0, 1, 9))).toBe('Good morning, Sam');
    expect(greeting('Sam', new Date(2026, 0, 1, 14))).toBe('Good afternoon, Sam');
    expect(greeting(null, new Date(2026, 0, 1, 20))).toBe('Good evening');
  });
});

describe('sizes and counts', () => {
  test('bytes', () => {
    expect(formatBytes(512)).toBe('512 bytes');
    expect(formatBytes(77_691_713)).toBe('77.7 MB');
    expect(formatBytes(147_951_465)).toBe('148 MB');
    expect(formatBytes(1_500_000_000)).toBe('1.5 GB');
    expect(formatBytes(2_000)).toBe('2 KB');
  });

  test('plurals and percentages', () => {
    expect(plural(1, 'note')).toBe('1 note');
    expect(plural(0, 'note')).toBe('0 notes');
    expect(plural(2, 'person', 'people')).toBe('2 people');
    expect(formatPercent(0.815)).toBe('82%');
    expect(formatPercent(1.4)).toBe('100%');
  });
});
