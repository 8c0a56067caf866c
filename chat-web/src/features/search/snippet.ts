// Search snippets as data: the server's excerpt, with its match markers, split into plain and
// matched parts. The snippet is untrusted text; the UI turns these parts into React text nodes and
// <mark> elements, never into HTML.
//
// What the server sends (docs/protocol.md, both stores): about 30 characters of the body either
// side of the first match, "…" where it cut, and the match wrapped in "[" and "]". The body may
// contain brackets of its own, so the markers are found by lining the snippet up with the body
// that comes with the hit: only one pair of brackets, once removed, leaves a piece of the body.

export interface SnippetPart {
  text: string;
  /** A matched term: shown highlighted. */
  match: boolean;
}

export const MARK_OPEN = '[';
export const MARK_CLOSE = ']';
export const ELLIPSIS = '\u2026';

/** Give up lining up after this many bracket pairs (a body full of brackets) and take the first. */
const MAX_PAIRS = 400;

/**
 * The words of a query, lower-cased, without duplicates. Words without a letter or digit are
 * dropped unless `all` (they are not highlighted on their own: "-" would light up every dash).
 */
export function queryTerms(query: string, all = false): string[] {
  const out: string[] = [];
  for (const raw of query.trim().split(/\s+/)) {
    const t = raw.toLowerCase();
    if (t && (all || /[\p{L}\p{N}]/u.test(t)) && !out.includes(t)) out.push(t);
  }
  return out;
}

/** Is `text` (what the server marked) one of the terms, or a word that starts with one? */
function termScore(text: string, terms: readonly string[]): number {
  const t = text.toLowerCase();
  if (terms.includes(t)) return 2;
  return terms.some((term) => t.startsWith(term) || term.startsWith(t)) ? 1 : 0;
}

/** Does `core` sit in `body` with text cut before it (`cutStart`) and after it (`cutEnd`) exactly as said? */
function fitsBody(core: string, body: string, cutStart: boolean, cutEnd: boolean): boolean {
  if (!cutStart && !cutEnd) return core === body;
  if (core.length >= body.length) return false;
  if (!cutStart) return body.startsWith(core);
  if (!cutEnd) return body.endsWith(core);
  for (let at = body.indexOf(core, 1); at > 0; at = body.indexOf(core, at + 1)) {
    if (at + core.length < body.length) return true;
  }
  return false;
}

/** Removing the brackets at `open` and `close` leaves a piece of `body`, cut where the ellipses say. */
function pairFits(snippet: string, body: string, open: number, close: number): boolean {
  const plain = snippet.slice(0, open) + snippet.slice(open + 1, close) + snippet.slice(close + 1);
  // "…" at either end means the server cut there, unless the body itself has one there.
  const lead = open > 0 && snippet.startsWith(ELLIPSIS);
  const trail = close < snippet.length - 1 && snippet.endsWith(ELLIPSIS);
  for (const cutStart of lead ? [true, false] : [false]) {
    for (const cutEnd of trail ? [true, false] : [false]) {
      const core = plain.slice(cutStart ? 1 : 0, plain.length - (cutEnd ? 1 : 0));
      if (fitsBody(core, body, cutStart, cutEnd)) return true;
    }
  }
  return false;
}

/**
 * Where the server's markers are in `snippet`: the indexes of its "[" and "]", or null when it
 * marked nothing. With the hit's `body`, brackets that belong to the text are told apart from the
 * markers; among pairs that fit equally, the one around a query term wins, then the first.
 */
export function findMarkers(
  snippet: string,
  body: string | null | undefined,
  terms: readonly string[] = [],
): { open: number; close: number } | null {
  if (body !== null && body !== undefined && snippet === body) return null; // nothing was marked
  const opens: number[] = [];
  const closes: number[] = [];
  for (let i = 0; i < snippet.length; i++) {
    if (snippet[i] === MARK_OPEN) opens.push(i);
    else if (snippet[i] === MARK_CLOSE) closes.push(i);
  }
  let first: { open: number; close: number } | null = null;
  let best: { open: number; close: number; score: number } | null = null;
  let pairs = 0;
  for (const open of opens) {
    for (const close of closes) {
      if (close <= open + 1) continue; // a marked match is never empty
      first ??= { open, close };
      if (body === null || body === undefined || ++pairs > MAX_PAIRS) return first;
      if (!pairFits(snippet, body, open, close)) continue;
      const score = termScore(snippet.slice(open + 1, close), terms);
      if (!best || score > best.score) best = { open, close, score };
      if (score === 2) return { open, close };
    }
  }
  if (best) return { open: best.open, close: best.close };
  return body === null || body === undefined ? first : null;
}

const WORD = /[\p{L}\p{N}_]/u;

/**
 * Splits plain text around every occurrence of a term that starts a word (case-insensitive), the
 * way the search matches words by their beginning ("deploy" finds "Deployment").
 */
export function highlightTerms(text: string, terms: readonly string[]): SnippetPart[] {
  const sorted = [...terms].sort((a, b) => b.length - a.length);
  const parts: SnippetPart[] = [];
  let plainFrom = 0;
  let i = 0;
  while (i < text.length) {
    const atWordStart = i === 0 || !WORD.test(text[i - 1] ?? '');
    const term = atWordStart ? sorted.find((t) => text.slice(i, i + t.length).toLowerCase() === t) : undefined;
    if (term) {
      if (i > plainFrom) parts.push({ text: text.slice(plainFrom, i), match: false });
      parts.push({ text: text.slice(i, i + term.length), match: true });
      i += term.length;
      plainFrom = i;
    } else {
      i += 1;
    }
  }
  if (plainFrom < text.length) parts.push({ text: text.slice(plainFrom), match: false });
  return parts;
}

/**
 * The parts of a hit's snippet: the server's marked match, plus the other query terms found in the
 * rest of the text. Without a snippet, the body is used. Concatenating the parts' text gives the
 * snippet without its two markers.
 */
export function snippetParts(
  snippet: string | null | undefined,
  body: string | null | undefined,
  query = '',
): SnippetPart[] {
  const terms = queryTerms(query);
  const text = snippet ?? body ?? '';
  const markers = findMarkers(text, snippet === null || snippet === undefined ? text : body, queryTerms(query, true));
  if (!markers) return highlightTerms(text, terms);
  const { open, close } = markers;
  return [
    ...highlightTerms(text.slice(0, open), terms),
    { text: text.slice(open + 1, close), match: true },
    ...highlightTerms(text.slice(close + 1), terms),
  ].filter((p) => p.text.length > 0);
}
