// Search snippets cut into marked and plain pieces, by character offsets, keeping all text as text.
import { describe, expect, test } from 'vitest';

import { splitHighlights } from '../../src/lib/highlight';

describe('splitHighlights', () => {
  test('cuts a snippet into plain and marked pieces', () => {
    expect(splitHighlights('she feels lonely at school', [[10, 16]])).toEqual([
      { text: 'she feels ', marked: false },
      { text: 'lonely', marked: true },
      { text: ' at school', marked: false },
    ]);
  });

  test('keeps markup-looking text as text, for rendering as text nodes', () => {
    const pieces = splitHighlights('<b>patient</b> & <script>x</script>', [[3, 10]]);
    expect(pieces.map((p) => p.text).join('')).toBe('<b>patient</b> & <script>x</script>');
    expect(pieces[1]).toEqual({ text: 'patient', marked: true });
  });

  test('counts offsets in characters, so an emoji does not shift the mark', () => {
    const text = 'Amira drew a 🌈 and feels lonely';
    const start = [...text.slice(0, text.indexOf('lonely'))].length;
    expect(splitHighlights(text, [[start, start + 6]]).find((p) => p.marked)?.text).toBe('lonely');
  });

  test('sorts, joins and clips ranges instead of failing on them', () => {
    expect(splitHighlights('abcdef', [[4, 99], [0, 2], [1, 3]])).toEqual([
      { text: 'ab', marked: true },
      { text: 'c', marked: true },
      { text: 'd', marked: false },
      { text: 'ef', marked: true },
    ]);
    expect(splitHighlights('abc', [[2, 1], [-5, 0]])).toEqual([{ text: 'abc', marked: false }]);
  });

  test('an empty snippet has no pieces', () => {
    expect(splitHighlights('', [[0, 3]])).toEqual([]);
  });
});
