// The shell counts offsets in characters (Unicode scalar values, as Rust's `chars()` does);
// JavaScript strings index UTF-16 code units. These convert between the two, so a name with
// an emoji or a letter outside the Basic Multilingual Plane does not shift every mark after it.

/** The UTF-16 index of the character at offset `chars` (clamped to the text). */
export function charToIndex(text: string, chars: number): number {
  if (chars <= 0) return 0;
  let index = 0;
  let count = 0;
  while (index < text.length && count < chars) {
    const code = text.charCodeAt(index);
    index += code >= 0xd800 && code <= 0xdbff && index + 1 < text.length ? 2 : 1;
    count += 1;
  }
  return index;
}

/** The character offset of UTF-16 index `index`. */
export function indexToChar(text: string, index: number): number {
  let count = 0;
  let i = 0;
  const limit = Math.min(Math.max(index, 0), text.length);
  while (i < limit) {
    const code = text.charCodeAt(i);
    i += code >= 0xd800 && code <= 0xdbff && i + 1 < text.length ? 2 : 1;
    count += 1;
  }
  return count;
}

/** The characters `[start, end)` of `text`. */
export function sliceChars(text: string, start: number, end: number): string {
  return text.slice(charToIndex(text, start), charToIndex(text, end));
}

/** How many characters `text` holds. */
export function charLength(text: string): number {
  return indexToChar(text, text.length);
}
