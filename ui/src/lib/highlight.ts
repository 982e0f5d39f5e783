// A search snippet cut into plain and marked pieces, to be rendered as text nodes and <mark>s:
// never as HTML, so whatever a note contains is shown as written.
import { charLength, sliceChars } from './text-offsets';

export interface Piece {
  text: string;
  marked: boolean;
}

/**
 * Splits `snippet` at the character ranges `highlights`. Ranges out of order, overlapping or
 * past the end are tolerated: they are sorted, joined and clipped, never thrown on.
 */
export function splitHighlights(snippet: string, highlights: readonly [number, number][]): Piece[] {
  const length = charLength(snippet);
  const ranges = highlights
    .map(([s, e]) => [Math.max(0, Math.min(s, length)), Math.max(0, Math.min(e, length))] as const)
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0]);
  const pieces: Piece[] = [];
  let at = 0;
  for (const [start, end] of ranges) {
    const from = Math.max(start, at);
    if (end <= from) continue;
    if (from > at) pieces.push({ text: sliceChars(snippet, at, from), marked: false });
    pieces.push({ text: sliceChars(snippet, from, end), marked: true });
    at = end;
  }
  if (at < length) pieces.push({ text: sliceChars(snippet, at, length), marked: false });
  return pieces;
}
