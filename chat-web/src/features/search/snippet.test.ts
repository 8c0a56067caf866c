// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { findMarkers, highlightTerms, queryTerms, snippetParts, type SnippetPart } from './snippet';

/** The parts as a string, matches in {braces}, for compact expectations. */
const show = (parts: SnippetPart[]) => parts.map((p) => (p.match ? `{${p.text}}` : p.text)).join('');

describe('queryTerms', () => {
  it('splits on whitespace, lower-cases, drops duplicates and words without letters or digits', () => {
    expect(queryTerms('  Deploy  the  deploy -- NOW!  ')).toEqual(['deploy', 'the', 'now!']);
    expect(queryTerms('   ')).toEqual([]);
    expect(queryTerms('café Ünïcode 42')).toEqual(['café', 'ünïcode', '42']);
  });
});

describe('snippetParts: the server marks the match with [ and ]', () => {
  it('the example from docs/protocol.md', () => {
    expect(show(snippetParts('[Hello], Bob! (edited)', 'Hello, Bob! (edited)', 'hello'))).toBe(
      '{Hello}, Bob! (edited)',
    );
  });

  it('keeps the ellipses where the server cut the body', () => {
    const body = `${'a'.repeat(40)} the deploy finished at noon ${'b'.repeat(40)}`;
    const snippet = `…${'a'.repeat(25)} the [deploy] finished at noon ${'b'.repeat(12)}…`;
    const parts = snippetParts(snippet, body, 'deploy');
    expect(show(parts)).toBe(`…${'a'.repeat(25)} the {deploy} finished at noon ${'b'.repeat(12)}…`);
    expect(parts.filter((p) => p.match)).toHaveLength(1);
  });

  it('tells brackets of the text from the markers by lining the snippet up with the body', () => {
    // body: "see [docs] and [the deploy] notes", match "deploy"
    expect(
      show(snippetParts('see [docs] and [the [deploy]] notes', 'see [docs] and [the deploy] notes', 'deploy')),
    ).toBe('see [docs] and [the {deploy}] notes');
    // the match sits next to a bracket of the text
    expect(show(snippetParts('[[a]] a', '[a] a', 'a'))).toBe('[{a}] {a}');
    // a body of brackets only
    expect(show(snippetParts('[[]]]', '[]]', ']'))).toBe('[{]}]');
  });

  it('prefers the pair around a query term when two pairs fit the body', () => {
    // "x[y]" with the match "y" is "x[[y]]"; removing the outer pair leaves "x[y]" too.
    expect(findMarkers('x[[y]]', 'x[y]', ['y'])).toEqual({ open: 2, close: 4 });
  });

  it('a word that starts with the term counts (the SQLite store matches prefixes)', () => {
    expect(show(snippetParts('the [Deployment] is done', 'the Deployment is done', 'deploy'))).toBe(
      'the {Deployment} is done',
    );
  });

  it('highlights the other query terms in the rest of the excerpt, at word starts only', () => {
    expect(
      show(
        snippetParts(
          '[Release] notes: the release is redeployed, deploy again',
          'Release notes: the release is redeployed, deploy again',
          'release deploy',
        ),
      ),
    ).toBe('{Release} notes: the {release} is redeployed, {deploy} again');
  });

  it('shows a snippet without markers as it is, brackets included', () => {
    expect(show(snippetParts('no [marks] here', 'no [marks] here', 'zzz'))).toBe('no [marks] here');
    expect(findMarkers('plain text', 'plain text')).toBeNull();
  });

  it('without a snippet, uses the body and highlights the terms', () => {
    expect(show(snippetParts(undefined, 'Deploy [now]', 'deploy'))).toBe('{Deploy} [now]');
    expect(show(snippetParts(null, null, 'x'))).toBe('');
  });

  it('without the body, takes the first bracket pair', () => {
    expect(findMarkers('a [b] c', undefined)).toEqual({ open: 2, close: 4 });
    expect(findMarkers('a [] c', undefined)).toBeNull();
  });

  it('when nothing lines up with the body, shows the text literally (no guessing)', () => {
    expect(show(snippetParts('a [b] c', 'something else', 'q'))).toBe('a [b] c');
  });

  it('the parts always add up to the snippet without its two markers', () => {
    const cases: Array<[string, string, string]> = [
      ['[Hello], Bob!', 'Hello, Bob!', 'hello'],
      ['…x [y] z…', 'www x y z www', 'y'],
      ['<img src=x onerror=alert(1)> [deploy]', '<img src=x onerror=alert(1)> deploy', 'deploy'],
    ];
    for (const [snippet, body, q] of cases) {
      const markers = findMarkers(snippet, body, queryTerms(q));
      expect(markers).not.toBeNull();
      const { open, close } = markers!;
      const plain = snippet.slice(0, open) + snippet.slice(open + 1, close) + snippet.slice(close + 1);
      expect(
        snippetParts(snippet, body, q)
          .map((p) => p.text)
          .join(''),
      ).toBe(plain);
    }
  });

  it('stays fast on a body full of brackets', () => {
    const body = '[]'.repeat(8000);
    const snippet = `…${'[]'.repeat(15)}[[]]${'[]'.repeat(15)}…`;
    const started = Date.now();
    const parts = snippetParts(snippet, body, '[');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(parts.map((p) => p.text).join('').length).toBe(snippet.length - 2);
  });
});

describe('highlightTerms', () => {
  it('is case-insensitive and keeps the original text', () => {
    expect(show(highlightTerms('Ship it, SHIP it', ['ship']))).toBe('{Ship} it, {SHIP} it');
  });
  it('prefers the longest term at a position', () => {
    expect(show(highlightTerms('deployment deploy', ['deploy', 'deployment']))).toBe('{deployment} {deploy}');
  });
  it('with no terms, the text is one plain part', () => {
    expect(highlightTerms('abc', [])).toEqual([{ text: 'abc', match: false }]);
    expect(highlightTerms('', ['a'])).toEqual([]);
  });
});
