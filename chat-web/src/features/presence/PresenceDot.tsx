import type { PresenceEntry } from './presence';
import { describePresence } from './presence';

export function PresenceDot({ entry, name }: { entry: PresenceEntry | undefined; name: string }) {
  const status = entry?.status ?? 'offline';
  const text = describePresence(entry);
  return (
    <span
      className={`presence-dot presence-${status}`}
      data-testid="presence-dot"
      data-status={status}
      role="img"
      aria-label={`${name}: ${text}`}
      title={text}
    />
  );
}
