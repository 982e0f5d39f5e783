// A note's text laid out as segment blocks with own-words pieces, and where to open it.
import { describe, expect, test } from 'vitest';

import { layoutTranscript, targetSegment } from '../../src/lib/transcript';
import type { Segment } from '../../src/lib/types';

function segment(index: number, start: number, end: number, lowConfidence = false): Segment {
  return { index, startMs: index * 1000, endMs: index * 1000 + 900, text: '', span: { start, end }, confidence: lowConfidence ? 0.4 : 0.9, lowConfidence };
}

describe('layoutTranscript', () => {
  const text = 'Hello Joan. I miss my sister. Back soon.';

  test('a block per segment, plain text between them gets its own', () => {
    const blocks = layoutTranscript(text, [segment(0, 0, 11), segment(1, 12, 29, true)], []);
    expect(blocks.map((b) => [b.segment?.index ?? null, b.pieces.map((p) => p.text).join('')])).toEqual([
      [0, 'Hello Joan.'],
      [1, 'I miss my sister.'],
      [null, ' Back soon.'],
    ]);
    expect(blocks[1]?.segment?.lowConfidence).toBe(true);
  });

  test('own words are cut out with their offsets', () => {
    const blocks = layoutTranscript(text, [segment(0, 0, 11), segment(1, 12, 29)], [{ start: 14, end: 28 }]);
    expect(blocks[1]?.pieces).toEqual([
      { start: 12, end: 14, text: 'I ', own: false },
      { start: 14, end: 28, text: 'miss my sister', own: true },
      { start: 28, end: 29, text: '.', own: false },
    ]);
  });

  test('own words across two segments are split at the boundary', () => {
    const blocks = layoutTranscript(text, [segment(0, 0, 11), segment(1, 12, 29)], [{ start: 6, end: 18 }]);
    expect(blocks[0]?.pieces.filter((p) => p.own).map((p) => p.text)).toEqual(['Joan.']);
    expect(blocks[1]?.pieces.filter((p) => p.own).map((p) => p.text)).toEqual(['I miss']);
  });

  test('a typed note is one block; white space between segments is not a block', () => {
    expect(layoutTranscript('Typed note.', [], [])).toHaveLength(1);
    expect(layoutTranscript('ab  cd', [segment(0, 0, 2), segment(1, 4, 6)], [])).toHaveLength(2);
  });

  test('segments out of order, overlapping or past the end are tolerated', () => {
    const blocks = layoutTranscript('abcdef', [segment(1, 3, 99), segment(0, 0, 4)], []);
    expect(blocks.map((b) => [b.start, b.end])).toEqual([[0, 4], [4, 6]]);
  });
});

describe('targetSegment', () => {
  const segments = [segment(0, 0, 5), segment(1, 6, 10), segment(2, 11, 15)];

  test('by index, else by the time in the audio', () => {
    expect(targetSegment(segments, 2, null)).toBe(2);
    expect(targetSegment(segments, 7, 1500)).toBe(1);
    expect(targetSegment(segments, null, 1950)).toBe(1);
    expect(targetSegment(segments, null, 99_000)).toBe(2);
    expect(targetSegment(segments, null, null)).toBeNull();
    expect(targetSegment([], null, 500)).toBeNull();
  });
});
