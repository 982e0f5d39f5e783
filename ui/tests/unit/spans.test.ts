// Marking and unmarking the person's own words keeps a sorted list of separate spans.
import { describe, expect, test } from 'vitest';

import { addSpan, mergeSpans, overlaps, subtractSpan, trimSpan } from '../../src/lib/spans';

describe('own-words spans', () => {
  test('merging sorts, joins overlapping and touching spans, drops empty ones', () => {
    expect(
      mergeSpans([
        { start: 20, end: 25 },
        { start: 0, end: 5 },
        { start: 4, end: 8 },
        { start: 8, end: 10 },
        { start: 12, end: 12 },
      ]),
    ).toEqual([
      { start: 0, end: 10 },
      { start: 20, end: 25 },
    ]);
  });

  test('merging does not change the spans it was given', () => {
    const spans = [{ start: 0, end: 5 }, { start: 3, end: 9 }];
    mergeSpans(spans);
    expect(spans).toEqual([{ start: 0, end: 5 }, { start: 3, end: 9 }]);
  });

  test('adding a span inside or across others', () => {
    expect(addSpan([{ start: 0, end: 5 }], { start: 2, end: 3 })).toEqual([{ start: 0, end: 5 }]);
    expect(addSpan([{ start: 0, end: 5 }, { start: 10, end: 12 }], { start: 4, end: 11 })).toEqual([{ start: 0, end: 12 }]);
  });

  test('removing the middle of a span splits it', () => {
    expect(subtractSpan([{ start: 0, end: 10 }], { start: 3, end: 6 })).toEqual([
      { start: 0, end: 3 },
      { start: 6, end: 10 },
    ]);
    expect(subtractSpan([{ start: 0, end: 10 }, { start: 20, end: 30 }], { start: 5, end: 25 })).toEqual([
      { start: 0, end: 5 },
      { start: 25, end: 30 },
    ]);
    expect(subtractSpan([{ start: 0, end: 10 }], { start: 10, end: 20 })).toEqual([{ start: 0, end: 10 }]);
  });

  test('overlap and trimming', () => {
    expect(overlaps([{ start: 0, end: 5 }], { start: 5, end: 9 })).toBe(false);
    expect(overlaps([{ start: 0, end: 5 }], { start: 4, end: 9 })).toBe(true);
    expect(trimSpan([...'  I miss her  '], { start: 0, end: 14 })).toEqual({ start: 2, end: 12 });
    expect(trimSpan([...'   '], { start: 0, end: 3 })).toEqual({ start: 3, end: 3 });
  });
});
