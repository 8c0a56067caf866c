import { useCallback, useMemo, useState, type KeyboardEvent } from 'react';
import type { User } from '../../lib/protocol';
import { insertMention, mentionAt, suggestMentions, type MentionQuery, type Suggestion } from './suggestions';

interface Options {
  members: readonly User[];
  meId: string;
  /** Offer `@room` (groups). */
  allowRoom: boolean;
  /** Replaces the text and puts the caret after the inserted mention. */
  onPick: (text: string, caret: number) => void;
}

export interface MentionAutocomplete {
  open: boolean;
  suggestions: Suggestion[];
  active: number;
  /** Call with the text and caret after every change or caret move. */
  update: (text: string, caret: number) => void;
  /** Handles the list's keys; true when the key was used (the caller does nothing else). */
  onKeyDown: (e: KeyboardEvent, text: string) => boolean;
  pick: (index: number, text: string) => void;
  setActive: (index: number) => void;
}

/**
 * `@` autocomplete state: the query at the caret, matching members, the highlighted one.
 * ArrowDown/ArrowUp move, Enter or Tab pick, Escape closes until another `@` is typed.
 */
export function useMentionAutocomplete({ members, meId, allowRoom, onPick }: Options): MentionAutocomplete {
  const [sel, setSel] = useState<{ at: MentionQuery | null; active: number }>({ at: null, active: 0 });
  const { at, active } = sel;
  const setActive = useCallback((i: number | ((i: number) => number)) => {
    setSel((s) => ({ ...s, active: typeof i === 'function' ? i(s.active) : i }));
  }, []);
  const [dismissedStart, setDismissedStart] = useState<number | null>(null);

  const suggestions = useMemo(
    () => (at ? suggestMentions(members, meId, at.query, allowRoom) : []),
    [at, members, meId, allowRoom],
  );
  const open = at !== null && at.start !== dismissedStart && suggestions.length > 0;

  const update = useCallback((text: string, caret: number) => {
    const next = mentionAt(text, caret);
    setSel((prev) => {
      if (!prev.at && !next) return prev; // the common case: no @ at the caret, nothing changes
      if (prev.at?.start !== next?.start || prev.at?.query !== next?.query) return { at: next, active: 0 };
      return prev.at?.end === next?.end ? prev : { ...prev, at: next };
    });
    if (!next) setDismissedStart((d) => (d === null ? d : null));
  }, []);

  const pick = useCallback(
    (index: number, text: string) => {
      const s = suggestions[index];
      if (!at || !s) return;
      const result = insertMention(text, at, s.username);
      setSel({ at: null, active: 0 });
      onPick(result.text, result.caret);
    },
    [at, suggestions, onPick],
  );

  const onKeyDown = useCallback(
    (e: KeyboardEvent, text: string): boolean => {
      if (!open || !at) return false;
      const n = suggestions.length;
      switch (e.key) {
        case 'ArrowDown':
          e.preventDefault();
          setActive((i) => (i + 1) % n);
          return true;
        case 'ArrowUp':
          e.preventDefault();
          setActive((i) => (i - 1 + n) % n);
          return true;
        case 'Enter':
        case 'Tab':
          if (e.shiftKey || e.altKey || e.ctrlKey || e.metaKey || e.nativeEvent.isComposing) return false;
          e.preventDefault();
          pick(Math.min(active, n - 1), text);
          return true;
        case 'Escape':
          e.preventDefault();
          e.stopPropagation();
          setDismissedStart(at.start);
          return true;
        default:
          return false;
      }
    },
    [open, at, suggestions.length, active, pick, setActive],
  );

  return {
    open,
    suggestions,
    active: Math.min(active, Math.max(0, suggestions.length - 1)),
    update,
    onKeyDown,
    pick,
    setActive,
  };
}
