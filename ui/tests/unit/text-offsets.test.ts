// Rust counts characters, JavaScript UTF-16 units: the conversions between them.
import { describe, expect, test } from 'vitest';

import { charLength, charToIndex, indexToChar, sliceChars } from '../../src/lib/text-offsets';

describe('character offsets as Rust counts them', () => {
  const text = 'a🌈b’c';

  test('characters outside the BMP count once', () => {
    expect(charLength(text)).toBe(5);
    expect(text.length).toBe(6);
    expect(sliceChars(text, 2, 5)).toBe('b’c');
    expect(sliceChars(text, 1, 2)).toBe('🌈');
  });

  test('round trips between characters and UTF-16 indexes', () => {
    for (let chars = 0; chars <= 5; chars += 1) {
      expect(indexToChar(text, charToIndex(text, chars))).toBe(chars);
    }
    expect(charToIndex(text, 99)).toBe(text.length);
    expect(charToIndex(text, -1)).toBe(0);
  });
});
