import { useEffect, useState } from 'react';
import { nameOf } from '../../lib/protocol';
import { typingText, type TypingEntry } from './typing';

/** Always takes its line, so the list does not jump when someone starts typing. */
export function TypingIndicator({ entries }: { entries: Record<string, TypingEntry> | undefined }) {
  const [now, setNow] = useState(() => Date.now());
  const list = Object.values(entries ?? {});
  useEffect(() => {
    if (list.length === 0) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [list.length]);
  const names = list.filter((e) => e.expiresAt > now).map((e) => nameOf(e.user));
  const text = typingText(names);
  return (
    <div className="typing-indicator" data-testid="typing-indicator" aria-live="polite" data-active={names.length > 0}>
      {text}
    </div>
  );
}
