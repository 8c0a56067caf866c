import { describe, expect, it } from 'vitest';
import { render } from '@testing-library/react';
import { Snippet } from './Snippet';

describe('Snippet renders hostile text as text', () => {
  it('an <img onerror> in the excerpt stays literal text and creates no element', () => {
    const body = 'look <img src=x onerror=alert(1)> deploy';
    const snippet = 'look <img src=x onerror=alert(1)> [deploy]';
    const { container } = render(<Snippet snippet={snippet} body={body} query="deploy" />);
    expect(container.querySelector('img')).toBeNull();
    expect(container.textContent).toBe(body);
    const marks = [...container.querySelectorAll('mark')];
    expect(marks.map((m) => m.textContent)).toEqual(['deploy']);
  });

  it('markup inside the marked match stays text inside the <mark>', () => {
    const body = 'x <img src=x onerror=alert(1)> y';
    const snippet = 'x [<img src=x onerror=alert(1)>] y';
    const { container } = render(<Snippet snippet={snippet} body={body} query="<img" />);
    expect(container.querySelector('img')).toBeNull();
    const mark = container.querySelector('mark');
    expect(mark?.textContent).toBe('<img src=x onerror=alert(1)>');
    expect(mark?.children).toHaveLength(0);
    expect(container.textContent).toBe(body);
  });

  it('script, svg and anchors never become elements; markdown is not interpreted', () => {
    const body = '<script>alert(1)</script><svg onload=alert(1)><a href="javascript:alert(1)">x</a> **bold** secret';
    const snippet =
      '<script>alert(1)</script><svg onload=alert(1)><a href="javascript:alert(1)">x</a> **bold** [secret]';
    const { container } = render(<Snippet snippet={snippet} body={body} query="secret" />);
    expect(container.querySelector('script, svg, a, strong, b')).toBeNull();
    expect(container.textContent).toBe(body);
  });

  it('every matched part is a <mark>, the rest plain text nodes', () => {
    const { container } = render(
      <Snippet snippet="[Release] notes for the release" body="Release notes for the release" query="release" />,
    );
    expect([...container.querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['Release', 'release']);
    const span = container.firstElementChild!;
    expect([...span.childNodes].map((n) => n.nodeName)).toEqual(['MARK', '#text', 'MARK']);
  });
});
