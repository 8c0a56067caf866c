// Scroll decisions of the message list, kept pure so they can be tested without a layout engine.

/** Within this many pixels of the end counts as "at the bottom". */
export const BOTTOM_SLACK_PX = 48;
/** Start loading older history this close to the top. */
export const LOAD_OLDER_PX = 400;

export function isAtBottom(el: { scrollTop: number; scrollHeight: number; clientHeight: number }): boolean {
  return el.scrollHeight - el.scrollTop - el.clientHeight <= BOTTOM_SLACK_PX;
}

export type ScrollAction = { kind: 'none' } | { kind: 'bottom' } | { kind: 'keep'; delta: number };

/**
 * What to do after the list changed:
 * - older messages were prepended: move down by the height they added, so what the reader looked
 *   at stays put;
 * - something was appended while at the bottom, or I sent a message: follow to the bottom;
 * - otherwise leave the scroll position alone (the "new messages" pill tells about new ones).
 */
export function scrollAfterChange(p: {
  prevLowest: number | null;
  lowest: number | null;
  prevHeight: number;
  height: number;
  wasAtBottom: boolean;
  iSentLast: boolean;
}): ScrollAction {
  if (p.prevLowest !== null && p.lowest !== null && p.lowest < p.prevLowest) {
    return { kind: 'keep', delta: p.height - p.prevHeight };
  }
  if (p.wasAtBottom || p.iSentLast) return { kind: 'bottom' };
  return { kind: 'none' };
}

export interface SeqRect {
  seq: number;
  top: number;
  bottom: number;
}

/** The highest seq whose row is at least partly inside the viewport [top, bottom]. */
export function highestVisibleSeq(rows: readonly SeqRect[], viewTop: number, viewBottom: number): number | null {
  let best: number | null = null;
  for (const r of rows) {
    if (r.bottom > viewTop && r.top < viewBottom && (best === null || r.seq > best)) best = r.seq;
  }
  return best;
}
