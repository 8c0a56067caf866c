import { describe, expect, it } from 'vitest';
import { render } from '@testing-library/react';
import { MessageText } from './MessageText';
import { parseBlocks, parseInline, safeHref } from './markdown';
import { mentions } from '../../lib/mentions';

describe('MessageText renders hostile text as text', () => {
  it('an <img onerror> stays literal text and creates no element', () => {
    const body = '<img src=x onerror=alert(1)>';
    const { container } = render(<MessageText body={body} />);
    expect(container.querySelector('img')).toBeNull();
    expect(container.textContent).toBe(body);
  });

  it('<script> and event-handler markup never become elements', () => {
    const body = '<script>alert(1)</script><a href="javascript:alert(1)">x</a><svg onload=alert(1)>';
    const { container } = render(<MessageText body={body} />);
    expect(container.querySelector('script, svg, a')).toBeNull();
    expect(container.textContent).toBe(body);
  });

  it('javascript: and data: URLs are not links', () => {
    for (const body of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'data:text/html,<b>x</b>',
      'vbscript:msgbox',
      '//evil.example/x',
    ]) {
      const { container, unmount } = render(<MessageText body={body} />);
      expect(container.querySelector('a')).toBeNull();
      expect(container.textContent).toBe(body);
      unmount();
    }
  });

  it('markdown cannot smuggle a link: [x](javascript:alert(1)) is text', () => {
    const { container } = render(<MessageText body="[click](javascript:alert(1))" />);
    expect(container.querySelector('a')).toBeNull();
  });

  it('http, https and mailto links open safely in a new tab', () => {
    const { container } = render(<MessageText body="see https://example.com/a?b=1&c=2, or mailto:me@example.com." />);
    const links = [...container.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual([
      'https://example.com/a?b=1&c=2',
      'mailto:me@example.com',
    ]);
    for (const a of links) {
      expect(a.getAttribute('rel')).toBe('noopener noreferrer');
      expect(a.getAttribute('target')).toBe('_blank');
    }
    expect(container.textContent).toBe('see https://example.com/a?b=1&c=2, or mailto:me@example.com.');
  });

  it('a URL with markup in it is cut at the markup and stays escaped', () => {
    const { container } = render(<MessageText body={'https://x.example/"><img src=x onerror=alert(1)>'} />);
    expect(container.querySelector('img')).toBeNull();
    const a = container.querySelector('a');
    expect(a?.getAttribute('href')).toBe('https://x.example/');
  });

  it('renders the markdown subset as elements', () => {
    const { container } = render(
      <MessageText body={'**bold** and *it* and `co<de>`\n```\nline <1>\nline 2\n```'} myUsername="alice" />,
    );
    expect(container.querySelector('strong')?.textContent).toBe('bold');
    expect(container.querySelector('em')?.textContent).toBe('it');
    expect(container.querySelector('p code')?.textContent).toBe('co<de>');
    expect(container.querySelector('pre code')?.textContent).toBe('line <1>\nline 2');
  });

  it('highlights a mention of me', () => {
    const { container } = render(<MessageText body="hi @alice and @bob" myUsername="alice" />);
    expect(container.querySelector('.mention-self')?.textContent).toBe('@alice');
    expect(container.querySelectorAll('.mention')).toHaveLength(2);
  });
});

describe('markdown', () => {
  it('safeHref allows only absolute http, https and mailto URLs', () => {
    expect(safeHref('https://example.com')).toBe('https://example.com/');
    expect(safeHref('http://example.com/x')).toBe('http://example.com/x');
    expect(safeHref('mailto:a@b.c')).toBe('mailto:a@b.c');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('java\nscript:alert(1)')).toBeNull();
    expect(safeHref('https://')).toBeNull();
    expect(safeHref('/relative')).toBeNull();
    expect(safeHref('ftp://example.com')).toBeNull();
  });

  it('keeps trailing punctuation and unbalanced parens out of links', () => {
    expect(parseInline('(see https://en.wikipedia.org/wiki/Foo_(bar)).')).toEqual([
      { t: 'text', v: '(see ' },
      { t: 'link', href: 'https://en.wikipedia.org/wiki/Foo_(bar)', v: 'https://en.wikipedia.org/wiki/Foo_(bar)' },
      { t: 'text', v: ').' },
    ]);
  });

  it('leaves unmatched markers and arithmetic alone', () => {
    expect(parseInline('2 * 3 * 4')).toEqual([{ t: 'text', v: '2 * 3 * 4' }]);
    expect(parseInline('**not closed')).toEqual([{ t: 'text', v: '**not closed' }]);
    expect(parseInline('an email a@b.com is not a mention')).toEqual([
      { t: 'text', v: 'an email a@b.com is not a mention' },
    ]);
  });

  it('does not parse markdown inside code', () => {
    expect(parseBlocks('```**x** https://a.b```')).toEqual([{ t: 'codeblock', v: '**x** https://a.b' }]);
    expect(parseInline('`**x**`')).toEqual([{ t: 'code', v: '**x**' }]);
  });

  it('mentions() finds whole-word @username, case-insensitively', () => {
    expect(mentions('hey @Alice!', 'alice')).toBe(true);
    expect(mentions('@alice', 'alice')).toBe(true);
    expect(mentions('@alicex', 'alice')).toBe(false);
    expect(mentions('mail alice@example.com', 'alice')).toBe(false);
    expect(mentions('no mention', 'alice')).toBe(false);
  });
});
