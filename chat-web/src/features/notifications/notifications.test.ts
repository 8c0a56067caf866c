// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { titleFor } from './notifications';

describe('notifications', () => {
  it('tab title', () => {
    expect(titleFor(0)).toBe('Natter');
    expect(titleFor(3)).toBe('(3) Natter');
  });
});
