// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { describePresence } from './presence';

describe('presence', () => {
  it('presence text', () => {
    const now = new Date('2026-11-20T12:00:00Z');
    expect(describePresence({ status: 'online', lastSeen: null }, now)).toBe('Online');
    expect(describePresence({ status: 'offline', lastSeen: '2026-11-20T11:59:30Z' }, now)).toBe('Last seen just now');
    expect(describePresence({ status: 'offline', lastSeen: '2026-11-20T11:35:00Z' }, now)).toBe('Last seen 25 min ago');
    expect(describePresence(undefined, now)).toBe('Offline');
  });
});
