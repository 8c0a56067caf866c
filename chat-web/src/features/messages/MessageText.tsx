import type { ReactNode } from 'react';
import { parseBlocks, type Inline } from './markdown';

// Renders a message body as React elements only: every piece of text is a text node, so markup in
// a message can never become HTML. Links are limited to http/https/mailto by safeHref().

function renderInline(nodes: Inline[], me: string | undefined, keyPrefix: string): ReactNode[] {
  return nodes.map((n, i) => {
    const key = `${keyPrefix}${i}`;
    switch (n.t) {
      case 'text':
        return n.v;
      case 'code':
        return <code key={key}>{n.v}</code>;
      case 'bold':
        return <strong key={key}>{renderInline(n.c, me, `${key}.`)}</strong>;
      case 'italic':
        return <em key={key}>{renderInline(n.c, me, `${key}.`)}</em>;
      case 'link':
        return (
          <a key={key} href={n.href} target="_blank" rel="noopener noreferrer">
            {n.v}
          </a>
        );
      case 'mention': {
        const name = n.username.toLowerCase();
        // @room mentions everyone, me included.
        const self = !!me && (name === me.toLowerCase() || name === 'room');
        return (
          <span key={key} className={self ? 'mention mention-self' : 'mention'}>
            {n.v}
          </span>
        );
      }
    }
  });
}

export function MessageText({ body, myUsername }: { body: string; myUsername?: string }) {
  const blocks = parseBlocks(body);
  return (
    <div className="message-text">
      {blocks.map((b, i) =>
        b.t === 'codeblock' ? (
          <pre key={i} className="code-block">
            <code>{b.v}</code>
          </pre>
        ) : (
          <p key={i}>{renderInline(b.c, myUsername, `${i}:`)}</p>
        ),
      )}
    </div>
  );
}
