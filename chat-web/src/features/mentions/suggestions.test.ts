// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { insertMention, mentionAt, suggestMentions } from './suggestions';
import type { User } from '../../lib/protocol';
import { alice, bob, carol } from '../../test/fakeSocket';

const bobby: User = { id: 'u-bobby', username: 'bobby', displayName: 'Robert Tables' };
const members = [alice, bob, carol, bobby];

describe('mention autocomplete', () => {
  it('finds the @word at the caret', () => {
    expect(mentionAt('hi @bo', 6)).toEqual({ start: 3, end: 6, query: 'bo' });
    expect(mentionAt('@', 1)).toEqual({ start: 0, end: 1, query: '' });
    expect(mentionAt('hi @bob and', 5)).toEqual({ start: 3, end: 7, query: 'b' }); // the word goes on after the caret
    expect(mentionAt('(@ca', 4)).toEqual({ start: 1, end: 4, query: 'ca' });
    expect(mentionAt('mail bob@example', 16)).toBeNull();
    expect(mentionAt('hi @bob there', 13)).toBeNull();
    expect(mentionAt('a/@b', 4)).toBeNull();
  });

  it('suggests members by username or name, best first, never me; @room last in groups', () => {
    const names = (q: string, room = true) => suggestMentions(members, alice.id, q, room).map((s) => s.username);
    expect(names('')).toEqual(['bob', 'bobby', 'carol', 'room']);
    expect(names('bob')).toEqual(['bob', 'bobby']);
    expect(names('ROB')).toEqual(['bobby']); // a word of the display name
    expect(names('al')).toEqual([]); // me
    expect(names('r')).toEqual(['bobby', 'room']);
    expect(names('', false)).toEqual(['bob', 'bobby', 'carol']);
    expect(suggestMentions(members, alice.id, '', true, 2).map((s) => s.username)).toEqual(['bob', 'room']);
  });

  it('inserts @username and a space, and puts the caret after it', () => {
    expect(insertMention('hi @bo', { start: 3, end: 6, query: 'bo' }, 'bobby')).toEqual({
      text: 'hi @bobby ',
      caret: 10,
    });
    expect(insertMention('@b and more', { start: 0, end: 2, query: 'b' }, 'bob')).toEqual({
      text: '@bob and more',
      caret: 5,
    });
  });
});
