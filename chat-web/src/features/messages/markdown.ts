// A small, safe markdown subset for message bodies: **bold**, *italic*, `code`, ```code blocks```,
// autolinked http/https/mailto URLs and @mentions. It produces plain data (no HTML strings); the
// renderer (MessageText.tsx) turns it into React elements, so the text is always escaped.

export type Inline =
  | { t: 'text'; v: string }
  | { t: 'code'; v: string }
  | { t: 'bold'; c: Inline[] }
  | { t: 'italic'; c: Inline[] }
  | { t: 'link'; href: string; v: string }
  | { t: 'mention'; v: string; username: string };

export type Block = { t: 'codeblock'; v: string } | { t: 'para'; c: Inline[] };

const ALLOWED_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/** The URL when it is a link we allow (http, https, mailto), else null. */
export function safeHref(raw: string): string | null {
  const trimmed = raw.trim();
  // Only explicit, absolute URLs: no relative or protocol-relative links, no control characters.
  if (!/^(https?:\/\/|mailto:)/i.test(trimmed)) return null;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\s]/.test(trimmed)) return null;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return null;
  }
  if (!ALLOWED_PROTOCOLS.has(url.protocol)) return null;
  if (url.protocol !== 'mailto:' && !url.hostname) return null;
  return url.href;
}

const FENCE = /```([^\n`]*)\n?([\s\S]*?)```/g;

export function parseBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let last = 0;
  FENCE.lastIndex = 0;
  for (let m = FENCE.exec(text); m; m = FENCE.exec(text)) {
    const before = text.slice(last, m.index);
    if (before) blocks.push({ t: 'para', c: parseInline(trimBlockEdges(before)) });
    // ```lang\ncode``` keeps only the code; ```code``` on one line keeps it all.
    const hasNewline = m[0].slice(3).includes('\n');
    const code = hasNewline ? (m[2] ?? '') : `${m[1] ?? ''}${m[2] ?? ''}`;
    blocks.push({ t: 'codeblock', v: code.replace(/\n$/, '') });
    last = m.index + m[0].length;
  }
  const rest = text.slice(last);
  if (rest || blocks.length === 0) blocks.push({ t: 'para', c: parseInline(last > 0 ? trimBlockEdges(rest) : rest) });
  return blocks.filter((b) => b.t === 'codeblock' || b.c.length > 0);
}

function trimBlockEdges(s: string): string {
  return s.replace(/^\n/, '').replace(/\n$/, '');
}

const INLINE =
  /(`[^`\n]+`)|(\*\*(?=\S)([\s\S]*?\S)\*\*)|(\*(?=[^\s*])([^*\n]*?[^\s*])\*)|((?:https?:\/\/|mailto:)[^\s<>]+)|((?<![\w@/])@([A-Za-z0-9_][A-Za-z0-9_.-]*[A-Za-z0-9_]|[A-Za-z0-9_]))/gi;

const TRAILING = /[.,;:!?'"]+$/;

function splitTrailing(url: string): [string, string] {
  let core = url;
  let tail = '';
  for (;;) {
    const punct = TRAILING.exec(core);
    if (punct) {
      tail = punct[0] + tail;
      core = core.slice(0, -punct[0].length);
      continue;
    }
    if (core.endsWith(')') && (core.match(/\(/g)?.length ?? 0) < (core.match(/\)/g)?.length ?? 0)) {
      tail = `)${tail}`;
      core = core.slice(0, -1);
      continue;
    }
    return [core, tail];
  }
}

export function parseInline(text: string, depth = 0): Inline[] {
  const out: Inline[] = [];
  const push = (node: Inline) => {
    const prev = out[out.length - 1];
    if (node.t === 'text' && prev?.t === 'text') prev.v += node.v;
    else if (node.t !== 'text' || node.v) out.push(node);
  };
  const re = new RegExp(INLINE.source, INLINE.flags);
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    push({ t: 'text', v: text.slice(last, m.index) });
    last = m.index + m[0].length;
    if (m[1]) {
      push({ t: 'code', v: m[1].slice(1, -1) });
    } else if (m[2]) {
      const inner = m[3] ?? '';
      push(depth < 3 ? { t: 'bold', c: parseInline(inner, depth + 1) } : { t: 'text', v: m[2] });
    } else if (m[4]) {
      const inner = m[5] ?? '';
      push(depth < 3 ? { t: 'italic', c: parseInline(inner, depth + 1) } : { t: 'text', v: m[4] });
    } else if (m[6]) {
      const [core, tail] = splitTrailing(m[6]);
      const href = safeHref(core);
      if (href) push({ t: 'link', href, v: core });
      else push({ t: 'text', v: core });
      push({ t: 'text', v: tail });
    } else if (m[7]) {
      push({ t: 'mention', v: m[7], username: m[8] ?? m[7].slice(1) });
    }
  }
  push({ t: 'text', v: text.slice(last) });
  return out;
}
