// A note's text laid out for review: one block per transcript segment (text outside any
// segment gets blocks of its own), each cut into pieces that are or are not the person's own
// words. Every piece keeps its character offsets, so a selection maps back to the note text.
import { charLength, sliceChars } from './text-offsets';
import { mergeSpans } from './spans';
import type { Segment, Span } from './types';

export interface TextPiece {
  start: number;
  end: number;
  text: string;
  own: boolean;
}

export interface Block {
  segment: Segment | null;
  start: number;
  end: number;
  pieces: TextPiece[];
}

function pieces(text: string, start: number, end: number, own: readonly Span[]): TextPiece[] {
  const out: TextPiece[] = [];
  let at = start;
  for (const span of own) {
    const from = Math.max(span.start, at);
    const to = Math.min(span.end, end);
    if (to <= from) continue;
    if (from > at) out.push({ start: at, end: from, text: sliceChars(text, at, from), own: false });
    out.push({ start: from, end: to, text: sliceChars(text, from, to), own: true });
    at = to;
  }
  if (at < end) out.push({ start: at, end, text: sliceChars(text, at, end), own: false });
  return out;
}

export function layoutTranscript(
  text: string,
  segments: readonly Segment[],
  ownWords: readonly Span[],
): Block[] {
  const length = charLength(text);
  const own = mergeSpans(ownWords);
  const blocks: Block[] = [];
  const gap = (start: number, end: number) => {
    if (end <= start || sliceChars(text, start, end).trim() === '') return;
    blocks.push({ segment: null, start, end, pieces: pieces(text, start, end, own) });
  };
  let at = 0;
  const ordered = [...segments].sort((a, b) => a.span.start - b.span.start);
  for (const segment of ordered) {
    const start = Math.max(at, Math.min(segment.span.start, length));
    const end = Math.max(start, Math.min(segment.span.end, length));
    gap(at, start);
    if (end > start) blocks.push({ segment, start, end, pieces: pieces(text, start, end, own) });
    at = Math.max(at, end);
  }
  gap(at, length);
  return blocks;
}

/** The segment to open a note at: the one named, else the one playing at `atMs`. */
export function targetSegment(segments: readonly Segment[], index: number | null, atMs: number | null): number | null {
  if (index !== null && segments.some((s) => s.index === index)) return index;
  if (atMs === null) return null;
  const playing = segments.find((s) => s.startMs <= atMs && atMs < s.endMs);
  if (playing) return playing.index;
  const before = segments.filter((s) => s.startMs <= atMs).at(-1);
  return before?.index ?? null;
}
