import { Fragment, useMemo } from 'react';
import { snippetParts } from './snippet';

/**
 * A search hit's excerpt with the matches in <mark>. Every part is a React text node: markup in
 * the text stays literal (see snippet.ts for how the server's markers are found).
 */
export function Snippet({
  snippet,
  body,
  query,
}: {
  snippet: string | null | undefined;
  body: string | null | undefined;
  query: string;
}) {
  const parts = useMemo(() => snippetParts(snippet, body, query), [snippet, body, query]);
  return (
    <span className="search-snippet" data-testid="search-hit-snippet">
      {parts.map((p, i) =>
        p.match ? (
          <mark key={i} className="search-match" data-testid="search-hit-match">
            {p.text}
          </mark>
        ) : (
          <Fragment key={i}>{p.text}</Fragment>
        ),
      )}
    </span>
  );
}
