import '@testing-library/jest-dom/vitest';
import { afterEach } from 'vitest';
import { cleanup } from '@testing-library/react';

if (typeof window !== 'undefined') {
  // jsdom has no layout: give the scrolling APIs harmless stand-ins.
  if (!Element.prototype.scrollIntoView) Element.prototype.scrollIntoView = function scrollIntoView() {};
  if (!Element.prototype.scrollTo) {
    Element.prototype.scrollTo = function scrollTo(this: Element, arg?: ScrollToOptions | number) {
      if (typeof arg === 'object' && arg.top !== undefined) this.scrollTop = arg.top;
    };
  }
  afterEach(() => {
    cleanup();
  });
}
