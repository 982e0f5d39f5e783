// Span arithmetic for the person's own words: marking a selection adds a span, unmarking
// removes one, and the list sent to `set_own_words` is always sorted and non-overlapping.
import type { Span } from './types';

/** Sorted, with overlapping or touching spans joined and empty ones dropped. */
export function mergeSpans(spans: readonly Span[]): Span[] {
  const sorted = spans
    .filter((s) => s.end > s.start)
    .map((s) => ({ start: s.start, end: s.end }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: Span[] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push(span);
  }
  return merged;
}

export function addSpan(spans: readonly Span[], added: Span): Span[] {
  return mergeSpans([...spans, added]);
}

/** `spans` with every character of `removed` taken out (a span may split in two). */
export function subtractSpan(spans: readonly Span[], removed: Span): Span[] {
  const out: Span[] = [];
  for (const span of mergeSpans(spans)) {
    if (removed.end <= span.start || removed.start >= span.end) {
      out.push(span);
      continue;
    }
    if (span.start < removed.start) out.push({ start: span.start, end: removed.start });
    if (removed.end < span.end) out.push({ start: removed.end, end: span.end });
  }
  return out;
}

export function overlaps(spans: readonly Span[], span: Span): boolean {
  return spans.some((s) => s.start < span.end && span.start < s.end);
}

/** A span trimmed of the white space at either end of the text it covers (characters). */
export function trimSpan(chars: readonly string[], span: Span): Span {
  let { start, end } = span;
  while (start < end && /\s/.test(chars[start] ?? '')) start += 1;
  while (end > start && /\s/.test(chars[end - 1] ?? '')) end -= 1;
  return { start, end };
}
