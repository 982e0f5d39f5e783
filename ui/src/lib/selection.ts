// Maps the browser's text selection inside the transcript back to character offsets of the
// note. Each rendered piece of text is an element with `data-start` (its first character)
// holding a single text node; labels the UI adds carry `data-skip` and never count.
import { indexToChar } from './text-offsets';
import type { Span } from './types';

function pieceOf(node: Node, root: Element): HTMLElement | null {
  const element = node instanceof HTMLElement ? node : node.parentElement;
  const piece = element?.closest<HTMLElement>('[data-start]') ?? null;
  return piece && root.contains(piece) && !piece.closest('[data-skip]') ? piece : null;
}

function offsetAt(node: Node, offset: number, root: Element, edge: 'start' | 'end'): number | null {
  const piece = pieceOf(node, root);
  if (piece) {
    const start = Number(piece.dataset.start);
    if (node.nodeType === Node.TEXT_NODE) return start + indexToChar(node.textContent ?? '', offset);
    // On the piece itself `offset` counts children: before its text or after it.
    return offset === 0 ? start : start + [...(piece.textContent ?? '')].length;
  }
  // The selection ends on a container (a block, a label): take the nearest piece inside it.
  const all = [...root.querySelectorAll<HTMLElement>('[data-start]')].filter((p) => !p.closest('[data-skip]'));
  const position = (p: HTMLElement) => {
    const range = document.createRange();
    range.setStart(node, offset);
    range.collapse(true);
    return range.comparePoint(p, 0);
  };
  if (edge === 'start') {
    const after = all.find((p) => position(p) >= 0);
    return after ? Number(after.dataset.start) : null;
  }
  const before = [...all].reverse().find((p) => position(p) <= 0);
  return before ? Number(before.dataset.start) + [...(before.textContent ?? '')].length : null;
}

/** The selected characters within `root`, or null when nothing in it is selected. */
export function selectedSpan(root: Element): Span | null {
  const selection = window.getSelection();
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  if (!root.contains(range.commonAncestorContainer)) return null;
  const start = offsetAt(range.startContainer, range.startOffset, root, 'start');
  const end = offsetAt(range.endContainer, range.endOffset, root, 'end');
  if (start === null || end === null || end <= start) return null;
  return { start, end };
}
